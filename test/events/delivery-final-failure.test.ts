import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { defaultOutboxPolicy } from '../../src/engine/dispatcher.js';
import { createEventDelivery, EVENT_CURSOR_KIND, EVENT_DEAD_LETTER } from '../../src/events/delivery.js';
import type { EventInput } from '../../src/ports/event-store.js';
import type { Storage } from '../../src/ports/storage.js';
import { ManualClock } from '../../src/testing/index.js';
import type { WebhookSender } from '../../src/webhooks/webhook-sender.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const policy = { ...defaultOutboxPolicy, maxAttempts: 8, baseDelayMs: 1_000, batchSize: 4 };

async function seed(storage: Storage, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const e: EventInput = {
      id: `evt_${i}`,
      type: 'ticket.status_changed',
      version: 1,
      at: 1_800_000_000_000,
      subject: { kind: 'ticket', id: 't1' },
      data: { from: 'open', to: 'solved' },
    };
    ids.push(e.id);
    await storage.commit({ writes: [], history: [], outbox: [], idempotency: [], events: [e] });
  }
  return ids;
}

/** A sender that fails the event `failing` with `error()` and records every attempt. */
function sender(failing: string, error: () => unknown) {
  const attempts: Array<[string, number]> = [];
  const send: WebhookSender['send'] = async (event, delivery) => {
    attempts.push([event.id, delivery.attempt]);
    if (event.id === failing) throw error();
  };
  return { sender: { send }, attempts };
}

describe('a webhook failure the sender marks final (retryable: false), as the mail outbox treats it', () => {
  it('dead-letters the event at its first attempt and delivers the later events in the same call', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock('2027-01-15T10:00:00Z');
    const ids = await seed(storage, 3);
    const final = () => Object.assign(new Error('HTTP 410 Gone'), { retryable: false });
    const { sender: s, attempts } = sender(ids[0]!, final);
    const delivery = createEventDelivery(storage, () => clock.now(), { sender: s, secret: SECRET, policy });
    expect(await delivery.deliver()).toEqual({ delivered: 2, failed: 0, dead: 1, more: false });
    expect(attempts).toEqual([
      [ids[0], 1],
      [ids[1], 1],
      [ids[2], 1],
    ]);
    const history = await storage.history(EVENT_CURSOR_KIND, 'webhooks');
    expect(history.map((h) => [h.type, h.data])).toEqual([
      [
        EVENT_DEAD_LETTER,
        { eventId: ids[0], seq: 1, type: 'ticket.status_changed', attempts: 1, error: 'HTTP 410 Gone' },
      ],
    ]);
  });

  it('still retries an error marked retryable, or not marked at all (only `retryable === false` is final)', async () => {
    for (const error of [
      () => Object.assign(new Error('HTTP 503'), { retryable: true }),
      () => new Error('socket hang up'),
      () => Object.assign(new Error('odd'), { retryable: 'false' }),
    ]) {
      const storage = createMemoryStorage();
      const clock = new ManualClock('2027-01-15T10:00:00Z');
      const ids = await seed(storage, 2);
      const { sender: s } = sender(ids[0]!, error);
      const delivery = createEventDelivery(storage, () => clock.now(), { sender: s, secret: SECRET, policy });
      expect(await delivery.deliver()).toEqual({ delivered: 0, failed: 1, dead: 0, more: false });
    }
  });
});
