/**
 * Issue 16 (memory per stored ticket): the memory store names a person it stores again and again
 * (a ticket's messages and history) with one frozen actor object, gives a ticket's messages one
 * frozen indexes object, and keeps short histories in arrays of their exact length. Sharing is
 * scoped to what the store keeps anyway: no table outlives the records it came from.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../../src/adapters/memory/index.js';
import type { Commit } from '../../../src/ports/storage.js';
import { agent, makeDesk, ticketInput } from '../../helpers.js';

const T0 = Date.UTC(2026, 2, 2, 9, 0);
const empty: Commit = { writes: [], history: [], outbox: [], idempotency: [] };
const write = (id: string, version: number, indexes: Record<string, string>): Commit => ({
  ...empty,
  writes: [{ kind: 'ticket-message', id, expectedVersion: version, state: { id }, indexes, nextDueAt: null }],
});

/** Two tickets, each through submit → agent asks → requester answers → solve, on the memory store. */
async function lifecycle() {
  const { desk, clock, storage } = makeDesk();
  const tickets = [];
  for (const n of [1, 2]) {
    const requester = { id: `cust-${n}`, email: `cust${n}@example.test` };
    const { ticket } = await desk.tickets.submit(ticketInput({ requester }));
    clock.advanceMinutes(1);
    await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van is it?', askForInfo: true });
    clock.advanceMinutes(1);
    await desk.tickets.reply({ ticketId: ticket.id, author: { role: 'requester', id: requester.id }, body: 'Van 7.' });
    clock.advanceMinutes(1);
    await desk.tickets.solve({ ticketId: ticket.id, actor: agent });
    const messages = await storage.list('ticket-message', { where: { ticket: ticket.id }, limit: 10 });
    tickets.push({ id: ticket.id, messages, history: await storage.history('ticket', ticket.id) });
  }
  return tickets;
}

describe('memory store: shared actors and indexes (issue 16, memory per ticket)', () => {
  it("a ticket's messages and history name each person with one frozen object", async () => {
    const [first] = await lifecycle();
    const authors = first!.messages.map((m) => (m.state as { author: unknown }).author);
    const actors = first!.history.map((h) => h.actor);
    expect(authors).toEqual([
      { role: 'requester', id: 'cust-1' },
      { role: 'agent', id: 'agent-1' },
      { role: 'requester', id: 'cust-1' },
    ]);
    expect(actors).toEqual([authors[0], authors[1], authors[2], authors[1]]);
    expect(authors[2]).toBe(authors[0]);
    expect(actors[0]).toBe(authors[0]);
    expect(actors[1]).toBe(authors[1]);
    expect(actors[2]).toBe(authors[0]);
    expect(actors[3]).toBe(authors[1]);
    for (const actor of actors) expect(Object.isFrozen(actor)).toBe(true);
  });

  it("one ticket's messages share one indexes object; another ticket's have their own", async () => {
    const [first, second] = await lifecycle();
    const [a, b, c] = first!.messages;
    expect(b!.indexes).toBe(a!.indexes);
    expect(c!.indexes).toBe(a!.indexes);
    expect(second!.messages[0]!.indexes).not.toBe(a!.indexes);
    expect(second!.messages[0]!.indexes).toEqual({ ticket: second!.id, publicTicket: second!.id });
    expect(Object.isFrozen(a!.indexes)).toBe(true);
  });

  it("a deleted record's indexes are not kept for the next write, nor a refused commit's", async () => {
    const storage = createMemoryStorage();
    expect(await storage.commit(write('m1', 0, { ticket: 't1' }))).not.toBeNull();
    const m1 = await storage.load('ticket-message', 'm1');
    expect(
      await storage.commit({ ...empty, deletes: [{ kind: 'ticket-message', id: 'm1', expectedVersion: 1 }] }),
    ).not.toBeNull();
    expect(await storage.commit(write('m2', 0, { ticket: 't1' }))).not.toBeNull();
    const m2 = await storage.load('ticket-message', 'm2');
    expect(m2!.indexes).toEqual(m1!.indexes);
    expect(m2!.indexes).not.toBe(m1!.indexes);
    // A refused commit (stale version) stores nothing and is not remembered either.
    expect(await storage.commit(write('m2', 0, { ticket: 't9' }))).toBeNull();
    expect(await storage.commit(write('m3', 0, { ticket: 't1' }))).not.toBeNull();
    expect((await storage.load('ticket-message', 'm3'))!.indexes).toBe(m2!.indexes);
    expect(await storage.list('ticket-message', { where: { ticket: 't9' }, limit: 5 })).toEqual([]);
  });

  it('a record rewritten without indexes, then deleted, leaves nothing of its indexes remembered', async () => {
    const storage = createMemoryStorage();
    const account = (version: number, indexes?: Record<string, string>): Commit => ({
      ...empty,
      writes: [
        {
          kind: 'acct',
          id: 'a1',
          expectedVersion: version,
          state: {},
          ...(indexes ? { indexes } : {}),
          nextDueAt: null,
        },
      ],
    });
    expect(await storage.commit(account(0, { email: 'carol@example.com' }))).not.toBeNull();
    const first = (await storage.load('acct', 'a1'))!.indexes;
    expect(await storage.commit(account(1))).not.toBeNull();
    expect(
      await storage.commit({ ...empty, deletes: [{ kind: 'acct', id: 'a1', expectedVersion: 2 }] }),
    ).not.toBeNull();
    const other = (id: string): Commit => ({
      ...empty,
      writes: [
        { kind: 'acct', id, expectedVersion: 0, state: {}, indexes: { email: 'carol@example.com' }, nextDueAt: null },
      ],
    });
    expect(await storage.commit(other('a2'))).not.toBeNull();
    expect((await storage.load('acct', 'a2'))!.indexes).not.toBe(first);
  });

  it('keeps every entry of a long history in order, past the compact length', async () => {
    const storage = createMemoryStorage();
    for (let i = 1; i <= 40; i++) {
      const entry = { kind: 'ticket', id: 't1', at: T0 + i, type: 'ticket.note', actor: agent, data: { i } };
      expect(await storage.commit({ ...empty, history: [entry, { ...entry, id: 't2' }] })).not.toBeNull();
    }
    for (const id of ['t1', 't2']) {
      const history = await storage.history('ticket', id);
      expect(history.map((h) => [h.seq, (h.data as { i: number }).i])).toEqual(
        Array.from({ length: 40 }, (_, i) => [i + 1, i + 1]),
      );
    }
  });
});
