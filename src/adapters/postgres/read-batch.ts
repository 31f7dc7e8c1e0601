import type { Json } from '../../ports/json.js';
import type { ListQuery, StoredRecord } from '../../ports/record-store.js';
import type { BatchRead, BatchReadResults, Storage } from '../../ports/storage.js';
import { pageLimit, refuseNonStringFilter } from '../../_lib/list-query.js';
import { conditionHolds, readOneByOne, referencedId } from '../../_lib/read-one-by-one.js';
import { refuseUnstorableText, toNumber } from './_sql.js';

/** One SQL statement that runs a whole batch of reads, and how to read its one row back. */
export interface ReadBatchStatement {
  text: string;
  params: unknown[];
  /** The results, one per read, from the statement's single row. */
  results(row: Record<string, unknown>): unknown[];
}

/** The statement's first line: it names the batch in `pg_stat_activity` and in server logs. */
export const READ_BATCH_TAG = '/* helpdesk-core:read-batch */';

const RECORD_FIELDS = `kind, id, version, state, indexes, next_due_at`;

/**
 * The WHERE clause and parameters of a `list`, shared by `PostgresStorage.list` and the batch so
 * both filter alike: `indexes @> where` (a GIN-indexed containment), then the id cursor. A filter
 * value that is not a string is refused first (INVALID_INPUT): `JSON.stringify` would drop an
 * `undefined` one, and `indexes @> '{}'` matches every record of the kind.
 */
export function listWhere(params: unknown[], kind: string, query: ListQuery): string {
  refuseNonStringFilter(query.where);
  params.push(kind);
  let where = `kind = $${params.length}`;
  if (Object.keys(query.where).length > 0) {
    refuseUnstorableText(Object.values(query.where));
    params.push(JSON.stringify(query.where));
    where += ` AND indexes @> $${params.length}::text::jsonb`;
  }
  if (query.after !== undefined) {
    params.push(query.after);
    where += ` AND id > $${params.length}`;
  }
  return where;
}

/** A checked path as a `text[]` literal; each plain segment quoted, so `NULL` is a name, not SQL NULL. */
const pathParam = (path: readonly string[]) => `{${path.map((segment) => `"${segment}"`).join(',')}}`;

/** The string at the path `$n` in a row's `state`: a JSON string only (a number there is no id), else NULL. */
const stringAtPath = (param: string) =>
  `CASE WHEN json_typeof(state #> ${param}::text[]) = 'string' THEN state #>> ${param}::text[] END`;

/** A page limit as the adapter sends it: a non-negative integer (the memory store applies the same). */
export const limitOf = pageLimit;

/**
 * Builds one statement for `reads`: each read is a scalar subquery returning its result as JSON
 * text (a sequence step is a data-modifying CTE the row reads), so the batch costs one round
 * trip. Returns null when the batch cannot be one statement: PostgreSQL applies only one of two
 * updates of one row in a statement, so a sequence named twice must be stepped call by call.
 */
export function readBatchStatement(s: string, reads: readonly BatchRead[]): ReadBatchStatement | null {
  const params: unknown[] = [];
  const add = (value: unknown) => `$${params.push(value)}`;
  const ctes: string[] = [];
  const columns: string[] = [];
  const sequences = new Set<string>();
  /** `FROM … WHERE` naming one record. */
  const recordAt = (kind: string, id: string) => `FROM ${s}.records WHERE kind = ${add(kind)} AND id = ${add(id)}`;
  /** {@link recordAt} the record that read `from` (an earlier `load`, checked by the caller) loads. */
  const recordOf = (from: number) => {
    const source = reads[from];
    if (source?.op !== 'load') throw new TypeError('readBatch: unreachable');
    return recordAt(source.kind, source.id);
  };
  /** Steps sequence `name` (created at 1) for the row `row` yields, if any; column `r${i}` reads the value. */
  const step = (i: number, name: string, row: string) => {
    sequences.add(name);
    ctes.push(`step_${i} AS (INSERT INTO ${s}.sequences AS q (name, value) ${row}
           ON CONFLICT (name) DO UPDATE SET value = q.value + 1 RETURNING value)`);
    columns.push(`(SELECT value::text FROM step_${i}) AS r${i}`);
  };
  reads.forEach((read, i) => {
    switch (read.op) {
      case 'load':
        columns.push(`(SELECT row_to_json(r)::text FROM (SELECT ${RECORD_FIELDS}
           ${recordAt(read.kind, read.id)}) AS r) AS r${i}`);
        break;
      case 'loadReferenced':
        referencedId(reads, [], read, i); // refuses a bad reference or path before any SQL is built
        columns.push(`(SELECT row_to_json(r)::text FROM (SELECT ${RECORD_FIELDS} FROM ${s}.records
           WHERE kind = ${add(read.kind)} AND id = (SELECT ${stringAtPath(add(pathParam(read.path)))}
           ${recordOf(read.from)})) AS r) AS r${i}`);
        break;
      case 'list': {
        const where = listWhere(params, read.kind, read.query);
        columns.push(`(SELECT coalesce(json_agg(r ORDER BY r.id), '[]')::text FROM (SELECT ${RECORD_FIELDS}
           FROM ${s}.records WHERE ${where} ORDER BY id LIMIT ${add(limitOf(read.query.limit))}) AS r) AS r${i}`);
        break;
      }
      case 'nextSequence':
        step(i, read.name, `VALUES (${add(read.name)}, 1)`);
        break;
      case 'nextSequenceIf': {
        conditionHolds(reads, [], read, i); // refuses a bad reference, path or empty condition before any SQL
        const holds = read.when.map(
          (c) => `(SELECT ${stringAtPath(add(pathParam(c.path)))} = ${add(c.equals)}::text ${recordOf(c.from)})`,
        );
        // No row, or a condition that is false or NULL (no string there): nothing inserted or stepped.
        step(i, read.name, `SELECT ${add(read.name)}::text, 1 WHERE ${holds.join(' AND ')}`);
        break;
      }
      case 'getIdempotency':
        columns.push(`(SELECT value::text FROM ${s}.idempotency
           WHERE scope = ${add(read.scope)} AND key = ${add(read.key)}) AS r${i}`);
        break;
    }
  });
  if (sequences.size < ctes.length) return null; // each CTE steps one sequence
  const text = `${READ_BATCH_TAG} ${ctes.length > 0 ? `WITH ${ctes.join(',\n')}\n` : ''}SELECT ${columns.join(',\n')}`;
  return {
    text,
    params,
    results: (row) =>
      reads.map((read, i) => {
        const value = row[`r${i}`];
        const json: unknown = value === null || value === undefined ? null : JSON.parse(value as string);
        switch (read.op) {
          case 'load':
          case 'loadReferenced':
            return json === null ? null : recordOfJson(json);
          case 'list':
            return (json as unknown[]).map(recordOfJson);
          case 'nextSequence':
            return Number(json);
          case 'nextSequenceIf':
            return json === null ? null : Number(json);
          case 'getIdempotency':
            return json as Json | null;
        }
      }),
  };
}

/**
 * `Storage.readBatch` for the adapter: the batch as one statement through `query`, or call by
 * call when it cannot be one. Named only without a `list` (a list's best plan depends on its filter).
 */
export async function readInOneStatement<R extends readonly BatchRead[]>(
  storage: Storage,
  s: string,
  reads: R,
  query: (text: string, params: unknown[], prepare: boolean) => Promise<any[]>,
): Promise<BatchReadResults<R>> {
  const statement = readBatchStatement(s, reads);
  if (reads.length === 0) return [] as unknown as BatchReadResults<R>;
  if (statement === null) return (await readOneByOne(storage, reads)) as BatchReadResults<R>;
  const [row] = await query(statement.text, statement.params, !reads.some((read) => read.op === 'list'));
  return statement.results(row as Record<string, unknown>) as BatchReadResults<R>;
}

/** A record selected with `row_to_json`: its json columns arrive parsed, its bigint as a number. */
function recordOfJson(value: unknown): StoredRecord {
  const row = value as Record<string, unknown>;
  return {
    kind: row['kind'] as string,
    id: row['id'] as string,
    version: Number(row['version']),
    state: row['state'] as Json,
    indexes: (row['indexes'] ?? {}) as Record<string, string>,
    nextDueAt: toNumber(row['next_due_at']),
  };
}
