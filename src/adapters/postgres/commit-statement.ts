import { toJson } from '../../_lib/json.js';
import { commonErrors } from '../../errors.js';
import type { Json } from '../../ports/json.js';
import type { Commit } from '../../ports/storage.js';
import { deleteCtes, deletesClash, hasDeletes } from './deletes.js';
import { refuseUnstorableText } from './_sql.js';

/** One SQL statement that applies a whole {@link Commit}, or refuses all of it. */
export interface CommitStatement {
  text: string;
  params: unknown[];
  /** What the commit returns when the statement succeeds. */
  versions: number[];
}

type ColumnType = 'text' | 'integer' | 'bigint' | 'json' | 'jsonb';
type Columns = ReadonlyArray<readonly [name: string, type: ColumnType]>;
type Row = readonly unknown[];

const WRITE: Columns = [
  ['kind', 'text'],
  ['id', 'text'],
  ['ev', 'integer'],
  ['state', 'json'],
  ['indexes', 'jsonb'],
  ['due', 'bigint'],
];
const HISTORY: Columns = [
  ['ord', 'integer'],
  ['kind', 'text'],
  ['id', 'text'],
  ['at', 'bigint'],
  ['type', 'text'],
  ['actor', 'json'],
  ['data', 'json'],
];
const OUTBOX: Columns = [
  ['ord', 'integer'],
  ['id', 'text'],
  ['channel', 'text'],
  ['payload', 'json'],
  ['key', 'text'],
  ['at', 'bigint'],
];
const EVENT: Columns = [
  ['ord', 'integer'],
  ['id', 'text'],
  ['type', 'text'],
  ['version', 'integer'],
  ['at', 'bigint'],
  ['skind', 'text'],
  ['sid', 'text'],
  ['data', 'json'],
];
const IDEMPOTENCY: Columns = [
  ['scope', 'text'],
  ['key', 'text'],
  ['value', 'json'],
];

/**
 * Parts with up to this many rows send one parameter per value (cheapest for the server to
 * plan and read); a larger part travels as one JSON parameter read by `json_to_recordset`,
 * which keeps far below the protocol's 65,535-parameter limit.
 */
const INLINE_ROWS = 32;

/** The statement's first line: it names the commit in `pg_stat_activity` and in server logs. */
export const COMMIT_TAG = '/* helpdesk-core:commit */';

/**
 * Builds the commit statement. Every value goes through `toJson` first, so a non-JSON value
 * throws NON_JSON_STATE before anything reaches the database. Returns null for a commit that
 * can never apply (the same record written twice).
 *
 * The statement is a chain of data-modifying CTEs. Creates and the outbox and idempotency
 * inserts are plain INSERTs: a key that exists raises a unique violation, which aborts (and so
 * rolls back) the whole statement. Updates match only at their expected version, and a missed
 * UPDATE is silent: with several updates, the final SELECT calls `commit_guard`, which raises
 * unless every one applied. All CTEs run whether or not their output is read, so it is this
 * raise that keeps a partial commit from ever becoming visible. With one update (the usual
 * command) the inserts select nothing unless it applied, and the statement returns no row.
 */
export function commitStatement(s: string, commit: Commit): CommitStatement | null {
  const creates: Row[] = [];
  const updates: Row[] = [];
  const versions: number[] = [];
  const seen = new Set<string>();
  let writesOneRecordTwice = false;
  for (const w of commit.writes) {
    const key = JSON.stringify([w.kind, w.id]);
    if (seen.has(key)) writesOneRecordTwice = true;
    seen.add(key);
    const row = [
      w.kind,
      w.id,
      w.expectedVersion,
      toJson(w.state),
      toJson(w.indexes ?? {}, '$.indexes'),
      w.nextDueAt === null ? null : epochMs(w.nextDueAt, 'nextDueAt'),
    ];
    (w.expectedVersion === 0 ? creates : updates).push(row);
    versions.push(w.expectedVersion + 1);
  }
  // One lock order for every commit, so two commits writing the same records rarely deadlock.
  // (If they still do, PostgreSQL aborts one statement whole and the adapter re-sends it.)
  const byRecord = (a: Row, b: Row) => compareKeys(a[0] as string, a[1] as string, b[0] as string, b[1] as string);
  creates.sort(byRecord);
  updates.sort(byRecord);
  const history = commit.history.map((h, ord) => [
    ord,
    h.kind,
    h.id,
    epochMs(h.at, 'history.at'),
    h.type,
    toJson(h.actor),
    toJson(h.data),
  ]);
  const outbox = commit.outbox.map((m, ord) => [
    ord,
    m.id,
    m.channel,
    toJson(m.payload),
    m.idempotencyKey,
    epochMs(m.availableAt, 'outbox.availableAt'),
  ]);
  const idempotency = commit.idempotency.map((r) => [r.scope, r.key, toJson(r.value)]);
  const events = (commit.events ?? []).map((e, ord) => [
    ord + 1,
    e.id,
    e.type,
    e.version,
    epochMs(e.at, 'events.at'),
    e.subject.kind,
    e.subject.id,
    toJson(e.data),
  ]);

  if (writesOneRecordTwice) return null; // only now: a non-JSON value anywhere still throws first
  if (deletesClash(commit)) return null;

  const params: unknown[] = [];
  const source = (alias: string, columns: Columns, rows: Row[]) => rowSource(params, alias, columns, rows);

  // The common case of a command that only rewrites one record: the UPDATE is the statement.
  const only = updates[0];
  if (
    updates.length === 1 &&
    only &&
    !hasDeletes(commit) &&
    creates.length + history.length + outbox.length + idempotency.length + events.length === 0
  ) {
    return { text: `${COMMIT_TAG} ${updateOne(s, params, only)} RETURNING 1 AS ok`, params, versions };
  }

  const ctes: string[] = [];
  const applied: string[] = [];
  if (updates.length > INLINE_ROWS) {
    ctes.push(`updated AS (
      UPDATE ${s}.records AS r
      SET version = r.version + 1, state = w.state, indexes = w.indexes, next_due_at = w.due, lease_until = NULL
      FROM ${source('w', WRITE, updates)}
      WHERE r.kind = w.kind AND r.id = w.id AND r.version = w.ev
      RETURNING 1)`);
    applied.push(`(SELECT count(*) FROM updated)`);
  } else {
    updates.forEach((row, i) => {
      ctes.push(`updated_${i} AS (${updateOne(s, params, row)} RETURNING 1)`);
      applied.push(`(SELECT count(*) FROM updated_${i})`);
    });
  }
  ctes.push(...deleteCtes(s, params, commit, applied));
  // With a single update, the inserts can simply depend on it: when it misses, none of them
  // inserts anything and the statement ends without an error (and without a server log line).
  const single = updates.length === 1 && !hasDeletes(commit); // and so inline, as updated_0
  const gate = single ? `WHERE EXISTS (SELECT 1 FROM updated_0)` : '';
  if (creates.length > 0) {
    ctes.push(`created AS (
      INSERT INTO ${s}.records (kind, id, version, state, indexes, next_due_at)
      SELECT w.kind, w.id, 1, w.state, w.indexes, w.due FROM ${source('w', WRITE, creates)} ${gate}
      RETURNING 1)`);
  }
  if (history.length > 0) {
    // seq continues the record's history. Writers of a record are serialised by its version
    // guard; two commits appending to a record neither writes may collide on the key, and the
    // adapter then re-sends the later one.
    ctes.push(`appended AS (
      INSERT INTO ${s}.history (kind, id, seq, at, type, actor, data)
      SELECT h.kind, h.id,
        coalesce((SELECT max(x.seq) FROM ${s}.history AS x WHERE x.kind = h.kind AND x.id = h.id), 0)
          + row_number() OVER (PARTITION BY h.kind, h.id ORDER BY h.ord),
        h.at, h.type, h.actor, h.data
      FROM ${source('h', HISTORY, history)} ${gate}
      RETURNING 1)`);
  }
  if (outbox.length > 0) {
    ctes.push(`queued AS (
      INSERT INTO ${s}.outbox (id, channel, payload, idempotency_key, available_at)
      SELECT m.id, m.channel, m.payload, m.key, m.at FROM ${source('m', OUTBOX, outbox)} ${gate} ORDER BY m.ord
      RETURNING 1)`);
  }
  if (idempotency.length > 0) {
    ctes.push(`remembered AS (
      INSERT INTO ${s}.idempotency (scope, key, value)
      SELECT i.scope, i.key, i.value FROM ${source('i', IDEMPOTENCY, idempotency)} ${gate}
      RETURNING 1)`);
  }
  if (events.length > 0) {
    // Reads the updates' results, so it runs after them: the counter row is locked last (after the
    // records, in their one order), and a missed guard takes no positions.
    const held = applied.length > 0 ? `WHERE ${applied.join(' + ')} = ${updates.length}` : '';
    ctes.push(`positioned AS (
      UPDATE ${s}.event_position SET last = last + ${events.length} ${held}
      RETURNING last - ${events.length} AS base)`);
    ctes.push(`published AS (
      INSERT INTO ${s}.events (seq, id, type, version, at, subject_kind, subject_id, data)
      SELECT p.base + e.ord, e.id, e.type, e.version, e.at, e.skind, e.sid, e.data
      FROM ${source('e', EVENT, events)} CROSS JOIN positioned AS p ${gate}
      RETURNING 1)`);
  }
  if (ctes.length === 0) return { text: '', params, versions }; // an empty commit: nothing to send
  const result = single
    ? `SELECT true AS ok FROM updated_0`
    : applied.length > 0
      ? `SELECT ${s}.commit_guard(${applied.join(' + ')} = ${updates.length}) AS ok`
      : `SELECT true AS ok`;
  return { text: `${COMMIT_TAG} WITH ${ctes.join(',\n')}\n${result}`, params, versions };
}

function compareKeys(kindA: string, idA: string, kindB: string, idB: string): number {
  if (kindA !== kindB) return kindA < kindB ? -1 : 1;
  return idA < idB ? -1 : idA > idB ? 1 : 0;
}

/** A guarded UPDATE of one record (without its RETURNING clause). */
function updateOne(s: string, params: unknown[], row: Row): string {
  const [kind, id, ev, state, indexes, due] = WRITE.map(([, type], i) => param(params, row[i], type));
  return `UPDATE ${s}.records
      SET version = version + 1, state = ${state}, indexes = ${indexes}, next_due_at = ${due}, lease_until = NULL
      WHERE kind = ${kind} AND id = ${id} AND version = ${ev}`;
}

/** A FROM item yielding `rows` as `alias(columns)`: inline VALUES, or one JSON parameter when large. */
function rowSource(params: unknown[], alias: string, columns: Columns, rows: Row[]): string {
  const names = columns.map(([name]) => name).join(', ');
  if (rows.length <= INLINE_ROWS) {
    const values = rows.map((row) => `(${columns.map(([, type], i) => param(params, row[i], type)).join(', ')})`);
    return `(VALUES ${values.join(', ')}) AS ${alias}(${names})`;
  }
  // The text cells travel as JSON strings, escaped: `query` would no longer see a lone surrogate
  // among the parameters, and PostgreSQL would answer a raw 22P02. Checked here, as one by one.
  // (The json cells passed `toJson`, which refuses both in strings and keys.)
  const text = columns.flatMap(([, type], i) => (type === 'text' ? [i] : []));
  for (const row of rows) refuseUnstorableText(text.map((i) => row[i]));
  const objects = rows.map((row) => Object.fromEntries(columns.map(([name], i) => [name, row[i]])));
  const json = JSON.stringify(objects);
  refuseNul(json, true);
  params.push(json);
  return `json_to_recordset($${params.length}::text::json) AS ${alias}(${columns.map(([name, type]) => `${name} ${type}`).join(', ')})`;
}

/** Adds one parameter and returns its typed reference. JSON goes as text, so no driver re-encodes it. */
function param(params: unknown[], value: unknown, type: ColumnType): string {
  if (type === 'json' || type === 'jsonb') {
    const text = JSON.stringify(value as Json);
    refuseNul(text, true);
    params.push(text);
    return `$${params.length}::text::${type}`;
  }
  if (typeof value === 'string') refuseNul(value, false);
  params.push(value);
  return `$${params.length}::${type}`;
}

/** A JSON-escaped U+0000 (an even number of backslashes before it would make it literal text). */
const NUL_ESCAPE = /(?<!\\)(?:\\\\)*\\u0000/;

/** PostgreSQL stores no U+0000 in text, and its JSON functions refuse the escape: say so before sending. */
function refuseNul(text: string, isJson: boolean): void {
  if (isJson ? NUL_ESCAPE.test(text) : text.includes('\u0000')) {
    throw commonErrors.raise('INVALID_INPUT', {}, 'PostgreSQL cannot store the character U+0000 in text or JSON.');
  }
}

/** Times are epoch milliseconds in bigint columns: anything but a safe integer is refused here, not by the database. */
function epochMs(value: number, path: string): number {
  if (Number.isSafeInteger(value)) return value;
  throw commonErrors.raise(
    'INVALID_INPUT',
    { path, value: String(value) },
    `${path} must be an integer of epoch milliseconds.`,
  );
}
