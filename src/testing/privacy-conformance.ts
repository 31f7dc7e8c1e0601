import {
  hasMentionScan,
  type MentionScan,
  type PositionedOutboxMessage,
  type PrivacyStore,
  type RecordCursor,
} from '../ports/privacy-store.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { StoredEvent } from '../ports/event-store.js';
import type { Json } from '../ports/json.js';
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
import { addOutboxCases, privacyOf } from './privacy-outbox-conformance.js';

/** The store's MentionScan, or null when it does not claim the capability (its cases then pass as skipped). */
function mentionsOf(storage: Storage): (Storage & PrivacyStore & MentionScan) | null {
  return hasMentionScan(storage) ? (privacyOf(storage) as Storage & PrivacyStore & MentionScan) : null;
}

/** A mention scan's page as the follower below reads it: the matches, and where the next page starts (null: the end). */
type Paged<C, T> = (after: C, limit: number) => Promise<{ items: T[]; next: C | null }>;

/**
 * Follows a mention scan from `after` in pages of `limit` until `want` matches are found or it
 * ends (`next: null`), checking each page's bound. A page may hold fewer matches than `limit`, or
 * none, and still not be the end: the store bounds the rows each call looks at.
 */
async function follow<C, T>(scan: Paged<C, T>, after: C, limit: number, want = Number.POSITIVE_INFINITY) {
  const out: T[] = [];
  let cursor = after;
  for (let pages = 0; out.length < want; pages++) {
    check(pages < 100_000, 'a mention scan must reach its end (next: null)');
    const { items, next } = await scan(cursor, limit);
    check(items.length <= limit, 'a mention scan page holds at most `limit` matches');
    out.push(...items);
    if (next === null) break;
    cursor = next;
  }
  return out.slice(0, want);
}

/** Records and skipped records of `scanMentions`, followed from `after` (null: the start). */
async function followRecords(
  p: MentionScan,
  after: RecordCursor | null,
  limit: number,
  needles: readonly string[],
  want?: number,
) {
  type Item = { record: StoredRecord } | { skipped: RecordCursor };
  const scan: Paged<RecordCursor | null, Item> = async (cursor, n) => {
    const page = await p.scanMentions(cursor, n, needles);
    const items: Item[] = [
      ...page.records.map((record) => ({ record })),
      ...page.skipped.map((skipped) => ({ skipped })),
    ];
    return { items, next: page.next };
  };
  const items = await follow(scan, after, limit, want);
  return {
    records: items.flatMap((item) => ('record' in item ? [item.record] : [])),
    skipped: items.flatMap((item) => ('skipped' in item ? [item.skipped] : [])),
  };
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

  addOutboxCases(add);

  add('scanMentions returns only records whose id, state, indexes or history mention a needle, in order', async (s) => {
    const p = mentionsOf(s);
    if (!p) return; // the optional MentionScan capability: nothing to check
    const token = uid('mention');
    const [a, b] = [uid('pm-a'), uid('pm-b')];
    const entry = { kind: a, id: 'r3', at: T0, type: 't', actor: { id: token }, data: {} };
    await s.commit(
      commitOf({
        writes: [
          write(a, 'r1', 0, { note: `Printer of ${token.toUpperCase()} is down` }),
          write(a, 'r2', 0, { note: 'nothing of theirs' }),
          write(a, 'r3', 0, { note: 'history only' }),
          write(b, `budget:${token}`, 0, {}),
          write(b, 'r5', 0, {}, { indexes: { owner: token } }),
        ],
        history: [entry],
      }),
    );
    const page = await followRecords(p, null, 1_000_000, [token]);
    same(
      page.records.map((r) => [r.kind, r.id]),
      [
        [a, 'r1'],
        [a, 'r3'],
        [b, `budget:${token}`],
        [b, 'r5'],
      ],
      'scanMentions finds the mentions, ignoring case, in (kind, id) order, and nothing else',
    );
    same(page.skipped, [], 'nothing is locked, so nothing is skipped');
    same(page.records[0], await s.load(a, 'r1'), 'scanMentions returns the stored record');
    same(
      (await followRecords(p, { kind: a, id: 'r1' }, 2, [token], 2)).records.map((r) => r.id),
      ['r3', `budget:${token}`],
      'scanMentions cursor and limit',
    );
    same((await p.scanMentions(null, 10, [])).records, [], 'no needle: nothing mentions');
  });

  add('scanMentions matches needles literally: %, _, \\, quotes, line breaks, RegExp syntax, any case', async (s) => {
    const p = mentionsOf(s);
    if (!p) return;
    const t = uid('lit');
    const kind = uid('pm-lit');
    const texts: Record<string, string> = {
      like: `a ${t}%_\\ b`, // LIKE wildcards and its escape character
      likeDecoy: `a ${t}xy\\ b`, // what an unescaped `%_` would match
      regex: `${t}(a+b)*.[c]`,
      regexDecoy: `${t}aab.c`, // what an unescaped RegExp would match
      json: `he said "${t}"\nthen left`, // stored JSON escapes the quote and the line break
      cased: `${t.toUpperCase()}-ÉVA-ΣΟΦΊΑ-STRAẞE-ΟΔΟΣ-ſ`, // ſ is an s to /iu, ẞ a ß, Σ a ς
      casedDecoy: `${t}-eva-σοφια-strasse-οδος-s`, // no accents: other letters
    };
    await s.commit(commitOf({ writes: Object.entries(texts).map(([id, text]) => write(kind, id, 0, { text })) }));
    const found = async (needle: string) =>
      (await followRecords(p, { kind, id: '' }, 1_000_000, [needle])).records
        .filter((r) => r.kind === kind)
        .map((r) => r.id);
    same(await found(`${t}%_\\`), ['like'], '% _ and \\ match only themselves');
    same(await found(`${t}(a+b)*.[c]`), ['regex'], 'RegExp syntax matches only itself');
    same(await found(`"${t}"\nthen`), ['json'], 'quotes and line breaks match as written');
    same(await found(`${t}-éva-σοφία-straße-οδος-s`), ['cased'], 'letters match in any case, as /iu does');
  });

  add('scanOutboxMentions and scanEventMentions return only what mentions a needle, in order', async (s) => {
    const p = mentionsOf(s);
    if (!p) return;
    const token = uid('mention');
    const [m1, m2, m3] = [uid('pm'), uid('pm'), uid('pm')];
    const to = (address: string) => ({ payload: { to: address, subject: 's', text: 't' } });
    await s.commit(
      commitOf({
        outbox: [message(m1, to(`${token}@example.test`)), message(m2), message(m3, to(token.toUpperCase()))],
      }),
    );
    const outbox: Paged<number, PositionedOutboxMessage> = async (after, n) => {
      const page = await p.scanOutboxMentions(after, n, [token]);
      return { items: page.messages, next: page.next };
    };
    const messages = await follow(outbox, 0, 1_000_000);
    same(
      messages.map((x) => x.message.id),
      [m1, m3],
      'scanOutboxMentions finds the payloads naming the needle, in queue order',
    );
    same(
      (await follow(outbox, messages[0]!.position, 1, 1)).map((x) => x.message.id),
      [m3],
      'scanOutboxMentions cursor and limit',
    );
    const kind = uid('pk-evt');
    const event = (id: string, subjectId: string, data: Json) => ({
      id,
      type: 'x.happened',
      version: 1,
      at: T0,
      subject: { kind, id: subjectId },
      data,
    });
    const [e1, e2, e3] = [uid('evt'), uid('evt'), uid('evt')];
    await s.commit(
      commitOf({
        events: [event(e1, token, {}), event(e2, 'other', { who: 'x' }), event(e3, 'other', { who: token })],
      }),
    );
    const log: Paged<number, StoredEvent> = async (after, n) => {
      const page = await p.scanEventMentions(after, n, [token]);
      return { items: page.events, next: page.next };
    };
    const events = await follow(log, 0, 1_000_000);
    same(
      events.map((e) => e.id),
      [e1, e3],
      'scanEventMentions finds subject ids and data naming the needle, in order',
    );
    same(
      (await follow(log, events[0]!.seq, 1, 1)).map((e) => e.id),
      [e3],
      'scanEventMentions cursor and limit',
    );
  });

  add('scanOutboxMentions finds a message whose last error alone names the needle', async (s) => {
    const p = mentionsOf(s);
    if (!p) return;
    const token = uid('bounce');
    const [m1, m2] = [uid('pm'), uid('pm')];
    await s.commit(commitOf({ outbox: [message(m1), message(m2)] }));
    // (A shared store may hold other cases' messages: only these two are looked at.)
    const claimed = (await s.claimOutbox(['email'], T0, T0 + 60_000, 1_000)).filter((m) => m.id === m1 || m.id === m2);
    same(claimed.length, 2, 'both messages claimed');
    // A refusal quotes the recipient (an SMTP 550 does): the payload names no one.
    await s.markFailed(m1, T0 + 1_000, `550 5.1.1 <${token}@example.test>: Recipient address rejected`);
    await s.markFailed(m2, T0 + 1_000, '421 try again later');
    const outbox: Paged<number, PositionedOutboxMessage> = async (after, n) => {
      const page = await p.scanOutboxMentions(after, n, [token]);
      return { items: page.messages, next: page.next };
    };
    same(
      (await follow(outbox, 0, 1_000_000)).map((x) => x.message.id),
      [m1],
      'scanOutboxMentions finds the message by its last error',
    );
  });

  add(
    'mention scans look at a bounded window: a page may hold fewer matches than asked and not be the end',
    async (s) => {
      const p = mentionsOf(s);
      if (!p) return;
      const token = uid('mention');
      const kind = uid('pm-win');
      // More rows than either shipped adapter looks at in one call, the mention only in the last.
      const ids = Array.from({ length: 2_500 }, (_, i) => `r${String(i).padStart(5, '0')}`);
      await s.commit(
        commitOf({ writes: ids.map((id, i) => write(kind, id, 0, { note: i === ids.length - 1 ? token : 'x' })) }),
      );
      const found = await followRecords(p, { kind, id: '' }, 10, [token]);
      same(
        found.records.filter((r) => r.kind === kind).map((r) => r.id),
        [ids[ids.length - 1]],
        'following `next` finds the mention past the first window',
      );
      const first = await p.scanMentions({ kind, id: '' }, 10, [token]);
      check(
        first.records.length > 0 || first.next !== null,
        'a page without a match before the mention must not claim the end (next: null)',
      );
    },
  );

  return cases;
}
