import { hasPrivacyStore, type PrivacyStore } from '../ports/privacy-store.js';
import type { Storage } from '../ports/storage.js';
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

function privacyOf(storage: Storage): Storage & PrivacyStore {
  check(hasPrivacyStore(storage), 'the storage must implement the PrivacyStore capability');
  return storage as Storage & PrivacyStore;
}

/**
 * Cases for the optional {@link PrivacyStore} capability (GDPR export, erasure, retention).
 * Run them on a host storage that claims the capability; each case uses its own kinds and ids,
 * so a shared database is fine.
 */
export function privacyConformanceCases(target: ConformanceTarget): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add = caseAdder(target, cases);

  add('scanRecords walks every kind in (kind, id) order, from a cursor, within the limit', async (s) => {
    const p = privacyOf(s);
    const [a, b] = [uid('pk-a'), uid('pk-b')];
    await s.commit(commitOf({ writes: [write(a, 'x2', 0, 1), write(a, 'x1', 0, 2), write(b, 'x0', 0, 3)] }));
    const page = await p.scanRecords({ kind: a, id: '' }, 3);
    same(
      page.map((r) => [r.kind, r.id]),
      [
        [a, 'x1'],
        [a, 'x2'],
        [b, 'x0'],
      ],
      'scanRecords order',
    );
    same(
      (await p.scanRecords({ kind: a, id: 'x1' }, 1)).map((r) => r.id),
      ['x2'],
      'scanRecords cursor and limit',
    );
  });

  add('deleteRecord removes the record and its history only at the expected version', async (s) => {
    const p = privacyOf(s);
    const kind = uid('pk-del');
    const entry = { kind, id: 'r', at: T0, type: 't', actor: { role: 'system' }, data: {} };
    await s.commit(
      commitOf({ writes: [write(kind, 'r', 0, { n: 1 }, { indexes: { owner: 'o' } })], history: [entry] }),
    );
    check(!(await p.deleteRecord(kind, 'r', 2)), 'deleteRecord at a wrong version must return false');
    check((await s.load(kind, 'r')) !== null, 'a refused delete must change nothing');
    check(await p.deleteRecord(kind, 'r', 1), 'deleteRecord at the stored version must return true');
    check((await s.load(kind, 'r')) === null, 'a deleted record must not load');
    same(await s.history(kind, 'r'), [], 'a deleted record has no history');
    same(await s.list(kind, { where: { owner: 'o' }, limit: 10 }), [], 'a deleted record leaves its indexes');
    check(!(await p.deleteRecord(kind, 'r', 1)), 'deleting a missing record must return false');
    await s.commit(commitOf({ writes: [write(kind, 'r', 0, { n: 2 })] }));
    same((await s.load(kind, 'r'))?.version, 1, 'the id can be created again');
  });

  add('redactHistory replaces actor and data, keeping time, type and position', async (s) => {
    const p = privacyOf(s);
    const kind = uid('pk-hist');
    const entry = (n: number) => ({
      kind,
      id: 'r',
      at: T0 + n,
      type: `t${n}`,
      actor: { id: 'alice' },
      data: { body: 'hi' },
    });
    await s.commit(commitOf({ writes: [write(kind, 'r', 0, {})], history: [entry(1), entry(2)] }));
    check(
      await p.redactHistory({ kind, id: 'r', seq: 2, actor: { id: 'erased' }, data: { body: 'erased' } }),
      'redactHistory must return true',
    );
    same(
      await s.history(kind, 'r'),
      [
        { ...entry(1), seq: 1 },
        { ...entry(2), actor: { id: 'erased' }, data: { body: 'erased' }, seq: 2 },
      ],
      'history after redaction',
    );
    check(
      !(await p.redactHistory({ kind, id: 'r', seq: 3, actor: {}, data: {} })),
      'a missing entry must return false',
    );
  });

  add('redactEvent replaces the subject id and data, keeping position and type', async (s) => {
    const p = privacyOf(s);
    const id = uid('evt');
    const kind = uid('pk-evt');
    await s.commit(
      commitOf({
        events: [
          { id, type: 'x.happened', version: 1, at: T0, subject: { kind, id: 'alice' }, data: { who: 'alice' } },
        ],
      }),
    );
    const stored = (await s.readEvents({ after: 0, limit: 1_000_000 })).find((e) => e.id === id)!;
    check(
      await p.redactEvent(stored.seq, { subjectId: 'erased', data: { who: 'erased' } }),
      'redactEvent must return true',
    );
    const after = (await s.readEvents({ after: stored.seq - 1, limit: 1 }))[0]!;
    same(after, { ...stored, subject: { kind, id: 'erased' }, data: { who: 'erased' } }, 'event after redaction');
  });

  add(
    'redactOutbox settles a pending message dead, refuses a claimed one; scanOutbox pages in queue order',
    async (s) => {
      const p = privacyOf(s);
      const [m1, m2, m3] = [uid('pm'), uid('pm'), uid('pm')];
      await s.commit(commitOf({ outbox: [message(m1), message(m2), message(m3, { channel: 'sms' })] }));
      const ours = (await p.scanOutbox(0, 1_000_000)).filter((x) => [m1, m2, m3].includes(x.message.id));
      same(
        ours.map((x) => x.message.id),
        [m1, m2, m3],
        'scanOutbox queue order',
      );
      check(ours[0]!.position < ours[1]!.position && ours[1]!.position < ours[2]!.position, 'positions increase');
      same(
        (await p.scanOutbox(ours[0]!.position, 1)).map((x) => x.message.id),
        [m2],
        'scanOutbox cursor and limit',
      );

      await s.claimOutbox(['sms'], T0, T0 + 60_000, 1_000_000);
      check(!(await p.redactOutbox(m3, { erased: true }, 'erased')), 'a claimed message must not be redacted');
      check(await p.redactOutbox(m1, { erased: true }, 'erased'), 'a pending message must be redacted');
      const [after] = (await p.scanOutbox(ours[0]!.position - 1, 1)).map((x) => x.message);
      same(
        [after!.status, after!.payload, after!.lastError],
        ['dead', { erased: true }, 'erased'],
        'pending becomes dead',
      );
    },
  );

  return cases;
}
