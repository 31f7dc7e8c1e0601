import { refuseMalformedCommit } from '../../_lib/commit-shape.js';
import { toJson } from '../../_lib/json.js';
import type { DueRecord } from '../../ports/deadline-index.js';
import type { EventPage, StoredEvent } from '../../ports/event-store.js';
import type { HistoryEntry } from '../../ports/history-store.js';
import type { Json } from '../../ports/json.js';
import type { OutboxChannel, OutboxClaim, OutboxMessage, OutboxStatus } from '../../ports/outbox-store.js';
import type { ListQuery, StoredRecord } from '../../ports/record-store.js';
import type {
  HistoryRedaction,
  PositionedOutboxMessage,
  PrivacyStore,
  RecordCursor,
} from '../../ports/privacy-store.js';
import type { BatchRead, BatchReadResults, Commit, CommitResult, Storage } from '../../ports/storage.js';
import { sqlErrorOf, type SqlClient } from './client.js';
import { commitStatement } from './commit-statement.js';
import { assertSchemaVersion } from './migrations.js';
import { outboxSettlementOf, type OutboxSettlement } from './outbox-settlement.js';
import { send, statementNamer } from './prepared.js';
import { mentionScanOf } from './privacy-mentions.js';
import { limitOf, listWhere, readInOneStatement } from './read-batch.js';
import { eventOf, outboxMessageOf, recordOf } from './rows.js';
import { DEFAULT_SCHEMA, parseJson, quoteIdent, refuseUnstorableText } from './_sql.js';
import { jitter } from '../../_lib/jitter.js';
import {
  DEADLOCK_DETECTED,
  IN_FAILED_TRANSACTION,
  RESEND_LIMIT,
  ResendsExhausted,
  SERIALIZATION_FAILURE,
} from './resends.js';

/** Options of {@link createPostgresStorage}. */
export interface PostgresStorageOptions {
  /** The PostgreSQL schema that `migrate()` created. Default `helpdesk`. */
  schema?: string;
  /**
   * Check once, before the first operation, that the schema is at the version this library
   * needs, and refuse every operation with `SCHEMA_VERSION_MISMATCH` otherwise. Costs one query
   * per storage object (a failed check is repeated on the next call). Default `true`.
   */
  checkSchema?: boolean;
  /**
   * Send statements (all but record lists) named, so the server plans each once per connection: the
   * client must then accept pg's `{ name, text, values }` (pg does, PGlite not), and a pooler between
   * must keep prepared statements per connection (PgBouncer transaction mode before 1.21 does not). Default `false`.
   */
  preparedStatements?: boolean;
}

/** SQLSTATE raised by `commit_guard` when a version guard missed. */
const GUARD_MISSED = 'HD409';
const UNIQUE_VIOLATION = '23505';
/** Unique keys whose violation means "a guard of the port missed": the commit returns null. */
const GUARD_CONSTRAINTS = new Set(['records_pkey', 'outbox_pkey', 'idempotency_pkey', 'events_id']);

const RECORD_COLUMNS = `kind, id, version, state::text AS state, indexes::text AS indexes, next_due_at`;
const OUTBOX_COLUMNS = `id, channel, payload::text AS payload, idempotency_key, available_at, status, attempts,
  claimed_until, last_error, delivered_at`;

/**
 * The PostgreSQL storage. Every method is one SQL statement, so one round trip (plus one
 * schema check per storage object), and a statement is atomic on its own: `commit` builds its
 * guarded writes, history, outbox and idempotency keys into one statement of data-modifying
 * CTEs that either applies entirely or changes nothing (see `commitStatement`). Claims use
 * `FOR UPDATE SKIP LOCKED`, so any number of instances can sweep deadlines and drain the outbox
 * at once without ever taking the same row.
 */
export class PostgresStorage implements Storage, PrivacyStore {
  private readonly s: string;
  private schemaChecked: Promise<void> | null = null;
  private readonly nameOf: ((text: string) => string | null) | null;
  /** The fenced settlement statements (outbox-settlement.ts). */
  private readonly settlement: OutboxSettlement;

  constructor(
    private readonly client: SqlClient,
    private readonly options: PostgresStorageOptions = {},
  ) {
    this.s = quoteIdent(options.schema ?? DEFAULT_SCHEMA);
    this.nameOf = options.preparedStatements === true ? statementNamer() : null;
    this.settlement = outboxSettlementOf((text, params) => this.query(text, params), this.s);
    // The MentionScan capability (privacy-mentions.ts), never named: the plan depends on the needles.
    Object.assign(
      this,
      mentionScanOf((text, params) => this.query(text, params, false), this.s),
    );
  }

  /** Runs one statement, named when the option is on and `prepare` (false for lists: their best plan depends on the filter). */
  private async query(text: string, params: unknown[] = [], prepare = true): Promise<any[]> {
    // NUL and lone surrogates are refused here (INVALID_INPUT), never sent: the server would
    // answer with a raw error or silently replace a surrogate, so two keys could collide.
    refuseUnstorableText(params);
    if (this.options.checkSchema !== false) await this.ensureSchema();
    let serialization: unknown = null;
    for (let attempt = 1; ; attempt++) {
      try {
        return (await send(this.client, text, params, prepare ? this.nameOf : null)).rows;
      } catch (error) {
        const code = sqlErrorOf(error)?.code;
        // Inside a host's own transaction the re-send meets "transaction aborted": the host's 40001
        // is the answer it must see (to retry its whole transaction), not this.
        if (serialization !== null && code === IN_FAILED_TRANSACTION) throw serialization;
        if (code === SERIALIZATION_FAILURE && attempt >= RESEND_LIMIT) throw new ResendsExhausted(error);
        if (code === SERIALIZATION_FAILURE) {
          serialization = error;
          // Writers of one hot row (the event position) abort each other in step when re-sent at
          // once: from the third try on, wait a random 0–2^(n-2) ms (at most 32), ~0.9 s at most.
          if (attempt >= 2) await jitter(Math.min(2 ** (attempt - 2), 32));
          continue;
        }
        throw error;
      }
    }
  }

  private ensureSchema(): Promise<void> {
    if (!this.schemaChecked) {
      this.schemaChecked = assertSchemaVersion(this.client, this.options.schema ?? DEFAULT_SCHEMA).catch((error) => {
        this.schemaChecked = null; // a later call checks again (e.g. after migrate() ran)
        throw error;
      });
    }
    return this.schemaChecked;
  }

  async load(kind: string, id: string): Promise<StoredRecord | null> {
    const rows = await this.query(`SELECT ${RECORD_COLUMNS} FROM ${this.s}.records WHERE kind = $1 AND id = $2`, [
      kind,
      id,
    ]);
    return rows[0] ? recordOf(rows[0]) : null;
  }

  async list(kind: string, query: ListQuery): Promise<StoredRecord[]> {
    const params: unknown[] = [];
    const where = listWhere(params, kind, query);
    params.push(limitOf(query.limit));
    const rows = await this.query(
      `SELECT ${RECORD_COLUMNS} FROM ${this.s}.records WHERE ${where} ORDER BY id LIMIT $${params.length}`,
      params,
      false,
    );
    return rows.map(recordOf);
  }

  /** Every read in one statement (see `readBatchStatement`), so one round trip. */
  readBatch<R extends readonly BatchRead[]>(reads: R): Promise<BatchReadResults<R>> {
    return readInOneStatement(this, this.s, reads, (text, params, prepare) => this.query(text, params, prepare));
  }

  async history(kind: string, id: string): Promise<HistoryEntry[]> {
    const rows = await this.query(
      `SELECT kind, id, seq, at, type, actor::text AS actor, data::text AS data
       FROM ${this.s}.history WHERE kind = $1 AND id = $2 ORDER BY seq`,
      [kind, id],
    );
    return rows.map((row) => ({
      kind: row.kind,
      id: row.id,
      at: Number(row.at),
      type: row.type,
      actor: parseJson(row.actor),
      data: parseJson(row.data),
      seq: Number(row.seq),
    }));
  }

  async commit(commit: Commit): Promise<CommitResult | null> {
    refuseMalformedCommit(commit); // INVALID_INPUT naming the field, as the memory store answers
    const statement = commitStatement(this.s, commit); // validates every value before anything is sent
    if (statement === null) return null;
    if (statement.text === '') return { versions: statement.versions };
    for (let attempt = 1; ; attempt++) {
      try {
        const rows = await this.query(statement.text, statement.params);
        return rows.length > 0 ? { versions: statement.versions } : null; // no row: the one update missed
      } catch (error) {
        // Still aborted by concurrent writers after every re-send: a lost race, as a missed guard
        // is, so the command re-runs on fresh reads (and at worst answers VERSION_CONFLICT).
        if (error instanceof ResendsExhausted) return null;
        const sql = sqlErrorOf(error);
        if (sql?.code === GUARD_MISSED) return null;
        // The statement was aborted, so nothing of it was written and sending it again is safe.
        if (sql?.code === DEADLOCK_DETECTED && attempt < RESEND_LIMIT) continue;
        if (sql?.code === UNIQUE_VIOLATION) {
          const constraint = sql.constraint ?? constraintInMessage(sql.message);
          if (constraint !== undefined && GUARD_CONSTRAINTS.has(constraint)) return null;
          // Two commits appended history to a record neither of them wrote: the later one
          // recomputes its positions. (Writers of the record are serialised by its version.)
          if (constraint === 'history_pkey' && attempt < RESEND_LIMIT) continue;
        }
        throw error;
      }
    }
  }

  async claimDue(now: number, leaseUntil: number, limit: number): Promise<DueRecord[]> {
    const rows = await this.query(
      `WITH picked AS MATERIALIZED (
         SELECT kind, id FROM ${this.s}.records
         WHERE next_due_at <= $1 AND claim_at <= $1 -- due, and under no live lease
         ORDER BY next_due_at LIMIT $3 -- earliest due first, a lapsed claim too (records_next_due_at)
         FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE ${this.s}.records AS r SET lease_until = $2
         FROM picked WHERE r.kind = picked.kind AND r.id = picked.id
         RETURNING r.kind, r.id, r.next_due_at
       )
       SELECT kind, id, next_due_at FROM claimed ORDER BY next_due_at, kind, id`,
      [now, leaseUntil, Math.max(0, Math.floor(limit))],
    );
    return rows.map((row) => ({ kind: row.kind, id: row.id, dueAt: Number(row.next_due_at) }));
  }

  async claimOutbox(
    channels: readonly OutboxChannel[],
    now: number,
    leaseUntil: number,
    limit: number,
  ): Promise<OutboxMessage[]> {
    if (channels.length === 0) return [];
    // Queue order among messages ready at the same time: position follows insertion, also within one commit.
    const rows = await this.query(
      `WITH picked AS MATERIALIZED (
         SELECT id, ready_at, position FROM ${this.s}.outbox
         WHERE ready_at <= $1 AND channel = ANY (string_to_array($4::text, ','))
         ORDER BY ready_at, position LIMIT $3
         FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE ${this.s}.outbox AS o SET status = 'claimed', attempts = o.attempts + 1, claimed_until = $2
         FROM picked WHERE o.id = picked.id
         RETURNING o.*
       )
       SELECT ${OUTBOX_COLUMNS} FROM claimed JOIN picked USING (id) ORDER BY picked.ready_at, picked.position`,
      [now, leaseUntil, Math.max(0, Math.floor(limit)), channels.join(',')],
    );
    return rows.map(outboxMessageOf);
  }

  markDelivered(id: string, at: number, claim?: OutboxClaim): Promise<boolean> {
    return this.settlement.markDelivered(id, at, claim);
  }

  markFailed(id: string, retryAt: number, error: string, claim?: OutboxClaim): Promise<boolean> {
    return this.settlement.markFailed(id, retryAt, error, claim);
  }

  markDead(id: string, error: string, at?: number, claim?: OutboxClaim): Promise<boolean> {
    return this.settlement.markDead(id, error, at, claim);
  }

  async listOutbox(query: { status?: OutboxStatus; limit?: number } = {}): Promise<OutboxMessage[]> {
    const params: unknown[] = [];
    let where = '';
    if (query.status !== undefined) {
      params.push(query.status);
      where = `WHERE status = $1`;
    }
    let limit = '';
    if (query.limit !== undefined) {
      params.push(Math.max(0, Math.floor(query.limit)));
      limit = `LIMIT $${params.length}`;
    }
    const rows = await this.query(
      `SELECT ${OUTBOX_COLUMNS} FROM ${this.s}.outbox ${where} ORDER BY position ${limit}`,
      params,
    );
    return rows.map(outboxMessageOf);
  }

  // Outbox secrets: the row's payload is rewritten; the old row version lingers only until VACUUM reclaims it.
  async erasePayload(id: string, payload: Json): Promise<boolean> {
    const text = JSON.stringify(toJson(payload, '$.payload'));
    const rows = await this.query(
      `UPDATE ${this.s}.outbox SET payload = $2::json WHERE id = $1 AND status IN ('delivered', 'dead') RETURNING 1 AS erased`,
      [id, text],
    );
    return rows.length > 0;
  }

  async readEvents(page: EventPage): Promise<StoredEvent[]> {
    // Positions are taken under the counter row's lock, so a committed position never lies
    // behind one still in flight: reading by seq alone never skips an event.
    const rows = await this.query(
      `SELECT seq, id, type, version, at, subject_kind, subject_id, data::text AS data
       FROM ${this.s}.events WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [Math.max(0, Math.floor(page.after)), Math.max(0, Math.min(Math.floor(page.limit), 2 ** 31 - 1))],
    );
    return rows.map(eventOf);
  }

  // ── privacy (issue 17): one short statement per call, so an erasure never holds locks for long ──

  async scanRecords(after: RecordCursor | null, limit: number): Promise<StoredRecord[]> {
    const rows = await this.query(
      `SELECT ${RECORD_COLUMNS} FROM ${this.s}.records
       WHERE $1::text IS NULL OR (kind, id) > ($1::text COLLATE "C", $2::text COLLATE "C")
       ORDER BY kind, id LIMIT $3`,
      [after?.kind ?? null, after?.id ?? null, Math.max(0, Math.floor(limit))],
    );
    return rows.map(recordOf);
  }

  async deleteRecord(kind: string, id: string, expectedVersion: number): Promise<boolean> {
    const rows = await this.query(
      `WITH deleted AS (
         DELETE FROM ${this.s}.records WHERE kind = $1 AND id = $2 AND version = $3 RETURNING kind, id
       ), history AS (
         DELETE FROM ${this.s}.history AS h USING deleted WHERE h.kind = deleted.kind AND h.id = deleted.id
       )
       SELECT count(*) AS deleted FROM deleted`,
      [kind, id, expectedVersion],
    );
    return Number(rows[0]?.deleted ?? 0) > 0;
  }

  async redactHistory(redaction: HistoryRedaction): Promise<boolean> {
    const rows = await this.query(
      `UPDATE ${this.s}.history SET actor = $4::json, data = $5::json
       WHERE kind = $1 AND id = $2 AND seq = $3 RETURNING 1 AS redacted`,
      [
        redaction.kind,
        redaction.id,
        redaction.seq,
        JSON.stringify(toJson(redaction.actor, '$.actor')),
        JSON.stringify(toJson(redaction.data, '$.data')),
      ],
    );
    return rows.length > 0;
  }

  async redactEvent(seq: number, redaction: { subjectId: string; data: Json }): Promise<boolean> {
    const rows = await this.query(
      `UPDATE ${this.s}.events SET subject_id = $2, data = $3::json WHERE seq = $1 RETURNING 1 AS redacted`,
      [seq, redaction.subjectId, JSON.stringify(toJson(redaction.data, '$.data'))],
    );
    return rows.length > 0;
  }

  // A recorded last_error becomes the reason too: a provider's refusal quotes the address (SMTP 550).
  async redactOutbox(id: string, payload: Json, reason: string): Promise<boolean> {
    const rows = await this.query(
      `UPDATE ${this.s}.outbox SET payload = $2::json,
         last_error = CASE WHEN status = 'pending' OR last_error IS NOT NULL THEN $3 ELSE NULL END,
         status = CASE WHEN status = 'pending' THEN 'dead' ELSE status END
       WHERE id = $1 AND status <> 'claimed' RETURNING 1 AS redacted`,
      [id, JSON.stringify(toJson(payload, '$.payload')), reason],
    );
    return rows.length > 0;
  }

  async scanOutbox(after: number, limit: number): Promise<PositionedOutboxMessage[]> {
    const rows = await this.query(
      `SELECT position, ${OUTBOX_COLUMNS} FROM ${this.s}.outbox WHERE position > $1 ORDER BY position LIMIT $2`,
      [Math.max(0, Math.floor(after)), Math.max(0, Math.floor(limit))],
    );
    return rows.map((row) => ({ position: Number(row.position), message: outboxMessageOf(row) }));
  }

  async deleteSettledOutbox(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const rows = await this.query(
      `DELETE FROM ${this.s}.outbox WHERE id = ANY ($1::text[]) AND status IN ('delivered', 'dead') RETURNING 1 AS deleted`,
      [[...ids]],
    );
    return rows.length;
  }

  async nextSequence(name: string): Promise<number> {
    const rows = await this.query(
      `INSERT INTO ${this.s}.sequences AS q (name, value) VALUES ($1, 1)
       ON CONFLICT (name) DO UPDATE SET value = q.value + 1
       RETURNING value`,
      [name],
    );
    return Number(rows[0].value);
  }

  async getIdempotency(scope: string, key: string): Promise<Json | null> {
    const rows = await this.query(
      `SELECT value::text AS value FROM ${this.s}.idempotency WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    return rows[0] ? (parseJson(rows[0].value) as Json) : null;
  }
}

/** Creates the PostgreSQL storage over a client (a pg.Pool, pg.Client or PGlite). Run {@link migrate} first. */
export function createPostgresStorage(client: SqlClient, options: PostgresStorageOptions = {}): Storage {
  return new PostgresStorage(client, options);
}

function constraintInMessage(message: string | undefined): string | undefined {
  return message?.match(/unique constraint "([^"]+)"/)?.[1];
}
