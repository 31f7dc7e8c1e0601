/**
 * The PostgreSQL adapter against a real server, with 1, 2 and 4 processes, next to plain SQL doing
 * the same writes in one transaction on the same server (issue 16):
 *
 *   PG_URL=postgres://... npx tsx bench/postgres/server.ts        (or DATABASE_URL; skips without)
 *   bash .ci/postgres.sh --start                                   starts the server CI uses
 *
 * One command = read a ticket-sized record, write it back guarded by its version, with one history
 * entry and one outbox message. The adapter does it through runCommand (load, then the single
 * commit statement), once with `preparedStatements: true` (the server plans each statement once per
 * connection; the target row) and once without; the baseline is hand-written SQL: SELECT, then
 * BEGIN, UPDATE, two INSERTs, COMMIT. Each process has one connection and its own records (no conflicts: this measures the
 * cost of a command, not of contention). Rounds alternate the order of the three modes; commands/s is the
 * median over rounds of the sum over processes; p50/p99 pool every command's latency.
 * Uses the schemas `bench_helpdesk` and `bench_plain`, dropped and recreated. Not part of `npm test`.
 */
import { fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { createPostgresStorage, migrate, type SqlClient } from '../../src/adapters/postgres/index.js';
import { runCommand } from '../../src/engine/unit-of-work.js';
import type { Json } from '../../src/ports/json.js';
import { latencyOf, renderTable, type Row, type Section } from '../engine/stats.js';

const SCHEMA = 'bench_helpdesk';
const PLAIN = 'bench_plain';
const T0 = 1_800_000_000_000;
/** Records per process (each process writes only its own). */
const RECORDS = 200;
const PROCESSES = [1, 2, 4] as const;

interface ChildReport {
  latencies: number[];
  commands: number;
  roundTrips: number;
}

/** A ticket-sized snapshot (about 1 KB of JSON). */
function ticketState(i: number, replies: number): Json {
  return {
    value: replies % 2 ? 'pending' : 'open',
    context: {
      number: 10_000 + i,
      subject: `Printer on floor ${i % 7} does not print`,
      requester: { id: `usr_${i}`, email: `user${i}@example.test`, organisation: 'Acme' },
      priority: 'normal',
      replies,
      autoResolveAt: T0 + 72 * 3_600_000,
      description: 'The printer shows a paper jam although there is no paper in it. '.repeat(6),
      tags: ['hardware', 'printer', `floor-${i % 7}`],
    },
  };
}

const outboxPayload = (i: number, replies: number): Json => ({
  to: 'user@example.test',
  subject: `[#${10_000 + i}] reply`,
  text: 'We replied.',
  template: 'ticket.replied',
  locale: 'en',
  replies,
});

const unique = () => `${process.pid}_${performance.now().toString(36)}_${Math.random().toString(36).slice(2)}`;

/** One connection, every query counted as a round trip. */
async function connect(url: string): Promise<{ client: SqlClient & { end(): Promise<void> }; trips: { n: number } }> {
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  const trips = { n: 0 };
  const client = {
    // Passes pg's `{ name, text, values }` form through as well (named prepared statements).
    query: (text: string | object, params?: unknown[]) => {
      trips.n++;
      return raw.query(text as never, params as never[]) as never;
    },
    end: () => raw.end(),
  };
  return { client, trips };
}

/** Tells the parent this child is ready and waits for the common start; the end of the run. */
async function startSignal(ms: number): Promise<number> {
  const go = new Promise((resolve) => process.once('message', resolve));
  process.send!('ready');
  await go;
  return performance.now() + ms;
}

async function adapterLoop(url: string, worker: number, ms: number, prepared: boolean): Promise<ChildReport> {
  const { client, trips } = await connect(url);
  const storage = createPostgresStorage(client, { schema: SCHEMA, preparedStatements: prepared });
  await storage.load('ticket', 'warm-up'); // the one-time schema check, not timed
  const until = await startSignal(ms);
  trips.n = 0;
  const latencies: number[] = [];
  for (let k = 0; performance.now() < until; k++) {
    const i = worker * RECORDS + (k % RECORDS);
    const id = `t${i}`;
    const start = performance.now();
    await runCommand(
      storage,
      () => T0,
      async (uow) => {
        const record = await uow.load('ticket', id);
        const replies = (record!.state as { context: { replies: number } }).context.replies + 1;
        uow.put('ticket', id, {
          state: ticketState(i, replies),
          indexes: { status: 'open' },
          nextDueAt: null,
        });
        uow.history({
          kind: 'ticket',
          id,
          at: T0,
          type: 'ticket.replied',
          actor: { role: 'agent' },
          data: { replies },
        });
        uow.outbox({
          id: `msg_${unique()}`,
          channel: 'email',
          payload: outboxPayload(i, replies),
          idempotencyKey: `reply_${unique()}`,
          availableAt: T0,
        });
      },
    );
    latencies.push(performance.now() - start);
  }
  await client.end();
  return { latencies, commands: latencies.length, roundTrips: trips.n };
}

async function plainLoop(url: string, worker: number, ms: number): Promise<ChildReport> {
  const { client, trips } = await connect(url);
  await client.query('SELECT 1');
  const until = await startSignal(ms);
  trips.n = 0;
  const latencies: number[] = [];
  for (let k = 0; performance.now() < until; k++) {
    const i = worker * RECORDS + (k % RECORDS);
    const id = `t${i}`;
    const start = performance.now();
    const { rows } = await client.query(
      `SELECT version, state::text AS state FROM ${PLAIN}.records WHERE kind = $1 AND id = $2`,
      ['ticket', id],
    );
    const row = rows[0] as { version: number; state: string };
    const replies = (JSON.parse(row.state) as { context: { replies: number } }).context.replies + 1;
    await client.query('BEGIN');
    const updated = await client.query(
      `UPDATE ${PLAIN}.records SET version = version + 1, state = $3::text::json, indexes = $4::text::jsonb,
         next_due_at = NULL, lease_until = NULL WHERE kind = $1 AND id = $2 AND version = $5 RETURNING version`,
      ['ticket', id, JSON.stringify(ticketState(i, replies)), '{"status":"open"}', row.version],
    );
    if (updated.rows.length !== 1) throw new Error('plain SQL: version guard missed');
    await client.query(
      `INSERT INTO ${PLAIN}.history (kind, id, seq, at, type, actor, data)
       VALUES ($1, $2, $3, $4, $5, $6::text::json, $7::text::json)`,
      ['ticket', id, row.version, T0, 'ticket.replied', '{"role":"agent"}', JSON.stringify({ replies })],
    );
    await client.query(
      `INSERT INTO ${PLAIN}.outbox (id, channel, payload, idempotency_key, available_at)
       VALUES ($1, 'email', $2::text::json, $3, $4)`,
      [`msg_${unique()}`, JSON.stringify(outboxPayload(i, replies)), `reply_${unique()}`, T0],
    );
    await client.query('COMMIT');
    latencies.push(performance.now() - start);
  }
  await client.end();
  return { latencies, commands: latencies.length, roundTrips: trips.n };
}

/** Runs `processes` children of one mode for `ms`, started together once all are connected; their reports. */
type Mode = 'prepared' | 'adapter' | 'plain';
const MODES: readonly Mode[] = ['prepared', 'adapter', 'plain'];

async function runChildren(mode: Mode, processes: number, ms: number, url: string) {
  const file = fileURLToPath(import.meta.url);
  const children = Array.from({ length: processes }, (_, worker) =>
    fork(file, ['--child', mode, String(worker), String(ms)], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, PG_URL: url },
    }),
  );
  const message = (child: (typeof children)[number]) =>
    new Promise<unknown>((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => code !== 0 && reject(new Error(`bench child exited with ${code}`)));
    });
  await Promise.all(children.map(message)); // 'ready': connected and warmed up
  const reports = children.map(message);
  for (const child of children) child.send('go');
  return (await Promise.all(reports)) as ChildReport[];
}

async function setUp(url: string): Promise<void> {
  const { client } = await connect(url);
  await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; DROP SCHEMA IF EXISTS ${PLAIN} CASCADE`);
  await migrate(client, { schema: SCHEMA });
  const storage = createPostgresStorage(client, { schema: SCHEMA });
  const total = RECORDS * Math.max(...PROCESSES);
  const writes = Array.from({ length: total }, (_, i) => ({
    kind: 'ticket',
    id: `t${i}`,
    expectedVersion: 0,
    state: ticketState(i, 0),
    indexes: { status: 'open' },
    nextDueAt: null,
  }));
  if (!(await storage.commit({ writes, history: [], outbox: [], idempotency: [] }))) throw new Error('seeding refused');
  await client.query(`
    CREATE SCHEMA ${PLAIN};
    CREATE TABLE ${PLAIN}.records (LIKE ${SCHEMA}.records INCLUDING ALL);
    CREATE TABLE ${PLAIN}.history (LIKE ${SCHEMA}.history INCLUDING ALL);
    CREATE TABLE ${PLAIN}.outbox (LIKE ${SCHEMA}.outbox INCLUDING ALL);
    INSERT INTO ${PLAIN}.records (kind, id, version, state, indexes, next_due_at, lease_until)
      SELECT kind, id, version, state, indexes, next_due_at, lease_until FROM ${SCHEMA}.records;
  `);
  await client.end();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The benchmark as a table section; a note instead of rows without a server. */
export async function benchPostgresServer(options: { rounds?: number; ms?: number } = {}): Promise<Section> {
  const title = 'PostgreSQL adapter on a real server, 1/2/4 processes (bench/postgres/server.ts)';
  const url = process.env.PG_URL ?? process.env.DATABASE_URL;
  if (!url)
    return { title, rows: [], notes: ['skipped: set PG_URL (or DATABASE_URL), e.g. bash .ci/postgres.sh --start'] };
  const rounds = options.rounds ?? 3;
  const ms = options.ms ?? 4_000;
  await setUp(url);
  const rows: Row[] = [];
  for (const processes of PROCESSES) {
    const perRound: Record<Mode, number[]> = { prepared: [], adapter: [], plain: [] };
    const pooled: Record<Mode, ChildReport[]> = { prepared: [], adapter: [], plain: [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? [...MODES].reverse() : MODES;
      for (const mode of order) {
        const reports = await runChildren(mode, processes, ms, url);
        perRound[mode].push(reports.reduce((sum, r) => sum + r.commands, 0) / (ms / 1000));
        pooled[mode].push(...reports);
      }
    }
    const latency = (mode: Mode) => latencyOf(pooled[mode].flatMap((r) => r.latencies));
    const trips = (mode: Mode) =>
      pooled[mode].reduce((s, r) => s + r.roundTrips, 0) / pooled[mode].reduce((s, r) => s + r.commands, 0);
    const plainRate = median(perRound.plain);
    const label = `${processes} process${processes > 1 ? 'es' : ''}`;
    for (const mode of ['prepared', 'adapter'] as const) {
      const rate = median(perRound[mode]);
      const ratio = rate / plainRate;
      rows.push({
        benchmark: `${label}: adapter${mode === 'prepared' ? ', named statements,' : ', unnamed statements,'} vs plain SQL (p50/p99)`,
        subject: latency(mode),
        baseline: latency('plain'),
        ratio,
        // The target is the recommended configuration with pg (preparedStatements: true).
        ...(mode === 'prepared' ? { target: '≥ 0.80', met: ratio >= 0.8 } : {}),
        note: `${rate.toFixed(0)} vs ${plainRate.toFixed(0)} commands/s; round trips ${trips(mode).toFixed(2)} vs ${trips('plain').toFixed(2)}`,
      });
    }
  }
  return {
    title,
    rows,
    notes: [
      `${rounds} alternating rounds of ${ms / 1000} s per mode and process count; ${RECORDS} records per process; ratio = adapter commands/s / plain SQL commands/s (medians over rounds).`,
    ],
  };
}

if (process.argv[2] === '--child') {
  const [, , , mode, worker, ms] = process.argv;
  const url = process.env.PG_URL!;
  const report =
    mode === 'plain'
      ? await plainLoop(url, Number(worker), Number(ms))
      : await adapterLoop(url, Number(worker), Number(ms), mode === 'prepared');
  process.send!(report, () => process.exit(0));
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(renderTable([await benchPostgresServer({ rounds: process.argv.includes('--quick') ? 1 : 3 })]));
}
