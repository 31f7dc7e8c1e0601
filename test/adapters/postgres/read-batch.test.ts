import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate, type SqlClient } from '../../../src/adapters/postgres/index.js';
import { MAX_NAMED_STATEMENTS, send, statementNamer } from '../../../src/adapters/postgres/prepared.js';
import type { Json } from '../../../src/ports/json.js';
import type { BatchRead, Storage } from '../../../src/ports/storage.js';
import { readOneByOne } from '../../../src/_lib/read-one-by-one.js';

const db = new PGlite();
let sent = 0;
const client: SqlClient = {
  query: (text, params) => {
    sent++;
    return db.query(text, params) as never;
  },
};
let storage: Storage;
/** Stores a new account record with that state. */
const putAccount = (id: string, state: Json) =>
  storage.commit({
    writes: [{ kind: 'account', id, expectedVersion: 0, state, nextDueAt: null }],
    history: [],
    outbox: [],
    idempotency: [],
  });

beforeAll(async () => {
  await migrate(db);
  storage = createPostgresStorage(client);
  const write = (id: string, requester: string, due: number | null) => ({
    kind: 'ticket',
    id,
    expectedVersion: 0,
    state: { value: 'open', context: { id, requester, text: 'naïve "quoted" ✓' } },
    indexes: { requester },
    nextDueAt: due,
  });
  await storage.commit({
    writes: [write('t1', 'ann', 1_800_000_000_000), write('t2', 'bob', null), write('t3', 'ann', null)],
    history: [],
    outbox: [],
    idempotency: [{ scope: 'submit', key: 'k1', value: { ticketId: 't1' } }],
  });
});
afterAll(async () => {
  await db.close();
});

describe('PostgreSQL readBatch', () => {
  it('answers every read as its own method does, in one round trip', async () => {
    const reads = [
      { op: 'load', kind: 'ticket', id: 't1' },
      { op: 'load', kind: 'ticket', id: 'missing' },
      { op: 'list', kind: 'ticket', query: { where: { requester: 'ann' }, limit: 10 } },
      { op: 'list', kind: 'ticket', query: { where: {}, after: 't1', limit: 1 } },
      { op: 'list', kind: 'ticket', query: { where: { requester: 'nobody' }, limit: 10 } },
      { op: 'getIdempotency', scope: 'submit', key: 'k1' },
      { op: 'getIdempotency', scope: 'submit', key: 'k2' },
      { op: 'nextSequence', name: 'batch_a' },
    ] as const satisfies readonly BatchRead[];
    sent = 0;
    const batched = await storage.readBatch!(reads);
    expect(sent).toBe(1);
    expect(batched).toEqual([
      await storage.load('ticket', 't1'),
      null,
      await storage.list('ticket', { where: { requester: 'ann' }, limit: 10 }),
      await storage.list('ticket', { where: {}, after: 't1', limit: 1 }),
      [],
      await storage.getIdempotency('submit', 'k1'),
      null,
      1,
    ]);
    expect(batched[0]?.nextDueAt).toBe(1_800_000_000_000);
    expect(await storage.nextSequence('batch_a')).toBe(2); // the batch's step counted
  });

  it('steps a sequence named twice twice (call by call), never repeating a value', async () => {
    const results = await storage.readBatch!([
      { op: 'nextSequence', name: 'batch_b' },
      { op: 'nextSequence', name: 'batch_b' },
    ] as const);
    expect(results).toEqual([1, 2]);
    expect(await storage.readBatch!([])).toEqual([]);
  });

  it('loads the record a loaded record names (loadReferenced) in the same round trip, as one call after the other would', async () => {
    await putAccount('ann', { name: 'Ann' });
    const reads = [
      { op: 'load', kind: 'ticket', id: 't1' },
      { op: 'loadReferenced', kind: 'account', from: 0, path: ['context', 'requester'] }, // ann: found
      { op: 'load', kind: 'ticket', id: 't2' },
      { op: 'loadReferenced', kind: 'account', from: 2, path: ['context', 'requester'] }, // bob: no account
      { op: 'load', kind: 'ticket', id: 'missing' },
      { op: 'loadReferenced', kind: 'account', from: 4, path: ['context', 'requester'] }, // no ticket
      { op: 'loadReferenced', kind: 'account', from: 0, path: ['context'] }, // not a string
      { op: 'loadReferenced', kind: 'account', from: 0, path: ['context', 'nothing'] },
    ] as const satisfies readonly BatchRead[];
    sent = 0;
    const batched = await storage.readBatch!(reads);
    expect(sent).toBe(1);
    expect(batched[1]).toMatchObject({ kind: 'account', id: 'ann', state: { name: 'Ann' } });
    expect(batched.slice(3)).toEqual([null, null, null, null, null]);
    expect(batched).toEqual(await readOneByOne(storage, reads));
  });

  it('steps a sequence only when the loaded records hold the strings named (nextSequenceIf), in the same round trip', async () => {
    await putAccount('odd', { status: 'active', number: 10013, list: ['a', 'b'], NULL: 'x', nested: { flag: true } });
    const open = { from: 0, path: ['value'], equals: 'open' } as const;
    const reads = [
      { op: 'load', kind: 'ticket', id: 't1' }, // open, requester ann
      { op: 'nextSequenceIf', name: 'batch_if', when: [{ from: 0, path: ['value'], equals: 'closed' }] },
      { op: 'nextSequenceIf', name: 'batch_if_other', when: [open] },
      { op: 'load', kind: 'ticket', id: 'missing' },
      { op: 'nextSequenceIf', name: 'batch_if_missing', when: [{ from: 3, path: ['value'], equals: 'open' }] },
      {
        op: 'nextSequenceIf',
        name: 'batch_if_path',
        when: [{ from: 0, path: ['context', 'nothing'], equals: 'open' }],
      },
      {
        op: 'nextSequenceIf',
        name: 'batch_if_both',
        when: [open, { from: 0, path: ['context', 'requester'], equals: 'ann' }],
      },
      {
        op: 'nextSequenceIf',
        name: 'batch_if_half',
        when: [open, { from: 0, path: ['context', 'requester'], equals: 'bob' }],
      },
      { op: 'load', kind: 'account', id: 'odd' },
      // Conditions on two records; strings only (a number or a boolean there is no match); list indexes; `NULL` is a name.
      { op: 'nextSequenceIf', name: 'batch_if_two', when: [open, { from: 8, path: ['status'], equals: 'active' }] },
      { op: 'nextSequenceIf', name: 'batch_if_number', when: [{ from: 8, path: ['number'], equals: '10013' }] },
      { op: 'nextSequenceIf', name: 'batch_if_bool', when: [{ from: 8, path: ['nested', 'flag'], equals: 'true' }] },
      { op: 'nextSequenceIf', name: 'batch_if_index', when: [{ from: 8, path: ['list', '1'], equals: 'b' }] },
      { op: 'nextSequenceIf', name: 'batch_if_null', when: [{ from: 8, path: ['NULL'], equals: 'x' }] },
      { op: 'nextSequenceIf', name: 'batch_if_gone', when: [open, { from: 3, path: ['value'], equals: 'open' }] },
    ] as const satisfies readonly BatchRead[];
    sent = 0;
    const batched = await storage.readBatch!(reads);
    expect(sent).toBe(1);
    const expected = [null, 1, null, null, null, 1, null, 1, null, null, 1, 1, null];
    expect([...batched.slice(1, 8), ...batched.slice(9)]).toEqual(expected);
    // A step not taken leaves its sequence untouched; the one taken counted.
    expect(await storage.nextSequence('batch_if')).toBe(1);
    expect(await storage.nextSequence('batch_if_missing')).toBe(1);
    expect(await storage.nextSequence('batch_if_number')).toBe(1);
    expect(await storage.nextSequence('batch_if_other')).toBe(2);
    // One call after the other answers alike (each sequence taken has moved on by one, two for batch_if_other).
    const again = await readOneByOne(storage, reads);
    const next = (value: number | null, i: number) => (value === null ? null : i === 1 ? 3 : 2);
    expect([...again.slice(1, 8), ...again.slice(9)]).toEqual(expected.map(next));
  });

  it('a loadReferenced takes only a JSON string as the id (a number there names nothing), as one call after the other', async () => {
    await putAccount('10013', { name: 'Numbered' });
    const reads = [
      { op: 'load', kind: 'account', id: 'odd' }, // number: 10013 (a JSON number)
      { op: 'loadReferenced', kind: 'account', from: 0, path: ['number'] },
    ] as const satisfies readonly BatchRead[];
    const batched = await storage.readBatch!(reads);
    expect(batched[0]).not.toBeNull();
    expect(batched[1]).toBeNull();
    expect(await readOneByOne(storage, reads)).toEqual(batched);
  });

  it('steps a conditional sequence named twice, or with a plain step of it, call by call', async () => {
    const results = await storage.readBatch!([
      { op: 'load', kind: 'ticket', id: 't1' },
      { op: 'nextSequence', name: 'batch_if_twice' },
      { op: 'nextSequenceIf', name: 'batch_if_twice', when: [{ from: 0, path: ['value'], equals: 'open' }] },
    ] as const);
    expect(results.slice(1)).toEqual([1, 2]);
  });

  it('refuses a nextSequenceIf that names a later read, a path that is not plain names or no condition', async () => {
    const later = [
      { op: 'nextSequenceIf', name: 'x', when: [{ from: 1, path: ['value'], equals: 'open' }] },
      { op: 'load', kind: 'ticket', id: 't1' },
    ] as const;
    const reads = (path: readonly string[]) =>
      [
        { op: 'load', kind: 'ticket', id: 't1' },
        {
          op: 'nextSequenceIf',
          name: 'x',
          when: [
            { from: 0, path: ['value'], equals: 'open' },
            { from: 0, path, equals: 'b' },
          ],
        },
      ] as const;
    const unconditional = [
      { op: 'load', kind: 'ticket', id: 't1' },
      { op: 'nextSequenceIf', name: 'x', when: [] },
    ] as const;
    // A quote, a leading zero (PostgreSQL reads `01` as index 1), an index past 9 digits.
    for (const bad of [later, reads(["value'"]), reads(['list', '01']), reads(['list', '1234567890']), unconditional]) {
      await expect(storage.readBatch!(bad)).rejects.toThrow(TypeError);
      await expect(readOneByOne(storage, bad)).rejects.toThrow(TypeError);
    }
    expect(await storage.nextSequence('x')).toBe(1); // nothing was stepped
  });

  it('refuses a loadReferenced that names a later read or a path that is not plain names', async () => {
    const later = [
      { op: 'loadReferenced', kind: 'account', from: 1, path: ['context', 'requester'] },
      { op: 'load', kind: 'ticket', id: 't1' },
    ] as const;
    const quoted = [
      { op: 'load', kind: 'ticket', id: 't1' },
      { op: 'loadReferenced', kind: 'account', from: 0, path: ['context}', 'requester'] },
    ] as const;
    for (const reads of [later, quoted]) {
      await expect(storage.readBatch!(reads)).rejects.toThrow(TypeError);
      await expect(readOneByOne(storage, reads)).rejects.toThrow(TypeError);
    }
  });

  it('refuses text PostgreSQL cannot keep, as the single calls do', async () => {
    await expect(storage.readBatch!([{ op: 'load', kind: 'ticket', id: 'a\u0000b' }])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});

describe('named prepared statements', () => {
  it('name a text alike in every storage object, and send pg config form only when named', async () => {
    const seen: unknown[] = [];
    const recording = { query: async (...args: unknown[]) => (seen.push(args), { rows: [] }) } as SqlClient;
    const [a, b] = [statementNamer(), statementNamer()];
    expect(a('SELECT 1')).toBe(b('SELECT 1'));
    expect(a('SELECT 1')).not.toBe(a('SELECT 2'));
    await send(recording, 'SELECT $1', [1], a);
    await send(recording, 'SELECT $1', [1], null);
    expect(seen).toEqual([[{ name: a('SELECT $1'), text: 'SELECT $1', values: [1] }], ['SELECT $1', [1]]]);
  });

  it(`stop naming past their limit (default ${MAX_NAMED_STATEMENTS}), so a connection holds a bounded set`, () => {
    const nameOf = statementNamer(2);
    expect(nameOf('SELECT 1')).not.toBeNull();
    expect(nameOf('SELECT 2')).not.toBeNull();
    expect(nameOf('SELECT 3')).toBeNull();
    expect(nameOf('SELECT 1')).not.toBeNull();
  });
});
