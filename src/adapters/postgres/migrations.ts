import type { SqlClient } from './client.js';
import { postgresErrors } from './error-codes.js';
import { DEFAULT_SCHEMA, lockKeyOf, quoteIdent } from './_sql.js';

/** One schema step. `sql` gets the quoted schema name and returns PL/pgSQL-safe statements. */
export interface Migration {
  version: number;
  name: string;
  /** Must return the step's PL/pgSQL-safe statements for the quoted `schema` name. */
  sql: (schema: string) => string;
}

/**
 * The schema, version by version. A released step is never edited: a change is a new step.
 * Times are epoch milliseconds in `bigint` columns, as the ports define them. Opaque JSON
 * (state, history, payloads) is `json`, which keeps the text, and so the key order, exactly
 * as written; the filterable record indexes are `jsonb` under a GIN index. Ids use the "C"
 * collation, so `list` pages in the same (code point) order as the memory adapter.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: (s) => `
      CREATE TABLE ${s}.records (
        kind text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        state json,
        indexes jsonb NOT NULL DEFAULT '{}'::jsonb,
        next_due_at bigint,
        lease_until bigint,
        -- When a sweep may claim the record: due and not under an unexpired lease.
        claim_at bigint GENERATED ALWAYS AS (
          CASE WHEN next_due_at IS NULL THEN NULL ELSE greatest(next_due_at, lease_until) END
        ) STORED,
        CONSTRAINT records_pkey PRIMARY KEY (kind, id)
      );
      CREATE INDEX records_indexes ON ${s}.records USING gin (indexes jsonb_path_ops);
      CREATE INDEX records_claim_at ON ${s}.records (claim_at) WHERE claim_at IS NOT NULL;

      CREATE TABLE ${s}.history (
        kind text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        seq integer NOT NULL CHECK (seq > 0),
        at bigint NOT NULL,
        type text NOT NULL,
        actor json,
        data json,
        CONSTRAINT history_pkey PRIMARY KEY (kind, id, seq)
      );

      CREATE TABLE ${s}.outbox (
        position bigint GENERATED ALWAYS AS IDENTITY,
        id text NOT NULL,
        channel text NOT NULL,
        payload json,
        idempotency_key text NOT NULL,
        available_at bigint NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'claimed', 'delivered', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        claimed_until bigint,
        last_error text,
        delivered_at bigint,
        -- When a dispatcher may claim the message: pending and available, or claimed with a lapsed lease.
        ready_at bigint GENERATED ALWAYS AS (
          CASE status WHEN 'pending' THEN available_at WHEN 'claimed' THEN claimed_until END
        ) STORED,
        CONSTRAINT outbox_pkey PRIMARY KEY (id)
      );
      CREATE INDEX outbox_ready_at ON ${s}.outbox (ready_at) WHERE ready_at IS NOT NULL;
      CREATE INDEX outbox_status_position ON ${s}.outbox (status, position);
      CREATE UNIQUE INDEX outbox_position ON ${s}.outbox (position);

      CREATE TABLE ${s}.sequences (
        name text NOT NULL,
        value bigint NOT NULL,
        CONSTRAINT sequences_pkey PRIMARY KEY (name)
      );

      CREATE TABLE ${s}.idempotency (
        scope text NOT NULL,
        key text NOT NULL,
        value json,
        CONSTRAINT idempotency_pkey PRIMARY KEY (scope, key)
      );

      -- Ends a commit whose version guards did not all hold: the error rolls the whole statement back.
      CREATE FUNCTION ${s}.commit_guard(held boolean) RETURNS boolean
        LANGUAGE plpgsql VOLATILE AS $guard$
        BEGIN
          IF NOT held THEN
            RAISE EXCEPTION 'helpdesk-core: a version guard did not hold' USING ERRCODE = 'HD409';
          END IF;
          RETURN true;
        END
        $guard$;
    `,
  },
  {
    version: 2,
    name: 'outbox claim order',
    // Messages due at the same time are claimed in queue order: the claim sorts and limits on
    // (ready_at, position), and this index serves that order without a sort.
    sql: (s) => `
      CREATE INDEX outbox_ready_at_position ON ${s}.outbox (ready_at, position) WHERE ready_at IS NOT NULL;
      DROP INDEX ${s}.outbox_ready_at;
    `,
  },
  {
    version: 3,
    name: 'domain events',
    // Positions come from one counter row, not a sequence: a commit locks the row until it ends,
    // so positions are contiguous per commit and follow commit order (a cursor never skips one).
    sql: (s) => `
      CREATE TABLE ${s}.events (
        seq bigint NOT NULL CHECK (seq > 0),
        id text NOT NULL,
        type text NOT NULL,
        version integer NOT NULL,
        at bigint NOT NULL,
        subject_kind text COLLATE "C" NOT NULL,
        subject_id text COLLATE "C" NOT NULL,
        data json,
        CONSTRAINT events_pkey PRIMARY KEY (seq),
        CONSTRAINT events_id UNIQUE (id)
      );
      CREATE TABLE ${s}.event_position (
        singleton boolean NOT NULL DEFAULT true CHECK (singleton),
        last bigint NOT NULL,
        CONSTRAINT event_position_pkey PRIMARY KEY (singleton)
      );
      INSERT INTO ${s}.event_position (singleton, last) VALUES (true, 0);
    `,
  },
  {
    version: 4,
    name: 'account phone index',
    // Accounts are listed by phone (privacy's subject lookup); accounts stored before carry the
    // key from their state, so the lookup finds them without a walk.
    sql: (s) => `
      UPDATE ${s}.records
        SET indexes = indexes || jsonb_build_object('phone', state->>'phone')
        WHERE kind = 'account' AND state->>'phone' IS NOT NULL AND NOT indexes ? 'phone';
    `,
  },
  {
    version: 5,
    name: 'ticket requester email index',
    // Tickets are listed by the requester's address, lower-cased (privacy's lookup of a requester
    // the host filed under its own id); tickets stored before carry it from their state. Addresses
    // are ASCII (the submit schema), so translate() lower-cases them as JavaScript does, in any locale.
    sql: (s) => `
      UPDATE ${s}.records
        SET indexes = indexes || jsonb_build_object('requesterEmail', translate(
          state->'context'->>'requesterEmail', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'))
        WHERE kind = 'ticket' AND state->'context'->>'requesterEmail' IS NOT NULL AND NOT indexes ? 'requesterEmail';
    `,
  },
  {
    version: 6,
    name: 'deadline order index',
    // claimDue takes the earliest due first, a claim that lapsed uncommitted too (its claim_at is
    // its lease end): an index in deadline order lets it stop after the batch instead of sorting
    // the whole due backlog on every call.
    sql: (s) => `
      CREATE INDEX IF NOT EXISTS records_next_due_at ON ${s}.records (next_due_at) WHERE next_due_at IS NOT NULL;
    `,
  },
];

/** The schema version this build of the library reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** The PostgreSQL schema that holds the tables; created when missing. Default `helpdesk`. */
  schema?: string;
}

/** What {@link migrate} found and left. */
export interface MigrateResult {
  /** The schema version now in the database (equal to {@link SCHEMA_VERSION}). */
  version: number;
}

/** Arbitrary, fixed first half of the advisory lock key: "HDC1". */
const LOCK_CLASS = 0x48444331;

/**
 * The whole migration as ONE statement: a DO block. One statement is one transaction on one
 * connection with every driver (pg.Pool picks a connection per query; PGlite refuses
 * multi-statement strings with parameters), so the transaction-scoped advisory lock taken
 * first serialises concurrent migrators, and a failure rolls everything back.
 */
export function migrationSql(schema: string): string {
  const s = quoteIdent(schema);
  const steps = MIGRATIONS.map(
    (m) => `
  IF current_version < ${m.version} THEN
    ${m.sql(s)}
    INSERT INTO ${s}.schema_version (version, name) VALUES (${m.version}, '${m.name}');
    current_version := ${m.version};
  END IF;`,
  ).join('\n');
  return `/* helpdesk-core:migrate */
DO $helpdesk_migrate$
DECLARE
  current_version integer;
BEGIN
  PERFORM pg_advisory_xact_lock(${LOCK_CLASS}, ${lockKeyOf(schema)});
  CREATE SCHEMA IF NOT EXISTS ${s};
  CREATE TABLE IF NOT EXISTS ${s}.schema_version (
    version integer NOT NULL PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  );
  SELECT coalesce(max(version), 0) INTO current_version FROM ${s}.schema_version;
  IF current_version > ${SCHEMA_VERSION} THEN
    RETURN; -- a newer library migrated this schema; readSchemaVersion reports it
  END IF;
${steps}
END
$helpdesk_migrate$`;
}

/**
 * Creates or upgrades the schema to {@link SCHEMA_VERSION}. Idempotent, and safe when several
 * instances start at once (they queue on an advisory lock; the first migrates, the rest find
 * nothing to do). Refuses with `SCHEMA_VERSION_MISMATCH` when the schema is newer than this
 * library (it never downgrades).
 */
export async function migrate(client: SqlClient, options: MigrateOptions = {}): Promise<MigrateResult> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  await client.query(migrationSql(schema));
  const version = await readSchemaVersion(client, schema);
  if (version !== SCHEMA_VERSION) throw mismatch(schema, version);
  return { version };
}

/** The schema's version: 0 when it was never migrated. */
export async function readSchemaVersion(client: SqlClient, schema: string): Promise<number> {
  try {
    const { rows } = await client.query(`SELECT max(version) AS version FROM ${quoteIdent(schema)}.schema_version`);
    return Number(rows[0]?.version ?? 0);
  } catch (error) {
    // 42P01 undefined_table, 3F000 invalid_schema_name: never migrated.
    const code = (error as { code?: unknown } | null)?.code;
    if (code === '42P01' || code === '3F000') return 0;
    throw error;
  }
}

/** Throws `SCHEMA_VERSION_MISMATCH` unless the schema is at {@link SCHEMA_VERSION}. */
export async function assertSchemaVersion(client: SqlClient, schema: string): Promise<void> {
  const version = await readSchemaVersion(client, schema);
  if (version !== SCHEMA_VERSION) throw mismatch(schema, version);
}

function mismatch(schema: string, found: number) {
  const advice =
    found < SCHEMA_VERSION
      ? 'run migrate() before creating the storage'
      : 'the database was migrated by a newer helpdesk-core; upgrade this instance';
  return postgresErrors.raise(
    'SCHEMA_VERSION_MISMATCH',
    { schema, expected: SCHEMA_VERSION, found },
    `Schema ${JSON.stringify(schema)} is at version ${found}, this helpdesk-core needs ${SCHEMA_VERSION}: ${advice}.`,
  );
}
