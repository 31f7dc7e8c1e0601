/**
 * PostgreSQL adapter benchmark, on PGlite in-process (no server needed):
 *
 *   npx tsx bench/postgres/index.ts
 *
 * (a) database round trips per command through runCommand, counted by a wrapping client;
 * (b) commands/s of the adapter next to plain SQL doing the same reads and writes on a
 *     comparable table in the same process, medians over several alternating rounds;
 * (c) the deadline sweep: 1,000 due records among 100,000.
 * Not part of `npm test`.
 */
import { PGlite } from '@electric-sql/pglite';
import { createPostgresStorage, migrate, type SqlClient } from '../../src/adapters/postgres/index.js';
import { sweepDueTimers } from '../../src/engine/timers.js';
import { runCommand, type UnitOfWork } from '../../src/engine/unit-of-work.js';
import type { Json } from '../../src/ports/json.js';
import type { Storage } from '../../src/ports/storage.js';

const T0 = 1_800_000_000_000;
const RECORDS = 1_000;
const ROUNDS = 7;
const COMMANDS_PER_ROUND = 400;

/** A ticket-sized snapshot (about 1 KB of JSON), as an xstate snapshot would be. */
function ticketState(i: number, replies: number): Json {
  return {
    status: 'active',
    value: replies % 2 ? 'pending' : 'open',
    context: {
      number: 10_000 + i,
      subject: `Printer on floor ${i % 7} does not print`,
      requester: { id: `usr_${i}`, email: `user${i}@example.test`, organisation: 'Acme' },
      priority: 'normal',
      assignee: `agt_${i % 13}`,
      replies,
      autoResolveAt: T0 + 72 * 3_600_000,
      sla: { firstResponseDueAt: T0 + 3_600_000, resolutionDueAt: T0 + 86_400_000, breached: false },
      description: 'The printer shows a paper jam although there is no paper in it. '.repeat(6),
      tags: ['hardware', 'printer', `floor-${i % 7}`],
    },
    historyValue: {},
    children: {},
  };
}

function counting(client: SqlClient) {
  const counter = { queries: 0 };
  const wrapped: SqlClient = {
    query: (text, params) => {
      counter.queries++;
      return client.query(text, params);
    },
  };
  return { counter, client: wrapped };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The adapter's command: load, transition (a counter here), write back. */
async function adapterCommand(storage: Storage, i: number, withEffects: boolean): Promise<void> {
  const id = `t${i % RECORDS}`;
  await runCommand(
    storage,
    () => T0,
    async (uow: UnitOfWork) => {
      const record = await uow.load('ticket', id);
      const replies = ((record?.state as { context: { replies: number } }).context.replies ?? 0) + 1;
      uow.put('ticket', id, {
        state: ticketState(i, replies),
        indexes: { status: 'open', org: 'acme' },
        nextDueAt: T0 + replies,
      });
      if (withEffects) {
        uow.history({
          kind: 'ticket',
          id,
          at: T0,
          type: 'ticket.replied',
          actor: { role: 'agent', id: 'a1' },
          data: { replies },
        });
        uow.outbox({
          id: `msg_${i}_${replies}_${Math.random().toString(36).slice(2)}`,
          channel: 'email',
          payload: {
            to: 'user@example.test',
            subject: `[#${10_000 + i}] reply`,
            text: 'We replied.',
            template: 'ticket.replied',
            locale: 'en',
          },
          idempotencyKey: `reply-${i}-${replies}`,
          availableAt: T0,
        });
      }
    },
  );
}

/** The same command in plain SQL on a comparable table: one SELECT and one guarded UPDATE. */
async function baselineCommand(db: PGlite, i: number, withEffects: boolean): Promise<void> {
  const id = `t${i % RECORDS}`;
  const { rows } = await db.query<{ version: number; state: string }>(
    `SELECT version, state::text AS state FROM bench.tickets WHERE kind = $1 AND id = $2`,
    ['ticket', id],
  );
  const row = rows[0]!;
  const replies = (JSON.parse(row.state) as { context: { replies: number } }).context.replies + 1;
  const state = JSON.stringify(ticketState(i, replies));
  if (!withEffects) {
    await db.query(
      `UPDATE bench.tickets SET version = version + 1, state = $3::text::json, indexes = $4::text::jsonb, next_due_at = $5,
       lease_until = NULL WHERE kind = $1 AND id = $2 AND version = $6`,
      ['ticket', id, state, '{"status":"open","org":"acme"}', T0 + replies, row.version],
    );
    return;
  }
  // What a hand-written equivalent of a command with effects would do: a transaction.
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE bench.tickets SET version = version + 1, state = $3::text::json, indexes = $4::text::jsonb, next_due_at = $5,
       lease_until = NULL WHERE kind = $1 AND id = $2 AND version = $6`,
      ['ticket', id, state, '{"status":"open","org":"acme"}', T0 + replies, row.version],
    );
    await tx.query(
      `INSERT INTO bench.history (kind, id, seq, at, type, actor, data) VALUES ($1, $2, $3, $4, $5, $6::text::json, $7::text::json)`,
      ['ticket', id, row.version, T0, 'ticket.replied', '{"role":"agent","id":"a1"}', JSON.stringify({ replies })],
    );
    await tx.query(
      `INSERT INTO bench.outbox (id, channel, payload, idempotency_key, available_at) VALUES ($1, 'email', $2::text::json, $3, $4)`,
      [
        `msg_${i}_${replies}_${Math.random().toString(36).slice(2)}`,
        JSON.stringify({ to: 'user@example.test' }),
        `reply-${i}-${replies}`,
        T0,
      ],
    );
  });
}

async function seedTickets(db: PGlite, storage: Storage): Promise<void> {
  const writes = Array.from({ length: RECORDS }, (_, i) => ({
    kind: 'ticket',
    id: `t${i}`,
    expectedVersion: 0,
    state: ticketState(i, 0),
    indexes: { status: 'open', org: 'acme' },
    nextDueAt: T0,
  }));
  await storage.commit({ writes, history: [], outbox: [], idempotency: [] });
  // The baseline's tables are the adapter's own definitions (columns, indexes, defaults), so the
  // ratio measures what the adapter adds, not what its indexes cost.
  await db.exec(`
    CREATE SCHEMA bench;
    CREATE TABLE bench.tickets (LIKE helpdesk.records INCLUDING ALL);
    CREATE TABLE bench.history (LIKE helpdesk.history INCLUDING ALL);
    CREATE TABLE bench.outbox (LIKE helpdesk.outbox INCLUDING ALL);
  `);
  await db.query(
    `INSERT INTO bench.tickets (kind, id, version, state, indexes, next_due_at)
     SELECT kind, id, version, state, indexes, next_due_at FROM helpdesk.records WHERE kind = 'ticket'`,
  );
}

async function roundTrips(db: PGlite): Promise<number> {
  const { counter, client } = counting(db);
  const storage = createPostgresStorage(client);
  await storage.load('ticket', 't0'); // the one-time schema check
  const before = counter.queries;
  const commands = 50;
  for (let i = 0; i < commands; i++) await adapterCommand(storage, i, true);
  return (counter.queries - before) / commands;
}

async function throughput(db: PGlite, withEffects: boolean) {
  const storage = createPostgresStorage(db);
  const adapter: number[] = [];
  const baseline: number[] = [];
  let i = 0;
  for (let round = 0; round < ROUNDS + 1; round++) {
    // Alternate which goes first, so drift (JIT, cache, table growth) hits both alike.
    const order = round % 2 ? (['adapter', 'baseline'] as const) : (['baseline', 'adapter'] as const);
    for (const which of order) {
      const start = performance.now();
      for (let n = 0; n < COMMANDS_PER_ROUND; n++, i++) {
        if (which === 'adapter') await adapterCommand(storage, i, withEffects);
        else await baselineCommand(db, i, withEffects);
      }
      const perSecond = (COMMANDS_PER_ROUND / (performance.now() - start)) * 1000;
      if (round > 0) (which === 'adapter' ? adapter : baseline).push(perSecond); // round 0 warms up
    }
  }
  return { adapter: median(adapter), baseline: median(baseline) };
}

async function sweep(): Promise<{ seedMs: number; claimMs: number; sweepMs: number; fired: number }> {
  const db = new PGlite();
  await migrate(db);
  const storage = createPostgresStorage(db);
  const total = 100_000;
  const due = 1_000;
  const seedStart = performance.now();
  for (let start = 0; start < total; start += 2_000) {
    const writes = Array.from({ length: 2_000 }, (_, k) => {
      const n = start + k;
      // 1 in 100 is due; of the rest half have a future deadline and half none.
      const nextDueAt = n % 100 === 0 ? T0 - (n % 977) : n % 2 ? T0 + 86_400_000 + n : null;
      return {
        kind: 'ticket',
        id: `t${String(n).padStart(6, '0')}`,
        expectedVersion: 0,
        state: { n },
        indexes: { status: 'open' },
        nextDueAt,
      };
    });
    await storage.commit({ writes, history: [], outbox: [], idempotency: [] });
  }
  await db.query('ANALYZE helpdesk.records');
  const seedMs = performance.now() - seedStart;

  let claimMs = 0;
  const timed: Storage = Object.create(storage);
  timed.claimDue = async (now, leaseUntil, limit) => {
    const start = performance.now();
    try {
      return await storage.claimDue(now, leaseUntil, limit);
    } finally {
      claimMs += performance.now() - start;
    }
  };
  const start = performance.now();
  const result = await sweepDueTimers(timed, T0, {
    ticket: async (uow, record) => {
      uow.put(record.kind, record.id, {
        state: { ...(record.state as object), fired: true },
        indexes: { ...record.indexes },
        nextDueAt: null,
      });
      return [{ kind: record.kind, id: record.id, event: 'timer.test', dueAt: record.nextDueAt ?? 0 }];
    },
  });
  const sweepMs = performance.now() - start;
  await db.close();
  if (result.fired.length !== due) throw new Error(`expected ${due} fired, got ${result.fired.length}`);
  return { seedMs, claimMs, sweepMs, fired: result.fired.length };
}

async function main(): Promise<void> {
  const db = new PGlite();
  await migrate(db);
  await seedTickets(db, createPostgresStorage(db));

  const trips = await roundTrips(db);
  const plain = await throughput(db, false);
  const effects = await throughput(db, true);
  await db.close();
  const swept = await sweep();

  const rows: Array<[string, string, string]> = [
    ['(a) round trips per command (load + commit, with history and outbox)', trips.toFixed(2), 'target <= 2'],
    ['(b) adapter commands/s, state only (median)', plain.adapter.toFixed(0), ''],
    ['    plain SQL SELECT + UPDATE commands/s (median)', plain.baseline.toFixed(0), ''],
    ['    ratio adapter / plain SQL', (plain.adapter / plain.baseline).toFixed(2), 'target >= 0.70'],
    ['    adapter commands/s, with history + outbox (median)', effects.adapter.toFixed(0), ''],
    ['    plain SQL SELECT + transaction of 3 writes (median)', effects.baseline.toFixed(0), ''],
    ['    ratio adapter / plain SQL', (effects.adapter / effects.baseline).toFixed(2), ''],
    ['(c) sweep of 1,000 due among 100,000 records, total ms', swept.sweepMs.toFixed(0), `${swept.fired} fired`],
    ['    of which claimDue ms (batches of 200)', swept.claimMs.toFixed(1), ''],
    ['    per fired deadline ms (claim + load + commit)', (swept.sweepMs / swept.fired).toFixed(2), ''],
    ['    seeding 100,000 records ms (50 commits of 2,000)', swept.seedMs.toFixed(0), ''],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`PostgreSQL adapter on PGlite (${ROUNDS} rounds x ${COMMANDS_PER_ROUND} commands, ${RECORDS} tickets)\n`);
  for (const [what, value, note] of rows) console.log(`${what.padEnd(width)}  ${value.padStart(8)}  ${note}`);
}

await main();
