import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate, type SqlClient } from '../../../src/adapters/postgres/index.js';
import type { Storage } from '../../../src/ports/storage.js';
import { agent, makeDesk, ticketInput } from '../../helpers.js';
import { ENCRYPTION_KEY } from '../../factors/_harness.js';

// Every database round trip is a wait on the network (issue 16). The adapter must spend exactly one
// round trip per storage call (a commit is one statement, a load one SELECT), so a command costs
// what its service asks of the port. The client is wrapped to count `query` calls (one round trip
// each) and the storage to count port calls.

const db = new PGlite();
const trips = { count: 0, texts: [] as string[] };
const client: SqlClient = {
  query: (text, params) => {
    trips.count++;
    trips.texts.push(text.trim().split(/\s+/).slice(0, 4).join(' '));
    return db.query(text, params) as never;
  },
};

/** The storage with each port call counted by name. */
function countingStorage(inner: Storage, calls: string[]): Storage {
  return new Proxy(inner, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(key));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

beforeAll(async () => {
  await migrate(db);
});
afterAll(async () => {
  await db.close();
});

async function measured(command: () => Promise<unknown>, calls: string[]) {
  trips.count = 0;
  trips.texts = [];
  calls.length = 0;
  await command();
  return { roundTrips: trips.count, portCalls: [...calls] };
}

describe('PostgreSQL round trips per ticket command', () => {
  it('submit and reply take two round trips: one read, then the single commit', async () => {
    const calls: string[] = [];
    const { desk } = makeDesk({ storage: countingStorage(createPostgresStorage(client), calls) });
    await desk.tickets.submit(ticketInput()); // the schema check, once per storage object
    // A requester the desk has never mailed: the confirmation's budget window is read with the rest.
    const submit = await measured(
      () => desk.tickets.submit(ticketInput({ requester: { id: 'cust-2', email: 'new@example.test' } })),
      calls,
    );
    const { ticket } = await desk.tickets.submit(
      ticketInput({ requester: { id: 'cust-3', email: 'c3@example.test' } }),
    );
    const id = ticket.id;
    const reply = await measured(() => desk.tickets.reply({ ticketId: id, author: agent, body: 'Which van?' }), calls);
    const solve = await measured(() => desk.tickets.solve({ ticketId: id, actor: agent }), calls);
    const other = await desk.tickets.submit(ticketInput({ requester: { id: 'cust-3', email: 'c3@example.test' } }));
    const merge = await measured(
      () => desk.tickets.merge({ sourceId: other.ticket.id, targetId: id, actor: agent }),
      calls,
    );
    const keyed = await measured(
      () =>
        desk.tickets.submit(
          ticketInput({ requester: { id: 'cust-4', email: 'c4@example.test' }, idempotencyKey: 'k-1' }),
        ),
      calls,
    );
    for (const command of [submit, reply, solve, keyed, merge]) {
      expect(command.roundTrips, trips.texts.join(' | ')).toBe(command.portCalls.length);
      expect(command.portCalls.filter((call) => call === 'commit')).toHaveLength(1);
    }
    // Issue 16's budget of two. The sequence, the requester's tickets (possible duplicates), the
    // idempotency key and the confirmation's sending-budget window are one statement; reply and
    // solve find their recipient's window in the budget's cache (written by the earlier commit).
    // A reply reads the ticket with the accounts it may greet in one batch.
    expect(submit.portCalls).toEqual(['readBatch', 'commit']);
    expect(keyed.portCalls).toEqual(['readBatch', 'commit']);
    expect(reply.portCalls).toEqual(['readBatch', 'commit']);
    // Hold, resume and solve greet the requester by name: the ticket and the account its
    // `requesterId` names are one statement (a `loadReferenced` read); merge reads both tickets at once.
    expect(solve.portCalls).toEqual(['readBatch', 'commit']);
    expect(merge.portCalls).toEqual(['readBatch', 'commit']);
  });

  it('a desk that seals its outbox (secrets.encryptionKey) keeps the two round trips', async () => {
    const calls: string[] = [];
    const storage = countingStorage(createPostgresStorage(client), calls);
    const { desk } = makeDesk({
      storage,
      secrets: { pepper: 'test-pepper-of-at-least-32-bytes!', encryptionKey: ENCRYPTION_KEY },
    });
    await desk.tickets.submit(ticketInput({ requester: { id: 'cust-6', email: 'c6@example.test' } }));
    const submit = await measured(
      () => desk.tickets.submit(ticketInput({ requester: { id: 'cust-7', email: 'c7@example.test' } })),
      calls,
    );
    expect(submit.portCalls).toEqual(['readBatch', 'commit']);
    expect(submit.roundTrips).toBe(2);
  });

  it('a submit from a requester whose sending budget is spent keeps its two round trips (the window it read is not read again)', async () => {
    const calls: string[] = [];
    const { desk } = makeDesk({ storage: countingStorage(createPostgresStorage(client), calls) });
    const requester = { id: 'cust-8', email: 'c8@example.test' };
    for (let i = 0; i < 21; i++) await desk.tickets.submit(ticketInput({ requester }));
    const submit = await measured(() => desk.tickets.submit(ticketInput({ requester })), calls);
    expect(submit.portCalls).toEqual(['readBatch', 'commit']);
    expect(submit.roundTrips).toBe(2);
  });

  it('a replayed submit finds its key in the batch and commits nothing', async () => {
    const calls: string[] = [];
    const { desk } = makeDesk({ storage: countingStorage(createPostgresStorage(client), calls) });
    const input = ticketInput({ requester: { id: 'cust-5', email: 'c5@example.test' }, idempotencyKey: 'k-2' });
    const first = await desk.tickets.submit(input);
    const replay = await measured(() => desk.tickets.submit(input), calls);
    expect(replay.portCalls).toEqual(['readBatch', 'load']); // the batch finds the key; the load is the answer
    const again = await desk.tickets.submit(input);
    expect(again.ticket.id).toBe(first.ticket.id);
    expect(again.created).toBe(false);
  });
});
