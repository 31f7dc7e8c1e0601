import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { createMemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { UnitOfWork } from '../../src/engine/unit-of-work.js';
import type { Storage } from '../../src/ports/storage.js';

// `uow.preload` reads a command's records in one round trip (issue 16); the loads that follow must
// answer exactly what a load would have, and the commit must be guarded by what was read.

const db = new PGlite();
let pg: Storage;
const loads: string[] = [];

/** The storage with `load` calls counted; every other method passes through. */
function counted(inner: Storage): Storage {
  return new Proxy(inner, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (key === 'load') return (kind: string, id: string) => (loads.push(`${kind}/${id}`), target.load(kind, id));
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const reads = [
  { op: 'load', kind: 'ticket', id: 't1' },
  { op: 'loadReferenced', kind: 'account', from: 0, path: ['context', 'requesterId'] },
] as const;

beforeAll(async () => {
  await migrate(db);
  pg = createPostgresStorage(db as never);
  await pg.commit({
    writes: [
      { kind: 'ticket', id: 't1', expectedVersion: 0, state: { context: { requesterId: 'ann' } }, nextDueAt: null },
      { kind: 'ticket', id: 't2', expectedVersion: 0, state: { context: { requesterId: 'bob' } }, nextDueAt: null },
      { kind: 'account', id: 'ann', expectedVersion: 0, state: { displayName: 'Ann' }, nextDueAt: null },
    ],
    history: [],
    outbox: [],
    idempotency: [],
  });
});
afterAll(async () => {
  await db.close();
});

describe('UnitOfWork.preload', () => {
  it('a preloaded ticket and the account it names are loaded without another round trip', async () => {
    const uow = new UnitOfWork(counted(pg), 0);
    await uow.preload(reads);
    loads.length = 0;
    expect(await uow.load('ticket', 't1')).toEqual(await pg.load('ticket', 't1'));
    expect(await uow.load('account', 'ann')).toEqual(await pg.load('account', 'ann'));
    expect(loads).toEqual([]);
  });

  it('an account the ticket names but the store lacks is known missing, not read again', async () => {
    const uow = new UnitOfWork(counted(pg), 0);
    await uow.preload([{ op: 'load', kind: 'ticket', id: 't2' }, { ...reads[1] }]);
    loads.length = 0;
    expect(await uow.load('account', 'bob')).toBeNull();
    expect(loads).toEqual([]);
  });

  it('a write after a preload is guarded by the preloaded version', async () => {
    const uow = new UnitOfWork(pg, 0);
    await uow.preload(reads);
    await pg.commit({
      writes: [{ kind: 'account', id: 'ann', expectedVersion: 1, state: { displayName: 'Ann B' }, nextDueAt: null }],
      history: [],
      outbox: [],
      idempotency: [],
    });
    uow.put('account', 'ann', { state: { displayName: 'Ann C' }, nextDueAt: null });
    expect(await pg.commit(uow.toCommit())).toBeNull(); // version 1 was read; the store is at 2
  });

  it('what the unit of work already read or wrote keeps its value', async () => {
    const uow = new UnitOfWork(pg, 0);
    const before = await uow.load('ticket', 't1');
    await uow.load('account', 'ann');
    uow.put('account', 'ann', { state: { displayName: 'pending' }, nextDueAt: null });
    await uow.preload(reads);
    expect(await uow.load('ticket', 't1')).toBe(before);
    expect((await uow.load('account', 'ann'))?.state).toEqual({ displayName: 'pending' });
  });

  it('a list read rides in the batch: its records are returned in order, and nothing is kept from it', async () => {
    const uow = new UnitOfWork(counted(pg), 0);
    const results = await uow.preload([
      { op: 'load', kind: 'ticket', id: 't1' },
      { op: 'list', kind: 'ticket', query: { where: {}, limit: 10 } },
    ]);
    expect(results?.[1]).toEqual(await pg.list('ticket', { where: {}, limit: 10 }));
    expect((results?.[1] as unknown[]).length).toBe(2);
    loads.length = 0;
    await uow.load('ticket', 't1'); // preloaded by the load read
    await uow.load('ticket', 't2'); // listed, not kept: read again
    expect(loads).toEqual(['ticket/t2']);
  });

  it('a store without readBatch is left to the loads that follow', async () => {
    const memory = createMemoryStorage();
    expect(memory.readBatch).toBeUndefined();
    const uow = new UnitOfWork(counted(memory), 0);
    expect(await uow.preload(reads)).toBeNull();
    loads.length = 0;
    expect(await uow.load('ticket', 't1')).toBeNull();
    expect(loads).toEqual(['ticket/t1']);
  });
});
