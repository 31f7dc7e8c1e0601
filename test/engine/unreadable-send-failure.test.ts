import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { defaultOutboxPolicy, dispatchOutbox } from '../../src/engine/dispatcher.js';
import { MAX_FAILURE_REASON } from '../../src/engine/send-failure.js';
import { createEventDelivery, EVENT_CURSOR_KIND, EVENT_DEAD_LETTER } from '../../src/events/delivery.js';
import type { Mailer } from '../../src/ports/mailer.js';
import type { Storage } from '../../src/ports/storage.js';
import { ManualClock } from '../../src/testing/index.js';
import type { WebhookSender } from '../../src/webhooks/webhook-sender.js';

// A sender's failure is the provider's, not ours to trust: whatever it throws, the message is
// settled (retried, then dead at its last attempt) and the rest of the batch goes out.

const messageThrows = () => {
  const error = new Error('x');
  Object.defineProperty(error, 'message', {
    get() {
      throw new Error('getter');
    },
  });
  return error;
};
const retryableThrows = () =>
  Object.defineProperty(new Error('flaky provider'), 'retryable', {
    get() {
      throw new Error('getter');
    },
  });
const UNREADABLE: Array<[string, () => unknown]> = [
  ['a null-prototype object', () => Object.assign(Object.create(null) as object, { code: 'EPROVIDER' })],
  ['an Error whose message getter throws', messageThrows],
  ['an object whose toString throws', () => ({ toString: () => { throw new Error('no'); } })], // prettier-ignore
  ['a Proxy that throws on every trap', () => new Proxy({}, { get: () => { throw new Error('trap'); }, getPrototypeOf: () => { throw new Error('trap'); } })], // prettier-ignore
  ['an Error whose retryable getter throws', retryableThrows],
];

async function queueMails(storage: Storage, to: readonly string[]): Promise<void> {
  const outbox = to.map((address, i) => ({
    id: `m${i}`,
    channel: 'email' as const,
    payload: { to: address, subject: 's', text: 't', template: 'test', locale: 'en' },
    idempotencyKey: `key-m${i}`,
    availableAt: 0,
  }));
  expect(await storage.commit({ writes: [], history: [], outbox, idempotency: [] })).not.toBeNull();
}

describe('an outbox send that fails with an error nobody can print', () => {
  for (const [what, error] of UNREADABLE) {
    it(`${what}: retried, dead at maxAttempts, and the rest of the batch is delivered`, async () => {
      const storage = createMemoryStorage();
      await queueMails(storage, ['bad@example.test', 'good@example.test']);
      const delivered: string[] = [];
      const mailer: Mailer = {
        send: async (message) => {
          if (message.to === 'bad@example.test') throw error();
          delivered.push(message.to);
        },
      };
      const clock = new ManualClock(0);
      const policy = { ...defaultOutboxPolicy, maxAttempts: 3, baseDelayMs: 1_000 };
      const send = () => dispatchOutbox(storage, () => clock.now(), { email: mailer }, policy);
      expect(await send()).toEqual({ delivered: 1, failed: 1, dead: 0, more: false });
      expect(delivered).toEqual(['good@example.test']);
      clock.advance(60_000);
      expect(await send()).toMatchObject({ failed: 1, dead: 0 });
      clock.advance(60_000);
      expect(await send()).toMatchObject({ failed: 0, dead: 1 });
      const [bad] = await storage.listOutbox({ status: 'dead' });
      expect(bad).toMatchObject({ id: 'm0', attempts: 3 });
      expect(typeof bad!.lastError).toBe('string');
    });
  }

  it('keeps at most MAX_FAILURE_REASON characters of a huge reason, never half a surrogate pair', async () => {
    const storage = createMemoryStorage();
    await queueMails(storage, ['bad@example.test']);
    const reason = 'a'.repeat(MAX_FAILURE_REASON - 1) + '😀'.repeat(1_000);
    const mailer: Mailer = { send: () => Promise.reject(new Error(reason)) };
    await dispatchOutbox(storage, () => 0, { email: mailer }, defaultOutboxPolicy);
    const [failed] = await storage.listOutbox({ status: 'pending' });
    expect(failed!.lastError).toBe('a'.repeat(MAX_FAILURE_REASON - 1));
  });
});

describe('a webhook send that fails with an error nobody can print', () => {
  for (const [what, error] of UNREADABLE) {
    it(`${what}: retried, then dead-lettered at maxAttempts, and the next event is sent`, async () => {
      const storage = createMemoryStorage();
      for (const id of ['evt_1', 'evt_2']) {
        const event = { id, type: 'ticket.status_changed', version: 1, at: 1, subject: { kind: 'ticket', id: 't1' } };
        await storage.commit({
          writes: [],
          history: [],
          outbox: [],
          idempotency: [],
          events: [{ ...event, data: {} }],
        });
      }
      const sent: string[] = [];
      const sender: WebhookSender = {
        send: async (event) => {
          if (event.id === 'evt_1') throw error();
          sent.push(event.id);
        },
      };
      const clock = new ManualClock('2027-01-15T10:00:00Z');
      const policy = { ...defaultOutboxPolicy, maxAttempts: 2, baseDelayMs: 1_000 };
      const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
      const delivery = createEventDelivery(storage, () => clock.now(), { sender, secret, policy });
      expect(await delivery.deliver()).toMatchObject({ failed: 1, dead: 0 });
      clock.advance(60_000);
      expect(await delivery.deliver()).toMatchObject({ delivered: 1, dead: 1 });
      expect(sent).toEqual(['evt_2']);
      const history = await storage.history(EVENT_CURSOR_KIND, 'webhooks');
      expect(history.map((h) => h.type)).toEqual([EVENT_DEAD_LETTER]);
    });
  }
});
