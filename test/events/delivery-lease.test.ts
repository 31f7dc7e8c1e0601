import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { defaultOutboxPolicy } from '../../src/engine/dispatcher.js';
import { createEventDelivery, EVENT_CURSOR_KIND } from '../../src/events/delivery.js';
import type { Storage } from '../../src/ports/storage.js';
import { ManualClock } from '../../src/testing/index.js';
import type { WebhookSender } from '../../src/webhooks/webhook-sender.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const policy = { ...defaultOutboxPolicy, leaseMs: 10_000, batchSize: 100 };

const db = new PGlite();
afterAll(async () => {
  await db.close();
});

let schemas = 0;
const adapters: Array<[string, () => Promise<Storage>]> = [
  ['memory', async () => createMemoryStorage()],
  [
    'postgres on PGlite',
    async () => {
      // A schema per case: the feed is global, so a case must not read another case's events.
      const schema = `hd_event_lease_${++schemas}`;
      await migrate(db, { schema });
      return createPostgresStorage(db, { schema });
    },
  ],
];

let n = 0;
/** Commits `count` events, one commit each, and returns their ids in feed order. */
async function seed(storage: Storage, count: number, at: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `evt_lease_${++n}`;
    ids.push(id);
    const events = [
      {
        id,
        type: 'ticket.status_changed',
        version: 1,
        at,
        subject: { kind: 'ticket', id: 't-lease' },
        data: { from: 'open', to: 'solved' },
      },
    ];
    expect(await storage.commit({ writes: [], history: [], outbox: [], idempotency: [], events })).not.toBeNull();
  }
  return ids;
}

/** A sender that logs `<name>:<event id>` after `during` ran (e.g. advancing the clock). */
function logging(name: string, log: string[], during: (eventId: string) => Promise<void> | void = () => {}) {
  const sender: WebhookSender = {
    async send(event) {
      await during(event.id);
      log.push(`${name}:${event.id}`);
    },
  };
  return sender;
}

/** The storage with some methods replaced; the rest are the original's. */
function withOverrides(storage: Storage, overrides: Partial<Storage>): Storage {
  return Object.assign(Object.create(storage) as Storage, overrides);
}

describe.each(adapters)('the webhook cursor’s lease (%s)', (_name, create) => {
  it('a worker that stores its cursor after every event keeps its lease, so a second instance never resends the event in flight', async () => {
    const storage = await create();
    const clock = new ManualClock(1_800_000_000_000);
    const now = () => clock.now();
    const ids = await seed(storage, 4, clock.now());
    const log: string[] = [];
    const b = createEventDelivery(storage, now, {
      sender: logging('b', log),
      secret: SECRET,
      policy,
      instanceId: 'b',
    });
    // Each send takes 4 s, well under the 10 s lease; the whole call takes 16 s, well over it.
    const a = createEventDelivery(storage, now, {
      sender: logging('a', log, async (id) => {
        clock.advance(4_000);
        if (id === ids[2]) await b.deliver(); // the other instance's loop runs meanwhile
      }),
      secret: SECRET,
      policy,
      instanceId: 'a',
    });
    expect(await a.deliver({ budgetMs: 60_000 })).toEqual({ delivered: 4, failed: 0, dead: 0, more: false });
    expect(await b.deliver()).toEqual({ delivered: 0, failed: 0, dead: 0, more: false });
    expect(log).toEqual(ids.map((id) => `a:${id}`));
  });

  it('an instance whose lease ran out before a send sends nothing once another instance has taken the cursor', async () => {
    const storage = await create();
    const clock = new ManualClock(1_800_000_000_000);
    const now = () => clock.now();
    const ids = await seed(storage, 3, clock.now());
    const log: string[] = [];
    const b = createEventDelivery(storage, now, { sender: logging('b', log), secret: SECRET, policy, instanceId: 'b' });
    let stalled = false;
    // A's first page read stalls past its lease; meanwhile b takes the cursor and delivers everything.
    const slowRead = withOverrides(storage, {
      async readEvents(query) {
        const page = await storage.readEvents(query);
        if (!stalled) {
          stalled = true;
          clock.advance(policy.leaseMs + 1_000);
          expect(await b.deliver()).toMatchObject({ delivered: 3 });
        }
        return page;
      },
    });
    const a = createEventDelivery(slowRead, now, {
      sender: logging('a', log),
      secret: SECRET,
      policy,
      instanceId: 'a',
    });
    expect(await a.deliver()).toEqual({ delivered: 0, failed: 0, dead: 0, more: true });
    expect(log).toEqual(ids.map((id) => `b:${id}`));
    expect((await storage.load(EVENT_CURSOR_KIND, 'webhooks'))?.state).toMatchObject({ leaseOwner: null });
  });

  it('a lease shorter than a page read is renewed before the send, so the events still go out, each once', async () => {
    const storage = await create();
    const clock = new ManualClock(1_800_000_000_000);
    const ids = await seed(storage, 3, clock.now());
    const log: string[] = [];
    const slowRead = withOverrides(storage, {
      async readEvents(query) {
        const page = await storage.readEvents(query);
        clock.advance(2 * policy.leaseMs); // every read outlasts the lease
        return page;
      },
    });
    const a = createEventDelivery(slowRead, () => clock.now(), { sender: logging('a', log), secret: SECRET, policy });
    expect(await a.deliver({ budgetMs: 3_600_000 })).toEqual({ delivered: 3, failed: 0, dead: 0, more: false });
    expect(log).toEqual(ids.map((id) => `a:${id}`));
  });

  it('a call checks its time budget before each event, not only after a page, and always delivers one', async () => {
    const storage = await create();
    const clock = new ManualClock(1_800_000_000_000);
    const ids = await seed(storage, 5, clock.now());
    const log: string[] = [];
    const delivery = createEventDelivery(storage, () => clock.now(), {
      sender: logging('a', log, () => {
        clock.advance(4_000); // 4 s a send, in a page of 100
      }),
      secret: SECRET,
      policy,
    });
    expect(await delivery.deliver({ budgetMs: 5_000 })).toEqual({ delivered: 2, failed: 0, dead: 0, more: true });
    expect(await delivery.deliver({ budgetMs: 0 })).toEqual({ delivered: 1, failed: 0, dead: 0, more: true });
    expect(await delivery.deliver({ budgetMs: 60_000 })).toEqual({ delivered: 2, failed: 0, dead: 0, more: false });
    expect(log).toEqual(ids.map((id) => `a:${id}`));
  });
});
