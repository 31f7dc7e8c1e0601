import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { defaultOutboxPolicy } from '../../src/engine/dispatcher.js';
import { createWorker } from '../../src/engine/worker.js';
import { isHelpdeskError } from '../../src/errors.js';
import type { DomainEvent } from '../../src/events/catalogue.js';
import { createEventDelivery, EVENT_CURSOR_KIND, EVENT_DEAD_LETTER } from '../../src/events/delivery.js';
import { readEvents } from '../../src/events/reader.js';
import type { EventInput } from '../../src/ports/event-store.js';
import type { Storage } from '../../src/ports/storage.js';
import { verifyWebhook } from '../../src/webhooks/standard-webhooks.js';
import type { WebhookDelivery, WebhookSender } from '../../src/webhooks/webhook-sender.js';
import { ManualClock } from '../../src/testing/index.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const policy = { ...defaultOutboxPolicy, maxAttempts: 3, baseDelayMs: 1_000, batchSize: 4 };

let n = 0;
function event(subject: string, type = 'ticket.status_changed'): EventInput {
  n++;
  return {
    id: `evt_${n}`,
    type,
    version: 1,
    at: 1_800_000_000_000,
    subject: { kind: 'ticket', id: subject },
    data: { from: 'open', to: 'solved' },
  };
}

async function seed(storage: Storage, count: number, subject = 't1'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const e = event(subject);
    ids.push(e.id);
    await storage.commit({ writes: [], history: [], outbox: [], idempotency: [], events: [e] });
  }
  return ids;
}

/** A sender that records what it got and fails while `failing` says so. */
function recordingSender(failing: (event: DomainEvent, attempt: number) => boolean = () => false) {
  const got: Array<{ event: DomainEvent; delivery: WebhookDelivery }> = [];
  const sender: WebhookSender = {
    async send(event, delivery) {
      if (failing(event, delivery.attempt)) throw new Error('receiver said 503');
      got.push({ event, delivery });
    },
  };
  return { sender, got };
}

describe('reading the event feed', () => {
  it('pages with a cursor: `next` is the last seq, and reading after it returns the rest', async () => {
    const storage = createMemoryStorage();
    const ids = await seed(storage, 5);
    const first = await readEvents(storage, { after: 0, limit: 2 });
    expect(first.events.map((e) => e.id)).toEqual(ids.slice(0, 2));
    const rest = await readEvents(storage, { after: first.next, limit: 10 });
    expect(rest.events.map((e) => e.id)).toEqual(ids.slice(2));
    expect(await readEvents(storage, { after: rest.next })).toEqual({ events: [], next: rest.next });
  });

  it('refuses a bad cursor or page size with INVALID_INPUT', async () => {
    const storage = createMemoryStorage();
    for (const input of [{ after: -1 }, { after: 1.5 }, { limit: 0 }, { limit: 1001 }, { after: '3' }, { cursor: 1 }]) {
      const error = await readEvents(storage, input as never).catch((e: unknown) => e);
      expect(isHelpdeskError(error, 'INVALID_INPUT'), JSON.stringify(input)).toBe(true);
    }
  });
});

describe('delivering events to webhooks', () => {
  it('delivers every event once, in feed order, signed per Standard Webhooks with the event id as key', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock('2027-01-15T10:00:00Z');
    const ids = await seed(storage, 6);
    const { sender, got } = recordingSender();
    const delivery = createEventDelivery(storage, () => clock.now(), { sender, secret: SECRET, policy });
    expect(await delivery.deliver()).toEqual({ delivered: 6, failed: 0, dead: 0, more: false });
    expect(got.map((g) => g.event.id)).toEqual(ids);
    for (const { event, delivery: d } of got) {
      expect(d.idempotencyKey).toBe(event.id);
      expect(d.headers['webhook-id']).toBe(event.id);
      expect(await verifyWebhook(d.headers, d.body, SECRET, { now: clock.now() })).toMatchObject({ ok: true });
      expect(JSON.parse(d.body)).toEqual(event);
    }
    expect(await delivery.deliver()).toEqual({ delivered: 0, failed: 0, dead: 0, more: false });
  });

  it('resumes from the durable cursor after a restart, without resending', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock('2027-01-15T10:00:00Z');
    await seed(storage, 3);
    const first = recordingSender();
    await createEventDelivery(storage, () => clock.now(), { sender: first.sender, secret: SECRET, policy }).deliver();
    const later = await seed(storage, 2);
    const second = recordingSender();
    await createEventDelivery(storage, () => clock.now(), { sender: second.sender, secret: SECRET, policy }).deliver();
    expect(second.got.map((g) => g.event.id)).toEqual(later);
  });

  it('retries a failing event with backoff and holds back the events after it', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock('2027-01-15T10:00:00Z');
    const ids = await seed(storage, 3);
    const { sender, got } = recordingSender((e, attempt) => e.id === ids[1] && attempt < 2);
    const delivery = createEventDelivery(storage, () => clock.now(), { sender, secret: SECRET, policy });
    expect(await delivery.deliver()).toMatchObject({ delivered: 1, failed: 1 });
    expect(await delivery.deliver()).toMatchObject({ delivered: 0 }); // the backoff has not passed
    clock.advance(policy.baseDelayMs);
    expect(await delivery.deliver()).toMatchObject({ delivered: 2, failed: 0 });
    expect(got.map((g) => [g.event.id, g.delivery.attempt])).toEqual([
      [ids[0], 1],
      [ids[1], 2],
      [ids[2], 1],
    ]);
  });

  it('dead-letters an event after its last attempt (history on the cursor) and moves on', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock('2027-01-15T10:00:00Z');
    const ids = await seed(storage, 2);
    const { sender, got } = recordingSender((e) => e.id === ids[0]);
    const delivery = createEventDelivery(storage, () => clock.now(), { sender, secret: SECRET, policy });
    for (let i = 0; i < policy.maxAttempts; i++) {
      await delivery.deliver();
      clock.advance(3_600_000);
    }
    expect(got.map((g) => g.event.id)).toEqual([ids[1]]);
    const history = await storage.history(EVENT_CURSOR_KIND, 'webhooks');
    expect(history.map((h) => [h.type, (h.data as { eventId: string }).eventId])).toEqual([
      [EVENT_DEAD_LETTER, ids[0]],
    ]);
    expect((await storage.load(EVENT_CURSOR_KIND, 'webhooks'))?.state).toMatchObject({ position: 2, attempts: 0 });
  });

  it('two workers never both deliver: the one holding the cursor’s lease sends, the other waits', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock('2027-01-15T10:00:00Z');
    const ids = await seed(storage, 8);
    const { sender, got } = recordingSender();
    const a = createEventDelivery(storage, () => clock.now(), { sender, secret: SECRET, policy, instanceId: 'a' });
    const b = createEventDelivery(storage, () => clock.now(), { sender, secret: SECRET, policy, instanceId: 'b' });
    await Promise.all([a.deliver(), b.deliver(), a.deliver(), b.deliver()]);
    await Promise.all([a.deliver(), b.deliver()]);
    expect(got.map((g) => g.event.id)).toEqual(ids);
  });

  it('a failed cursor write after a successful send never makes the same live process send it again', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock('2027-01-15T10:00:00Z');
    const ids = await seed(storage, 2);
    let failNextCursorWrite = false;
    let sends = 0;
    const flaky: Storage = {
      ...Object.fromEntries(
        Object.entries(Object.getOwnPropertyDescriptors(Object.getPrototypeOf(storage))).map(([k]) => [
          k,
          (...args: unknown[]) => (storage as unknown as Record<string, (...a: unknown[]) => unknown>)[k]!(...args),
        ]),
      ),
      commit: async (commit) => {
        if (failNextCursorWrite && commit.writes.some((w) => w.kind === EVENT_CURSOR_KIND)) {
          failNextCursorWrite = false;
          throw new Error('connection terminated');
        }
        return storage.commit(commit);
      },
    } as Storage;
    const got: string[] = [];
    const sender: WebhookSender = {
      async send(event) {
        sends++;
        got.push(event.id);
        if (sends === 1) failNextCursorWrite = true; // the acknowledgement of the first send fails
      },
    };
    const delivery = createEventDelivery(flaky, () => clock.now(), { sender, secret: SECRET, policy });
    expect(await delivery.deliver()).toMatchObject({ delivered: 1, more: true });
    await delivery.deliver();
    expect(got).toEqual(ids);
    expect((await storage.load(EVENT_CURSOR_KIND, 'webhooks'))?.state).toMatchObject({ position: 2 });
  });

  it('is bounded: a call handles at most `limit` events and says more is due', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock('2027-01-15T10:00:00Z');
    await seed(storage, 10);
    const { sender, got } = recordingSender();
    const delivery = createEventDelivery(storage, () => clock.now(), { sender, secret: SECRET, policy });
    expect(await delivery.deliver({ limit: 4 })).toMatchObject({ delivered: 4, more: true });
    expect(got).toHaveLength(4);
  });

  it('runs as the worker’s events loop', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock('2027-01-15T10:00:00Z');
    const ids = await seed(storage, 3);
    const { sender, got } = recordingSender();
    const delivery = createEventDelivery(storage, () => clock.now(), { sender, secret: SECRET, policy });
    const worker = createWorker({ deliverEvents: (bounds) => delivery.deliver(bounds) }, { interval: 5 });
    while (got.length < ids.length) await new Promise((resolve) => setTimeout(resolve, 5));
    await worker.stop();
    expect(worker.stats().events?.calls).toBeGreaterThan(0);
    expect(got.map((g) => g.event.id)).toEqual(ids);
  });
});

describe('one delivery at a time', () => {
  it('two overlapping calls on one delivery (two workers on one desk) send each event once', async () => {
    const storage = createMemoryStorage();
    const ids = await seed(storage, 3, 'overlap');
    const clock = new ManualClock(1_800_000_000_000);
    const got: string[] = [];
    const sender: WebhookSender = {
      async send(event) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        got.push(event.id);
      },
    };
    const delivery = createEventDelivery(storage, () => clock.now(), { sender, secret: SECRET, policy });
    await Promise.all([delivery.deliver({ limit: 10 }), delivery.deliver({ limit: 10 })]);
    await delivery.deliver({ limit: 10 });
    expect(got).toEqual(ids);
  });
});
