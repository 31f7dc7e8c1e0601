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

/** A deadline no other case uses, so claiming it takes no lease on another case's records. */
const EARLY = 1;

const entry = (kind: string, id: string, type: string) => ({
  kind,
  id,
  at: T0,
  type,
  actor: { role: 'system' },
  data: {},
});

/**
 * Cases for `Commit.deletes`: a record removed with the rest of a commit, guarded by its version,
 * with its indexes, deadline and history, and all or nothing with the commit's other parts.
 */
export function deleteConformanceCases(target: ConformanceTarget): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add = caseAdder(target, cases);

  add('a commit deletes a record with its indexes, deadline and history, together with a write', async (s) => {
    const kind = uid('del');
    await s.commit(
      commitOf({
        writes: [
          write(kind, 'gone', 0, { n: 1 }, { indexes: { owner: 'o' }, nextDueAt: EARLY }),
          write(kind, 'kept', 0, {}, { nextDueAt: EARLY }),
        ],
        history: [entry(kind, 'gone', 'created')],
      }),
    );
    const result = await s.commit(
      commitOf({
        writes: [write(kind, 'kept', 1, { n: 2 }, { nextDueAt: EARLY })],
        history: [entry(kind, 'kept', 'touched')],
        deletes: [{ kind, id: 'gone', expectedVersion: 1 }],
      }),
    );
    same(result, { versions: [2] }, 'the commit answers the versions of its writes only');
    check((await s.load(kind, 'gone')) === null, 'a deleted record must not load');
    same(await s.history(kind, 'gone'), [], 'a deleted record has no history');
    same(await s.list(kind, { where: { owner: 'o' }, limit: 10 }), [], 'a deleted record leaves no index entry');
    same(
      (await s.list(kind, { where: {}, limit: 10 })).map((r) => r.id),
      ['kept'],
      'a listing of the kind no longer has it',
    );
    same((await s.load(kind, 'kept'))?.version, 2, 'the write next to the delete applied');
    const due = await s.claimDue(EARLY, T0, 1000);
    same(
      due.filter((d) => d.kind === kind).map((d) => d.id),
      ['kept'],
      'a deleted record has no deadline to claim',
    );
  });

  add('a delete at another version refuses the whole commit', async (s) => {
    const kind = uid('del-ver');
    await s.commit(commitOf({ writes: [write(kind, 'r', 0, {}), write(kind, 'w', 0, {})] }));
    const refused = await s.commit(
      commitOf({
        writes: [write(kind, 'w', 1, { changed: true }), write(kind, 'new', 0, {})],
        history: [entry(kind, 'w', 'touched')],
        outbox: [message(uid('m'))],
        deletes: [{ kind, id: 'r', expectedVersion: 2 }],
      }),
    );
    check(refused === null, 'a delete whose version guard misses must make the commit return null');
    check((await s.load(kind, 'r')) !== null, 'the record stays');
    same((await s.load(kind, 'w'))?.version, 1, 'the write next to it did not apply');
    check((await s.load(kind, 'new')) === null, 'the create next to it did not apply');
    same(await s.history(kind, 'w'), [], 'the history next to it was not appended');
  });

  add('a delete of a missing record refuses the commit; a missed write keeps the record', async (s) => {
    const kind = uid('del-miss');
    await s.commit(commitOf({ writes: [write(kind, 'r', 0, {}), write(kind, 'w', 0, {})] }));
    const missing = await s.commit(commitOf({ deletes: [{ kind, id: 'nobody', expectedVersion: 1 }] }));
    check(missing === null, 'deleting a record that does not exist must return null');
    const missedWrite = await s.commit(
      commitOf({ writes: [write(kind, 'w', 5, {})], deletes: [{ kind, id: 'r', expectedVersion: 1 }] }),
    );
    check(missedWrite === null, 'a missed write guard must make the commit return null');
    check((await s.load(kind, 'r')) !== null, 'and the delete next to it must not apply');
  });

  add('a commit that writes, or appends history to, a record it deletes is refused', async (s) => {
    const kind = uid('del-clash');
    await s.commit(commitOf({ writes: [write(kind, 'r', 0, {})] }));
    const del = { kind, id: 'r', expectedVersion: 1 };
    check((await s.commit(commitOf({ writes: [write(kind, 'r', 1, {})], deletes: [del] }))) === null, 'write + delete');
    check(
      (await s.commit(commitOf({ history: [entry(kind, 'r', 't')], deletes: [del] }))) === null,
      'history + delete',
    );
    check((await s.commit(commitOf({ deletes: [del, del] }))) === null, 'the same delete twice');
    same((await s.load(kind, 'r'))?.version, 1, 'none of them changed the record');
  });

  add('a deleted id can be created again, from version 1 with an empty history', async (s) => {
    const kind = uid('del-again');
    await s.commit(commitOf({ writes: [write(kind, 'r', 0, { n: 1 })], history: [entry(kind, 'r', 'first')] }));
    check(await s.commit(commitOf({ deletes: [{ kind, id: 'r', expectedVersion: 1 }] })), 'the delete applies');
    check(
      await s.commit(commitOf({ writes: [write(kind, 'r', 0, { n: 2 })], history: [entry(kind, 'r', 'again')] })),
      'create',
    );
    const again = await s.load(kind, 'r');
    same([again?.version, again?.state], [1, { n: 2 }], 'the new record');
    same(
      (await s.history(kind, 'r')).map((h) => [h.seq, h.type]),
      [[1, 'again']],
      'the history starts over',
    );
  });

  add('several deletes in one commit apply together or not at all', async (s) => {
    const kind = uid('del-many');
    const ids = Array.from({ length: 40 }, (_, i) => `r${String(i).padStart(2, '0')}`);
    await s.commit(commitOf({ writes: ids.map((id) => write(kind, id, 0, {})) }));
    const all = ids.map((id) => ({ kind, id, expectedVersion: 1 }));
    const oneWrong = all.map((d, i) => (i === 39 ? { ...d, expectedVersion: 2 } : d));
    check((await s.commit(commitOf({ deletes: oneWrong }))) === null, 'one missed guard refuses all');
    same((await s.list(kind, { where: {}, limit: 100 })).length, 40, 'none was deleted');
    check(await s.commit(commitOf({ deletes: all })), 'all at their versions');
    same(await s.list(kind, { where: {}, limit: 100 }), [], 'all were deleted');
  });

  return cases;
}
