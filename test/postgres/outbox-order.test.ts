import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import type { OutboxMessageInput } from '../../src/ports/outbox-store.js';
import type { Storage } from '../../src/ports/storage.js';

const db = new PGlite();
let schemas = 0;

beforeAll(async () => {
  await migrate(db);
});

afterAll(async () => {
  await db.close();
});

/** A storage in a schema of its own, so every case starts with an empty outbox. */
async function freshStorage(): Promise<Storage> {
  const schema = `hd_order_${++schemas}`;
  await migrate(db, { schema });
  return createPostgresStorage(db, { schema });
}

function mail(id: string, availableAt: number): OutboxMessageInput {
  return {
    id,
    channel: 'email',
    payload: { to: `${id}@example.test`, subject: id, text: 't', template: 'test', locale: 'en' },
    idempotencyKey: `key-${id}`,
    availableAt,
  };
}

async function queue(storage: Storage, messages: OutboxMessageInput[]): Promise<void> {
  expect(await storage.commit({ writes: [], history: [], outbox: messages, idempotency: [] })).not.toBeNull();
}

/** Claims one message at a time until none is due, and returns their ids in claim order. */
async function claimOneByOne(storage: Storage, now: number): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const [message] = await storage.claimOutbox(['email'], now, now + 60_000, 1);
    if (!message) return ids;
    ids.push(message.id);
    await storage.markDelivered(message.id, now);
  }
}

// Ids that sort differently from their queue order, so no accidental order by id passes.
const ids = (n: number) => Array.from({ length: n }, (_, i) => `msg-${(n - i) * 7919}`);

describe('postgres outbox claim order', () => {
  it('claims messages queued in one commit with the same availableAt in queue order', async () => {
    const storage = await freshStorage();
    const queued = ids(20);
    await queue(
      storage,
      queued.map((id) => mail(id, 1_000)),
    );
    expect(await claimOneByOne(storage, 1_000)).toEqual(queued);
  });

  it('keeps queue order in a commit large enough to travel as one JSON parameter', async () => {
    const storage = await freshStorage();
    const queued = ids(50); // above the 32 rows sent inline
    await queue(
      storage,
      queued.map((id) => mail(id, 1_000)),
    );
    expect(await claimOneByOne(storage, 1_000)).toEqual(queued);
  });

  it('claims messages queued in successive commits with the same availableAt in queue order', async () => {
    const storage = await freshStorage();
    const queued = ids(12);
    for (const id of queued) await queue(storage, [mail(id, 1_000)]);
    expect(await claimOneByOne(storage, 1_000)).toEqual(queued);
  });

  it('claims an earlier availableAt first, whatever the queue order', async () => {
    const storage = await freshStorage();
    await queue(storage, [mail('late', 2_000), mail('early', 1_000)]);
    expect(await claimOneByOne(storage, 2_000)).toEqual(['early', 'late']);
  });

  it('gives a retried message its queue place among messages due at the same time', async () => {
    const storage = await freshStorage();
    await queue(storage, [mail('first', 0)]);
    await queue(storage, [mail('second', 1_000), mail('third', 1_000)]);
    const [claimed] = await storage.claimOutbox(['email'], 0, 60_000, 1);
    expect(claimed?.id).toBe('first');
    // The retry rewrites the row, so it now sits after the others on disk.
    expect(await storage.markFailed('first', 1_000, 'smtp: 451')).toBe(true);
    expect(await claimOneByOne(storage, 1_000)).toEqual(['first', 'second', 'third']);
  });

  it('returns a batch in queue order and leaves the later messages for the next claim', async () => {
    const storage = await freshStorage();
    const queued = ids(10);
    await queue(
      storage,
      queued.map((id) => mail(id, 1_000)),
    );
    const batch = await storage.claimOutbox(['email'], 1_000, 61_000, 4);
    expect(batch.map((m) => m.id)).toEqual(queued.slice(0, 4));
    const next = await storage.claimOutbox(['email'], 1_000, 61_000, 100);
    expect(next.map((m) => m.id)).toEqual(queued.slice(4));
  });
});
