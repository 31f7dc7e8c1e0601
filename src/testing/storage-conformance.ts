import type { Json } from '../ports/json.js';
import {
  caseAdder,
  check,
  commitOf,
  message,
  same,
  T0,
  uid,
  write,
  type ConformanceCase,
  type ConformanceTarget,
} from './_conformance-kit.js';
import { storageAgreementCases, type StorageConformanceOptions } from './storage-agreement-conformance.js';
import { deadlineCases } from './storage-deadline-conformance.js';
import { outboxCases } from './storage-outbox-conformance.js';
import { storableTextCases, unstorableTextCases } from './storage-text-conformance.js';

export type { ConformanceCase, ConformanceTarget } from './_conformance-kit.js';
export type { StorageConformanceOptions } from './storage-agreement-conformance.js';

/**
 * The storage conformance suite. Every shipped adapter runs it; host adapters can too:
 *
 * ```ts
 * for (const c of storageConformanceCases({ create: () => createMyStorage() })) test(c.name, c.run);
 * ```
 *
 * Kinds and ids are unique per case, so a shared database is fine; outbox and deadline
 * cases use instants far in the future of each other via a per-case time base.
 */
export function storageConformanceCases(
  target: ConformanceTarget,
  options: StorageConformanceOptions = {},
): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add = caseAdder(target, cases);

  add('load returns null for a missing record', async (s) => {
    check((await s.load(uid('k'), 'nope')) === null, 'expected null');
  });

  add('a create stores version 1 with state, indexes and deadline', async (s) => {
    const kind = uid('k');
    const result = await s.commit(
      commitOf({
        writes: [
          write(
            kind,
            'a',
            0,
            { n: 1, nested: { list: [1, 'x', null, true] } },
            { indexes: { status: 'open' }, nextDueAt: T0 },
          ),
        ],
      }),
    );
    same(result, { versions: [1] }, 'commit result');
    const record = await s.load(kind, 'a');
    check(record, 'record missing');
    same(
      [record.kind, record.id, record.version, record.state, record.indexes, record.nextDueAt],
      [kind, 'a', 1, { n: 1, nested: { list: [1, 'x', null, true] } }, { status: 'open' }, T0],
      'stored record',
    );
  });

  add('a save with the expected version bumps the version', async (s) => {
    const kind = uid('k');
    await s.commit(commitOf({ writes: [write(kind, 'a', 0, { n: 1 })] }));
    same(await s.commit(commitOf({ writes: [write(kind, 'a', 1, { n: 2 })] })), { versions: [2] }, 'second save');
    same((await s.load(kind, 'a'))?.state, { n: 2 }, 'state');
  });

  add('a guard miss returns null and changes nothing', async (s) => {
    const kind = uid('k');
    await s.commit(commitOf({ writes: [write(kind, 'a', 0, { n: 1 })] }));
    const stale = await s.commit(
      commitOf({
        writes: [write(kind, 'a', 0, { n: 99 })],
        history: [{ kind, id: 'a', at: T0, type: 'x', actor: null, data: null }],
        outbox: [message(uid('m'))],
        idempotency: [{ scope: kind, key: 'k1', value: 1 }],
      }),
    );
    check(stale === null, 'stale save must return null');
    const record = await s.load(kind, 'a');
    same([record?.version, record?.state], [1, { n: 1 }], 'record unchanged');
    same(await s.history(kind, 'a'), [], 'no history written');
    check((await s.getIdempotency(kind, 'k1')) === null, 'no idempotency key written');
  });

  add('creating a record that exists is a guard miss', async (s) => {
    const kind = uid('k');
    await s.commit(commitOf({ writes: [write(kind, 'a', 0, { n: 1 })] }));
    check((await s.commit(commitOf({ writes: [write(kind, 'a', 0, { n: 2 })] }))) === null, 'expected null');
  });

  add('a multi-record commit is all or nothing', async (s) => {
    const kind = uid('k');
    await s.commit(commitOf({ writes: [write(kind, 'a', 0, { n: 1 })] }));
    const result = await s.commit(commitOf({ writes: [write(kind, 'b', 0, { n: 1 }), write(kind, 'a', 7, { n: 2 })] }));
    check(result === null, 'expected a guard miss');
    check((await s.load(kind, 'b')) === null, 'b must not exist');
    same(
      await s.commit(commitOf({ writes: [write(kind, 'b', 0, { n: 1 }), write(kind, 'a', 1, { n: 2 })] })),
      { versions: [1, 2] },
      'both written',
    );
  });

  add('loaded state does not alias stored state', async (s) => {
    const kind = uid('k');
    const state = { list: [1, 2], inner: { x: 1 } };
    await s.commit(commitOf({ writes: [write(kind, 'a', 0, state)] }));
    state.list.push(3); // the caller's object changes after the commit
    state.inner.x = 2;
    const loaded = await s.load(kind, 'a');
    same(loaded?.state, { list: [1, 2], inner: { x: 1 } }, 'caller mutation leaked into the store');
    try {
      ((loaded!.state as { list: number[] }).list as number[]).push(4);
      (loaded!.state as { inner: { x: number } }).inner.x = 5;
    } catch {
      // frozen: fine
    }
    same((await s.load(kind, 'a'))?.state, { list: [1, 2], inner: { x: 1 } }, 'a loaded object aliased stored state');
  });

  add('a state that is not plain JSON is refused and nothing is written', async (s) => {
    const kind = uid('k');
    for (const bad of [{ x: Number.NaN }, { x: Infinity }, { d: new Date(T0) }, { f: () => 1 }]) {
      let threw = false;
      try {
        await s.commit(commitOf({ writes: [write(kind, 'a', 0, bad as unknown as Json)] }));
      } catch (error) {
        threw = (error as { code?: string }).code === 'NON_JSON_STATE';
      }
      check(threw, `expected NON_JSON_STATE for ${Object.keys(bad)[0]}`);
    }
    check((await s.load(kind, 'a')) === null, 'nothing may be written');
  });

  add('history is appended in commit order with a per-record sequence', async (s) => {
    const kind = uid('k');
    await s.commit(
      commitOf({
        writes: [write(kind, 'a', 0, {})],
        history: [{ kind, id: 'a', at: T0, type: 'one', actor: { role: 'system' }, data: { i: 1 } }],
      }),
    );
    await s.commit(
      commitOf({
        writes: [write(kind, 'a', 1, {})],
        history: [
          { kind, id: 'a', at: T0 + 1, type: 'two', actor: null, data: null },
          { kind, id: 'b', at: T0 + 1, type: 'other', actor: null, data: null },
        ],
      }),
    );
    const entries = await s.history(kind, 'a');
    same(
      entries.map((e) => [e.seq, e.type, e.at]),
      [
        [1, 'one', T0],
        [2, 'two', T0 + 1],
      ],
      'history of a',
    );
    same(entries[0]?.data, { i: 1 }, 'history data');
    same((await s.history(kind, 'b')).length, 1, 'history of b');
  });

  add('history does not alias the committed entries, nor the entries it returned', async (s) => {
    const kind = uid('k');
    const entry = { kind, id: 'a', at: T0, type: 'one', actor: { id: 'a1' }, data: { list: [1, 2], inner: { x: 1 } } };
    await s.commit(commitOf({ writes: [write(kind, 'a', 0, {})], history: [entry] }));
    // The caller's entry changes after the commit.
    Object.assign(entry, { at: T0 + 1, type: 'changed' });
    entry.actor.id = 'a2';
    entry.data.list.push(3);
    entry.data.inner.x = 2;
    const stored = [[1, T0, 'one', { id: 'a1' }, { list: [1, 2], inner: { x: 1 } }]];
    const read = async () => (await s.history(kind, 'a')).map((e) => [e.seq, e.at, e.type, e.actor, e.data]);
    same(await read(), stored, 'a caller mutation of a committed entry leaked into the history');
    const returned = await s.history(kind, 'a');
    try {
      Object.assign(returned[0]!, { type: 'mutated' });
      (returned[0]!.actor as { id: string }).id = 'a3';
      (returned[0]!.data as { list: number[] }).list.push(4);
      returned.push({ ...returned[0]!, seq: 2 });
    } catch {
      // frozen: fine
    }
    same(await read(), stored, 'a returned entry aliased the stored history');
  });

  add('list filters by index and pages by id', async (s) => {
    const kind = uid('k');
    const writes = ['a', 'b', 'c', 'd', 'e'].map((id, i) =>
      write(kind, id, 0, { i }, { indexes: { status: i % 2 ? 'odd' : 'even', org: 'o1' } }),
    );
    await s.commit(commitOf({ writes }));
    same(
      (await s.list(kind, { where: { status: 'even' }, limit: 10 })).map((r) => r.id),
      ['a', 'c', 'e'],
      'even',
    );
    same(
      (await s.list(kind, { where: { status: 'even', org: 'o1' }, limit: 2 })).map((r) => r.id),
      ['a', 'c'],
      'limit',
    );
    same(
      (await s.list(kind, { where: { status: 'even' }, after: 'c', limit: 10 })).map((r) => r.id),
      ['e'],
      'after',
    );
    same((await s.list(kind, { where: {}, limit: 10 })).length, 5, 'all');
    same(await s.list(kind, { where: { status: 'none' }, limit: 10 }), [], 'none');
    await s.commit(commitOf({ writes: [write(kind, 'a', 1, {}, { indexes: { status: 'odd', org: 'o1' } })] }));
    same(
      (await s.list(kind, { where: { status: 'even' }, limit: 10 })).map((r) => r.id),
      ['c', 'e'],
      'index moved',
    );
  });

  add('sequences start at 1 and never repeat under concurrency', async (s) => {
    const name = uid('seq');
    same(await s.nextSequence(name), 1, 'first');
    const values = await Promise.all(Array.from({ length: 50 }, () => s.nextSequence(name)));
    same(new Set(values).size, 50, 'unique');
    check(Math.min(...values) === 2, 'continues after 1');
  });

  add('readBatch, when the store has it, answers every read as its own method does', async (s) => {
    if (!s.readBatch) return; // optional: a store without it is read call by call
    const kind = uid('batch');
    const [seq, stepped, untouched, scope] = [uid('seq'), uid('seq'), uid('seq'), uid('scope')];
    await s.commit(
      commitOf({
        writes: [
          write(kind, 't', 0, { value: 'closed', context: { owner: 'o' }, n: 7 }, { indexes: { owner: 'o' } }),
          write(kind, 'o', 0, { status: 'active' }),
        ],
        idempotency: [{ scope, key: 'k', value: { ticketId: 't' } }],
      }),
    );
    const results = await s.readBatch([
      { op: 'load', kind, id: 't' },
      { op: 'load', kind, id: 'missing' },
      { op: 'loadReferenced', kind, from: 0, path: ['context', 'owner'] },
      { op: 'loadReferenced', kind, from: 0, path: ['n'] }, // a number names no record
      { op: 'list', kind, query: { where: { owner: 'o' }, limit: 10 } },
      { op: 'nextSequence', name: seq },
      { op: 'getIdempotency', scope, key: 'k' },
      { op: 'getIdempotency', scope, key: 'other' },
      { op: 'load', kind, id: 'o' },
      {
        op: 'nextSequenceIf',
        name: stepped,
        when: [
          { from: 0, path: ['value'], equals: 'closed' },
          { from: 8, path: ['status'], equals: 'active' },
        ],
      },
      { op: 'nextSequenceIf', name: untouched, when: [{ from: 0, path: ['value'], equals: 'open' }] },
    ] as const);
    same(results[0], await s.load(kind, 't'), 'load');
    same(results[1], null, 'missing load');
    same(results[2], await s.load(kind, 'o'), 'loadReferenced');
    same(results[3], null, 'loadReferenced of a number');
    same(results[4], await s.list(kind, { where: { owner: 'o' }, limit: 10 }), 'list');
    same(results[5], 1, 'nextSequence');
    same(await s.nextSequence(seq), 2, 'the batch step counted');
    same(results[6], { ticketId: 't' }, 'getIdempotency');
    same(results[7], null, 'unknown idempotency key');
    same(results[9], 1, 'nextSequenceIf that holds (two records)');
    same(results[10], null, 'nextSequenceIf that does not hold');
    same(await s.nextSequence(untouched), 1, 'a step not taken leaves the sequence untouched');
  });

  add('an idempotency key is stored once; a second commit with it is a guard miss', async (s) => {
    const scope = uid('scope');
    check((await s.getIdempotency(scope, 'k')) === null, 'unknown key');
    await s.commit(
      commitOf({ writes: [write(scope, 'a', 0, {})], idempotency: [{ scope, key: 'k', value: { ticketId: 'a' } }] }),
    );
    same(await s.getIdempotency(scope, 'k'), { ticketId: 'a' }, 'stored value');
    check(
      (await s.commit(
        commitOf({ writes: [write(scope, 'b', 0, {})], idempotency: [{ scope, key: 'k', value: 2 }] }),
      )) === null,
      'second use',
    );
    check((await s.load(scope, 'b')) === null, 'the losing commit wrote nothing');
  });

  add('getIdempotency does not alias the committed value, nor the value it returned', async (s) => {
    const scope = uid('scope');
    const value = { ticketId: 't', list: [1, 2], inner: { x: 1 } };
    await s.commit(commitOf({ idempotency: [{ scope, key: 'k', value }] }));
    // The caller's value changes after the commit.
    value.ticketId = 'changed';
    value.list.push(3);
    value.inner.x = 2;
    const stored = { ticketId: 't', list: [1, 2], inner: { x: 1 } };
    same(await s.getIdempotency(scope, 'k'), stored, 'a caller mutation of the committed value leaked into the store');
    // Each reader mutates what it got; the next read must not see it.
    const readers: Array<() => Promise<unknown>> = [() => s.getIdempotency(scope, 'k')];
    const batch = s.readBatch?.bind(s);
    if (batch) readers.push(async () => (await batch([{ op: 'getIdempotency', scope, key: 'k' }] as const))[0]);
    for (const reader of readers) {
      const returned = (await reader()) as typeof value;
      try {
        returned.ticketId = 'mutated';
        returned.list.push(4);
        returned.inner.x = 5;
      } catch {
        // frozen: fine
      }
      same(await s.getIdempotency(scope, 'k'), stored, 'a returned value aliased the stored one');
    }
  });

  add('two saves racing with the same expected version: exactly one wins', async (s) => {
    const kind = uid('k');
    await s.commit(commitOf({ writes: [write(kind, 'a', 0, { n: 0 })] }));
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        s.commit(
          commitOf({
            writes: [write(kind, 'a', 1, { n: i + 1 })],
            history: [{ kind, id: 'a', at: T0, type: `w${i}`, actor: null, data: null }],
          }),
        ),
      ),
    );
    same(results.filter((r) => r !== null).length, 1, 'winners');
    same((await s.load(kind, 'a'))?.version, 2, 'version');
    same((await s.history(kind, 'a')).length, 1, 'history of the winner only');
  });

  // Deadlines: claimDue, its limit, order and leases (storage-deadline-conformance.ts).
  cases.push(...deadlineCases(target));
  cases.push(...outboxCases(target));
  // Text: astral characters, combining marks, scripts and controls round-trip exactly; U+0000
  // and lone surrogates in JSON are refused (storage-text-conformance.ts).
  cases.push(...storableTextCases(target), ...unstorableTextCases(target));
  // Where the shipped adapters once disagreed: filters, limits, repeats in a commit, big parts.
  cases.push(...storageAgreementCases(target, options));
  return cases;
}
