import type {
  EventMentionPage,
  MentionPage,
  MentionScan,
  OutboxMentionPage,
  RecordCursor,
} from '../../ports/privacy-store.js';
import { eventOf, outboxMessageOf, recordOf } from './rows.js';

/** Runs one statement and returns its rows (the storage's checked `query`). */
export type MentionQuery = (text: string, params: unknown[]) => Promise<any[]>;

/**
 * Case classes that `/iu` joins beyond a character's own one-character upper and lower case
 * (Unicode simple case folding: the long s, the Kelvin sign, Greek final sigma, ...), and the
 * dotless i, which `/iu` does not join with I. Found by testing every code point against `/iu`
 * (test/privacy/mention-pattern-folds.test.ts); every character of a class stands for the whole
 * class. Written as escapes: an editor or formatter that normalises the source to NFC would
 * silently turn the Kelvin sign into K, the Ohm sign into capital omega, and so on.
 */
const FOLD_CLASSES = `
  \u{4B}\u{6B}\u{212A} \u{53}\u{73}\u{17F} \u{C5}\u{E5}\u{212B} \u{DF}\u{1E9E} \u{131} \u{1C4}\u{1C5}\u{1C6}
  \u{1C7}\u{1C8}\u{1C9} \u{1CA}\u{1CB}\u{1CC} \u{1F1}\u{1F2}\u{1F3} \u{345}\u{399}\u{3B9}\u{1FBE} \u{390}\u{1FD3}
  \u{392}\u{3B2}\u{3D0} \u{395}\u{3B5}\u{3F5} \u{398}\u{3B8}\u{3D1}\u{3F4} \u{39A}\u{3BA}\u{3F0}
  \u{B5}\u{39C}\u{3BC} \u{3A0}\u{3C0}\u{3D6} \u{3A1}\u{3C1}\u{3F1} \u{3A3}\u{3C2}\u{3C3} \u{3A6}\u{3C6}\u{3D5}
  \u{3A9}\u{3C9}\u{2126} \u{3B0}\u{1FE3} \u{412}\u{432}\u{1C80} \u{414}\u{434}\u{1C81} \u{41E}\u{43E}\u{1C82}
  \u{421}\u{441}\u{1C83} \u{422}\u{442}\u{1C84}\u{1C85} \u{42A}\u{44A}\u{1C86} \u{462}\u{463}\u{1C87}
  \u{1E60}\u{1E61}\u{1E9B} \u{1F80}\u{1F88} \u{1F81}\u{1F89} \u{1F82}\u{1F8A} \u{1F83}\u{1F8B} \u{1F84}\u{1F8C}
  \u{1F85}\u{1F8D} \u{1F86}\u{1F8E} \u{1F87}\u{1F8F} \u{1F90}\u{1F98} \u{1F91}\u{1F99} \u{1F92}\u{1F9A}
  \u{1F93}\u{1F9B} \u{1F94}\u{1F9C} \u{1F95}\u{1F9D} \u{1F96}\u{1F9E} \u{1F97}\u{1F9F} \u{1FA0}\u{1FA8}
  \u{1FA1}\u{1FA9} \u{1FA2}\u{1FAA} \u{1FA3}\u{1FAB} \u{1FA4}\u{1FAC} \u{1FA5}\u{1FAD} \u{1FA6}\u{1FAE}
  \u{1FA7}\u{1FAF} \u{1FB3}\u{1FBC} \u{1FC3}\u{1FCC} \u{1FF3}\u{1FFC} \u{1C88}\u{A64A}\u{A64B} \u{FB05}\u{FB06}
`;
const FOLDS = new Map<string, string[]>();
for (const members of FOLD_CLASSES.trim().split(/\s+/u)) for (const c of members) FOLDS.set(c, [...members]);

/** The characters `/iu` treats as `c`: its class, else itself with its one-character upper and lower case. */
function caseClass(c: string): string[] {
  const known = FOLDS.get(c);
  if (known) return known;
  const out = new Set([c]);
  for (const x of [c.toLowerCase(), c.toUpperCase(), c.toUpperCase().toLowerCase(), c.toLowerCase().toUpperCase()])
    if ([...x].length === 1) out.add(x);
  return [...out];
}

/** One character of the JSON text as a PostgreSQL ARE atom: a bracket of its case class, or the literal. */
function atom(c: string): string {
  const members = caseClass(c);
  if (members.length > 1) return `[${members.map((m) => (/[\\\]^-]/u.test(m) ? `\\${m}` : m)).join('')}]`;
  // In an ARE, `\` before a non-alphanumeric character means that character; other characters stand for themselves.
  return /^[\x20-\x7e]$/u.test(c) && !/^[A-Za-z0-9]$/u.test(c) ? `\\${c}` : c;
}

/** Longer needles are matched by their first characters: still never a miss, and the pattern stays small. */
const NEEDLE_PREFIX = 64;

/**
 * The case-insensitive PostgreSQL regular expression that finds any of `needles` inside JSON text
 * (a `json` column as text, or `to_json(text)::text`): each needle as it appears there (JSON
 * escapes for `"`, `\` and control characters), every character literal (`%`, `_`, `\`, regex
 * syntax), each letter a bracket of its `/iu` case class. It never calls `lower()`, so what it
 * finds does not depend on the database's locale or collation. Null when there is no needle.
 */
export function mentionPattern(needles: readonly string[]): string | null {
  const alternatives = new Set<string>();
  for (const needle of needles) {
    if (needle.length === 0) return ''; // the empty needle is in every text
    const inJson = JSON.stringify([...needle].slice(0, NEEDLE_PREFIX).join('')).slice(1, -1);
    alternatives.add([...inJson].map(atom).join(''));
  }
  return alternatives.size === 0 ? null : `(?:${[...alternatives].join('|')})`;
}

/**
 * Rows one mention statement looks at, at most. A regular expression of many needles costs
 * milliseconds per row; without a bound, one statement would read the whole table looking for a
 * page of matches (and never finish under a `statement_timeout`).
 */
export const PG_MENTION_WINDOW = 1_000;

const bounded = (n: number) => Math.max(0, Math.min(Math.floor(n), 2 ** 31 - 1));

/**
 * One page of records that mention a needle, in (kind, id) order, among the next
 * {@link PG_MENTION_WINDOW} records after the cursor. The page is chosen without locks; its rows
 * are then taken `FOR UPDATE SKIP LOCKED`, so the statement never waits for a commit in flight
 * (or another erasure) and holds its row locks only while it runs. A row that was held comes back
 * in `skipped`, and the caller visits it again later. `next` is the window's last record when the
 * page is not full, so a window without a match still moves the cursor.
 */
export async function scanMentionsStatement(
  query: MentionQuery,
  s: string,
  after: RecordCursor | null,
  limit: number,
  needles: readonly string[],
): Promise<MentionPage> {
  const pattern = mentionPattern(needles);
  if (pattern === null || limit <= 0) return { records: [], skipped: [], next: null };
  const rows = await query(
    `WITH win AS (
       SELECT r.kind, r.id FROM ${s}.records r
       WHERE ($1::text IS NULL OR (r.kind, r.id) > ($1::text COLLATE "C", $2::text COLLATE "C"))
       ORDER BY r.kind, r.id LIMIT $5
     ), edge AS (
       SELECT w.kind, w.id, (SELECT count(*) FROM win) AS n FROM win w ORDER BY w.kind DESC, w.id DESC LIMIT 1
     ), page AS (
       SELECT r.kind, r.id FROM ${s}.records r JOIN win ON win.kind = r.kind AND win.id = r.id
       WHERE to_json(r.id)::text ~ $3 OR r.state::text ~ $3 OR r.indexes::text ~ $3
         OR EXISTS (SELECT 1 FROM ${s}.history h WHERE h.kind = r.kind AND h.id = r.id
                    AND (h.actor::text ~ $3 OR h.data::text ~ $3))
       ORDER BY r.kind, r.id LIMIT $4
     ), taken AS (
       SELECT r.kind, r.id, r.version, r.state::text AS state, r.indexes::text AS indexes, r.next_due_at
       FROM ${s}.records r JOIN page ON page.kind = r.kind AND page.id = r.id
       FOR UPDATE OF r SKIP LOCKED
     )
     SELECT edge.kind AS edge_kind, edge.id AS edge_id, edge.n AS edge_n, m.*
     FROM (SELECT 1) one LEFT JOIN edge ON true
     LEFT JOIN (
       SELECT page.kind, page.id, taken.id IS NOT NULL AS taken, taken.version, taken.state, taken.indexes,
         taken.next_due_at
       FROM page LEFT JOIN taken ON taken.kind = page.kind AND taken.id = page.id
     ) m ON true
     ORDER BY m.kind, m.id`,
    [after?.kind ?? null, after?.id ?? null, pattern, bounded(limit), PG_MENTION_WINDOW],
  );
  const page: MentionPage = { records: [], skipped: [], next: null };
  for (const row of rows) {
    if (row.kind === null || row.kind === undefined) continue; // the window matched nothing
    // Not taken: locked by another transaction (or deleted meanwhile, which a later visit finds out).
    if (row.taken === true || row.taken === 't') page.records.push(recordOf(row));
    else page.skipped.push({ kind: row.kind, id: row.id });
  }
  const last = rows[rows.length - 1];
  if (rows.length >= limit && last?.kind != null) page.next = { kind: last.kind, id: last.id };
  else if (Number(rows[0]?.edge_n ?? 0) >= PG_MENTION_WINDOW)
    page.next = { kind: rows[0].edge_kind, id: rows[0].edge_id };
  return page;
}

/**
 * Up to `limit` outbox messages among the next {@link PG_MENTION_WINDOW} above `after` whose
 * payload or last error mentions a needle (the pattern is JSON-escaped, which a plain address
 * reads alike), in queue order; `next` as in {@link scanMentionsStatement}.
 */
export async function scanOutboxMentionsStatement(
  query: MentionQuery,
  s: string,
  after: number,
  limit: number,
  needles: readonly string[],
): Promise<OutboxMentionPage> {
  const pattern = mentionPattern(needles);
  if (pattern === null || limit <= 0) return { messages: [], next: null };
  const rows = await query(
    `WITH win AS (
       SELECT position FROM ${s}.outbox WHERE position > $1 ORDER BY position LIMIT $4
     )
     SELECT e.edge, e.n AS edge_n, m.*
     FROM (SELECT max(position) AS edge, count(*) AS n FROM win) e
     LEFT JOIN LATERAL (
       SELECT o.position, o.id, o.channel, o.payload::text AS payload, o.idempotency_key, o.available_at, o.status,
         o.attempts, o.claimed_until, o.last_error, o.delivered_at
       FROM ${s}.outbox o JOIN win ON win.position = o.position
       WHERE (o.payload::text ~ $2 OR coalesce(o.last_error, '') ~ $2) ORDER BY o.position LIMIT $3
     ) m ON true
     ORDER BY m.position`,
    [Math.max(0, Math.floor(after)), pattern, bounded(limit), PG_MENTION_WINDOW],
  );
  const found = rows.filter((row) => row.position !== null && row.position !== undefined);
  const messages = found.map((row) => ({
    position: Number(row.position),
    message: outboxMessageOf(row),
  }));
  return { messages, next: windowEnd(messages.length, limit, messages.at(-1)?.position, rows[0]) };
}

/**
 * Up to `limit` events among the next {@link PG_MENTION_WINDOW} above `after` whose subject id or
 * data mentions a needle, in order; `next` as in {@link scanMentionsStatement}.
 */
export async function scanEventMentionsStatement(
  query: MentionQuery,
  s: string,
  after: number,
  limit: number,
  needles: readonly string[],
): Promise<EventMentionPage> {
  const pattern = mentionPattern(needles);
  if (pattern === null || limit <= 0) return { events: [], next: null };
  const rows = await query(
    `WITH win AS (
       SELECT seq FROM ${s}.events WHERE seq > $1 ORDER BY seq LIMIT $4
     )
     SELECT e.edge, e.n AS edge_n, m.*
     FROM (SELECT max(seq) AS edge, count(*) AS n FROM win) e
     LEFT JOIN LATERAL (
       SELECT v.seq, v.id, v.type, v.version, v.at, v.subject_kind, v.subject_id, v.data::text AS data
       FROM ${s}.events v JOIN win ON win.seq = v.seq
       WHERE to_json(v.subject_id)::text ~ $2 OR v.data::text ~ $2 ORDER BY v.seq LIMIT $3
     ) m ON true
     ORDER BY m.seq`,
    [Math.max(0, Math.floor(after)), pattern, bounded(limit), PG_MENTION_WINDOW],
  );
  const events = rows.filter((row) => row.seq !== null && row.seq !== undefined).map(eventOf);
  return { events, next: windowEnd(events.length, limit, events.at(-1)?.seq, rows[0]) };
}

/** Where the next page starts: the last match of a full page, else the window's end, else null (the end). */
function windowEnd(found: number, limit: number, lastFound: number | undefined, edge: any): number | null {
  if (found >= limit && lastFound !== undefined) return lastFound;
  return Number(edge?.edge_n ?? 0) >= PG_MENTION_WINDOW ? Number(edge.edge) : null;
}

/**
 * The {@link MentionScan} capability over the storage's `query` and quoted schema `s`: the
 * PostgreSQL storage assigns these methods to itself.
 */
export function mentionScanOf(query: MentionQuery, s: string): MentionScan {
  return {
    scanMentions: (after, limit, needles) => scanMentionsStatement(query, s, after, limit, needles),
    scanOutboxMentions: (after, limit, needles) => scanOutboxMentionsStatement(query, s, after, limit, needles),
    scanEventMentions: (after, limit, needles) => scanEventMentionsStatement(query, s, after, limit, needles),
  };
}
