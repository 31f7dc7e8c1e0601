import type { StoredEvent } from '../../ports/event-store.js';
import type { Json } from '../../ports/json.js';
import type { MentionPage, MentionScan, PositionedOutboxMessage, RecordCursor } from '../../ports/privacy-store.js';
import type { StoredRecord } from '../../ports/record-store.js';
import { parseJson, toNumber } from './_sql.js';

/** Runs one statement and returns its rows (the storage's checked `query`). */
export type MentionQuery = (text: string, params: unknown[]) => Promise<any[]>;

/**
 * Case classes that `/iu` joins beyond a character's own upper and lower case (Unicode simple
 * case folding: the long s, the Kelvin sign, Greek final sigma, ...). Found by testing every code
 * point against `/iu`; every character of a class stands for the whole class.
 */
const FOLD_CLASSES = `KkK Ssſ µΜμ ÅåÅ ßẞ Ǆǆǅ Ǉǉǈ Ǌǌǋ Ǳǳǲ ͅΙιι Ββϐ Εεϵ Θθϑϴ Κκϰ Ππϖ Ρρϱ Σσς Φφϕ ΩωΩ Ввᲀ Ддᲁ Ооᲂ Ссᲃ
  Ттᲄᲅ Ъъᲆ Ѣѣᲇ ᲈꙊꙋ Ṡṡẛ ᾀᾈ ᾁᾉ ᾂᾊ ᾃᾋ ᾄᾌ ᾅᾍ ᾆᾎ ᾇᾏ ᾐᾘ ᾑᾙ ᾒᾚ ᾓᾛ ᾔᾜ ᾕᾝ ᾖᾞ ᾗᾟ ᾠᾨ ᾡᾩ ᾢᾪ ᾣᾫ ᾤᾬ ᾥᾭ ᾦᾮ ᾧᾯ ᾳᾼ ῃῌ ῳῼ`;
const FOLDS = new Map<string, string[]>();
for (const members of FOLD_CLASSES.split(/\s+/u)) for (const c of members) FOLDS.set(c, [...members]);

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
 * One page of records that mention a needle, in (kind, id) order. The page is chosen without
 * locks; its rows are then taken `FOR UPDATE SKIP LOCKED`, so the statement never waits for a
 * commit in flight (or another erasure) and holds its row locks only while it runs. A row that was
 * held comes back in `skipped`, and the caller visits it again later.
 */
export async function scanMentionsStatement(
  query: MentionQuery,
  s: string,
  after: RecordCursor | null,
  limit: number,
  needles: readonly string[],
): Promise<MentionPage> {
  const pattern = mentionPattern(needles);
  if (pattern === null || limit <= 0) return { records: [], skipped: [] };
  const rows = await query(
    `WITH page AS (
       SELECT r.kind, r.id FROM ${s}.records r
       WHERE ($1::text IS NULL OR (r.kind, r.id) > ($1::text COLLATE "C", $2::text COLLATE "C"))
         AND (to_json(r.id)::text ~ $3 OR r.state::text ~ $3 OR r.indexes::text ~ $3
              OR EXISTS (SELECT 1 FROM ${s}.history h WHERE h.kind = r.kind AND h.id = r.id
                         AND (h.actor::text ~ $3 OR h.data::text ~ $3)))
       ORDER BY r.kind, r.id LIMIT $4
     ), taken AS (
       SELECT r.kind, r.id, r.version, r.state::text AS state, r.indexes::text AS indexes, r.next_due_at
       FROM ${s}.records r JOIN page ON page.kind = r.kind AND page.id = r.id
       FOR UPDATE OF r SKIP LOCKED
     )
     SELECT page.kind, page.id, taken.id IS NOT NULL AS taken, taken.version, taken.state, taken.indexes,
       taken.next_due_at
     FROM page LEFT JOIN taken ON taken.kind = page.kind AND taken.id = page.id
     ORDER BY page.kind, page.id`,
    [after?.kind ?? null, after?.id ?? null, pattern, Math.max(0, Math.min(Math.floor(limit), 2 ** 31 - 1))],
  );
  const page: MentionPage = { records: [], skipped: [] };
  for (const row of rows) {
    // Not taken: locked by another transaction (or deleted meanwhile, which a later visit finds out).
    if (row.taken === true || row.taken === 't') page.records.push(recordOf(row));
    else page.skipped.push({ kind: row.kind, id: row.id });
  }
  return page;
}

/** Up to `limit` outbox messages above `after` whose payload mentions a needle, in queue order. */
export async function scanOutboxMentionsStatement(
  query: MentionQuery,
  s: string,
  after: number,
  limit: number,
  needles: readonly string[],
): Promise<PositionedOutboxMessage[]> {
  const pattern = mentionPattern(needles);
  if (pattern === null || limit <= 0) return [];
  const rows = await query(
    `SELECT position, id, channel, payload::text AS payload, idempotency_key, available_at, status, attempts,
       claimed_until, last_error, delivered_at
     FROM ${s}.outbox WHERE position > $1 AND payload::text ~ $2 ORDER BY position LIMIT $3`,
    [Math.max(0, Math.floor(after)), pattern, Math.max(0, Math.min(Math.floor(limit), 2 ** 31 - 1))],
  );
  return rows.map((row) => ({
    position: Number(row.position),
    message: {
      id: row.id,
      channel: row.channel,
      payload: parseJson(row.payload) as Json,
      idempotencyKey: row.idempotency_key,
      availableAt: Number(row.available_at),
      status: row.status,
      attempts: Number(row.attempts),
      claimedUntil: toNumber(row.claimed_until),
      lastError: row.last_error ?? null,
      deliveredAt: toNumber(row.delivered_at),
    },
  }));
}

/** Up to `limit` events above `after` whose subject id or data mentions a needle, in order. */
export async function scanEventMentionsStatement(
  query: MentionQuery,
  s: string,
  after: number,
  limit: number,
  needles: readonly string[],
): Promise<StoredEvent[]> {
  const pattern = mentionPattern(needles);
  if (pattern === null || limit <= 0) return [];
  const rows = await query(
    `SELECT seq, id, type, version, at, subject_kind, subject_id, data::text AS data
     FROM ${s}.events WHERE seq > $1 AND (to_json(subject_id)::text ~ $2 OR data::text ~ $2)
     ORDER BY seq LIMIT $3`,
    [Math.max(0, Math.floor(after)), pattern, Math.max(0, Math.min(Math.floor(limit), 2 ** 31 - 1))],
  );
  return rows.map((row) => ({
    seq: Number(row.seq),
    id: row.id,
    type: row.type,
    version: Number(row.version),
    at: Number(row.at),
    subject: { kind: row.subject_kind, id: row.subject_id },
    data: parseJson(row.data) as Json,
  }));
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

function recordOf(row: any): StoredRecord {
  return {
    kind: row.kind,
    id: row.id,
    version: Number(row.version),
    state: parseJson(row.state) as Json,
    indexes: parseJson(row.indexes) as Record<string, string>,
    nextDueAt: toNumber(row.next_due_at),
  };
}
