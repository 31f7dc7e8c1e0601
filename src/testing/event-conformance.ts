import type { EventInput, StoredEvent } from '../ports/event-store.js';
import type { Json } from '../ports/json.js';
import type { Commit, Storage } from '../ports/storage.js';
import type { ConformanceCase } from './storage-conformance.js';

/** How the event suite gets storages. The log is global, so cases only look at their own subjects. */
export interface EventConformanceTarget {
  /** Must return a storage (it may share a database with other cases). */
  create: () => Storage | Promise<Storage>;
  /**
   * Must return a NEW adapter over the same data as `storage` (same database; for an in-memory
   * store, the same object), as after a process restart.
   */
  reopen: (storage: Storage) => Storage | Promise<Storage>;
  /** Called after each case. */
  dispose?: (storage: Storage) => void | Promise<void>;
}

class EventConformanceFailure extends Error {
  override readonly name = 'EventConformanceFailure';
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new EventConformanceFailure(message);
}

function same(actual: unknown, expected: unknown, message: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new EventConformanceFailure(`${message}: expected ${e}, got ${a}`);
}

let counter = 0;
function uid(prefix: string): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

const T0 = 1_800_000_000_000;

function event(subjectId: string, type: string, data: Json = {}): EventInput {
  return { id: uid('evt'), type, version: 1, at: T0, subject: { kind: 'conf_event', id: subjectId }, data };
}

function commitOf(parts: Partial<Commit>): Commit {
  return { writes: [], history: [], outbox: [], idempotency: [], ...parts };
}

/** Every event after `after`, read in pages of `pageSize`. */
async function readAll(storage: Storage, after: number, pageSize = 1000): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await storage.readEvents({ after: cursor, limit: pageSize });
    if (page.length === 0) return out;
    out.push(...page);
    cursor = page[page.length - 1]!.seq;
  }
}

/** The position the log has reached now. */
async function head(storage: Storage): Promise<number> {
  const all = await readAll(storage, 0);
  return all.length > 0 ? all[all.length - 1]!.seq : 0;
}

const mine = (events: StoredEvent[], ids: ReadonlySet<string>) => events.filter((e) => ids.has(e.id));

/**
 * The event-store conformance suite (framework-neutral, like `storageConformanceCases`):
 *
 * ```ts
 * for (const c of eventConformanceCases({ create, reopen })) test(c.name, c.run);
 * ```
 */
export function eventConformanceCases(target: EventConformanceTarget): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add = (name: string, body: (s: Storage) => Promise<void>) =>
    cases.push({
      name,
      run: async () => {
        const storage = await target.create();
        try {
          await body(storage);
        } finally {
          await target.dispose?.(storage);
        }
      },
    });

  add('stores the events of one commit at contiguous positions, in commit order', async (s) => {
    const start = await head(s);
    const subject = uid('rec');
    const events = [event(subject, 'a.one', { n: 1 }), event(subject, 'a.two', { n: 2 }), event(subject, 'a.three')];
    const result = await s.commit(commitOf({ writes: [], events }));
    check(result !== null, 'the commit applies');
    const stored = mine(await readAll(s, start), new Set(events.map((e) => e.id)));
    same(
      stored.map((e) => e.type),
      ['a.one', 'a.two', 'a.three'],
      'events in commit order',
    );
    const first = stored[0]!.seq;
    same(
      stored.map((e) => e.seq),
      [first, first + 1, first + 2],
      'contiguous positions',
    );
    const envelope = (e: EventInput) => [e.id, e.type, e.version, e.at, e.subject.kind, e.subject.id, e.data];
    same(envelope(stored[0]!), envelope(events[0]!), 'the envelope and data read back as written');
  });

  add('writes no event when the commit is refused (version guard, idempotency key)', async (s) => {
    const start = await head(s);
    const subject = uid('rec');
    const kind = uid('kind');
    const created = await s.commit(
      commitOf({ writes: [{ kind, id: 'a', expectedVersion: 0, state: {}, nextDueAt: null }] }),
    );
    check(created !== null, 'the setup commit applies');
    const stale = event(subject, 'refused.version');
    const refusedByVersion = await s.commit(
      commitOf({ writes: [{ kind, id: 'a', expectedVersion: 7, state: {}, nextDueAt: null }], events: [stale] }),
    );
    same(refusedByVersion, null, 'a missed version guard refuses the commit');
    const key = uid('key');
    await s.commit(commitOf({ idempotency: [{ scope: 'conf', key, value: 1 }] }));
    const twice = event(subject, 'refused.idempotency');
    const refusedByKey = await s.commit(commitOf({ idempotency: [{ scope: 'conf', key, value: 2 }], events: [twice] }));
    same(refusedByKey, null, 'an existing idempotency key refuses the commit');
    same(mine(await readAll(s, start), new Set([stale.id, twice.id])), [], 'no event of a refused commit');
  });

  add('pages by `after` without gaps or duplicates', async (s) => {
    const start = await head(s);
    const subject = uid('rec');
    const written: string[] = [];
    for (let i = 0; i < 5; i++) {
      const batch = [event(subject, `p.${i}.a`), event(subject, `p.${i}.b`)];
      written.push(...batch.map((e) => e.id));
      check((await s.commit(commitOf({ events: batch }))) !== null, 'each commit applies');
    }
    const whole = await readAll(s, start, 1000);
    const paged = await readAll(s, start, 3);
    same(
      paged.map((e) => e.seq),
      whole.map((e) => e.seq),
      'pages of 3 cover exactly what one read returns',
    );
    for (let i = 1; i < paged.length; i++) check(paged[i]!.seq > paged[i - 1]!.seq, 'positions strictly increase');
    same(
      mine(paged, new Set(written)).map((e) => e.id),
      written,
      'every event once, in commit order',
    );
    same(await s.readEvents({ after: start, limit: 0 }), [], 'limit 0 reads nothing');
  });

  add('keeps each record’s events in commit order under concurrent commits', async (s) => {
    const start = await head(s);
    const subjects = Array.from({ length: 6 }, () => uid('rec'));
    const ids = new Set<string>();
    await Promise.all(
      subjects.map(async (subject) => {
        for (let step = 0; step < 3; step++) {
          const batch = [event(subject, `c.${step}.a`), event(subject, `c.${step}.b`)];
          batch.forEach((e) => ids.add(e.id));
          check((await s.commit(commitOf({ events: batch }))) !== null, 'each commit applies');
        }
      }),
    );
    const stored = mine(await readAll(s, start), ids);
    same(stored.length, ids.size, 'every event stored once');
    for (const subject of subjects) {
      const own = stored.filter((e) => e.subject.id === subject);
      same(
        own.map((e) => e.type),
        ['c.0.a', 'c.0.b', 'c.1.a', 'c.1.b', 'c.2.a', 'c.2.b'],
        `events of ${subject} in commit order`,
      );
      for (let i = 0; i < own.length; i += 2) same(own[i + 1]!.seq, own[i]!.seq + 1, 'one commit is contiguous');
    }
  });

  add('resumes a cursor after a restart (a new adapter over the same data)', async (s) => {
    const subject = uid('rec');
    const before = event(subject, 'r.before');
    await s.commit(commitOf({ events: [before] }));
    const cursor = (await readAll(s, 0)).find((e) => e.id === before.id)?.seq;
    check(cursor !== undefined, 'the event before the restart is readable');
    const reopened = await target.reopen(s);
    const after = event(subject, 'r.after');
    await reopened.commit(commitOf({ events: [after] }));
    const resumed = await readAll(reopened, cursor);
    same(
      mine(resumed, new Set([before.id, after.id])).map((e) => e.type),
      ['r.after'],
      'reading after the saved cursor returns only what came later',
    );
  });

  add('returns events that do not alias stored data', async (s) => {
    const start = await head(s);
    const e = event(uid('rec'), 'alias', { list: [1] });
    await s.commit(commitOf({ events: [e] }));
    const [first] = mine(await readAll(s, start), new Set([e.id]));
    try {
      ((first!.data as { list: number[] }).list as number[]).push(2);
    } catch {
      // frozen: that is fine too
    }
    const [again] = mine(await readAll(s, start), new Set([e.id]));
    same(again!.data, { list: [1] }, 'stored data unchanged');
  });

  return cases;
}
