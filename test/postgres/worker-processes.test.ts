import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { createHelpdesk, type Helpdesk } from '../../src/helpdesk.js';
import type { StoredEvent } from '../../src/ports/event-store.js';
import { startPrivateServer, type PrivateServer } from './fixtures/private-server.js';
import { spawnWorker, type WorkerChild } from './fixtures/worker-children.js';
import { LONGEST_LEASE_MS, workerProcessTicketPolicy } from './fixtures/worker-process-policy.js';
import type { WorkerProcessLine } from './fixtures/worker-process.js';
import { local, url } from './_local-server.js';

/**
 * Several worker processes (`desk.worker` in child Node processes) against one schema, while
 * PostgreSQL backends are terminated at random, the server restarts with `-m immediate`, and a
 * worker is killed with SIGKILL between a send and its acknowledgement. The suite runs on a server
 * of its own (`.ci/postgres.sh --start`), so the restart does not hurt the other files; it only
 * runs where DATABASE_URL names a server on this machine, like faults.test.ts.
 */

const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
/** Every connection of the worker processes carries this name, so the killer only ever picks them. */
const applicationName = `hd-workers-${runId}`;
const schema = `hd_test_${runId}_workers`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries a command of the parent while the server restarts; idempotent commands only. */
async function retrying<T>(command: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await command();
    } catch (error) {
      if (attempt >= 100) throw error;
      await sleep(100);
    }
  }
}

/** Files a ticket and asks the requester for information, so it goes pending with its deadlines. */
async function filePendingTicket(desk: Helpdesk, n: number): Promise<string> {
  const { ticket } = await retrying(() =>
    desk.tickets.submit({
      requester: { id: `cust-${n}`, email: `cust-${n}@example.test` },
      content: { organization: 'Acme', subject: `Tracker ${n} offline`, description: 'It stopped reporting.' },
      channel: 'web',
      idempotencyKey: `ticket-${n}`, // a retry after a lost answer finds the same ticket
    }),
  );
  await retrying(async () => {
    // A reply whose answer was lost is not repeated: the ticket already shows it.
    if ((await desk.tickets.get(ticket.id)).status === 'pending') return;
    await desk.tickets.reply({
      ticketId: ticket.id,
      author: { role: 'agent', id: 'agent-1' },
      body: 'Which van is it?',
      askForInfo: true,
    });
  });
  return ticket.id;
}

describe.skipIf(!url || !local)('worker processes on a real PostgreSQL under faults', () => {
  let server: PrivateServer | undefined;
  const pools: pg.Pool[] = [];
  const children: WorkerChild[] = [];

  afterAll(async () => {
    for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
    await Promise.all(pools.map((pool) => pool.end().catch(() => {})));
    await server?.stop();
  });

  it('delivers every message, deadline and event despite terminated backends, a restart and a SIGKILL between send and acknowledgement', async () => {
    const started = Date.now();
    server = await startPrivateServer();
    const newPool = (max: number) => {
      const pool = new pg.Pool({ connectionString: server!.url, max });
      pool.on('error', () => {}); // clients dropped by the restart: the pool replaces them
      pools.push(pool);
      return pool;
    };
    const admin = newPool(2);
    await migrate(admin, { schema });
    const parentStorage = createPostgresStorage(newPool(4), { schema });
    const desk = createHelpdesk({ storage: parentStorage, policy: { tickets: workerProcessTicketPolicy } });
    const spawn = (extra: { crashAfterSends?: number; clockOffsetMs?: number; startOnSigusr2?: boolean } = {}) => {
      const child = spawnWorker({ url: server!.url, schema, applicationName, ...extra });
      children.push(child);
      return child;
    };

    // Phase 1: 20 tickets are filed while the workers start up, 20 more under faults.
    const ticketIds: string[] = [];
    const serverMs = Date.now() - started;
    const victim = spawn({ crashAfterSends: 8 });
    const others = [spawn(), spawn()];
    // Spawned now, started in phase 2: its clock is past every lease, so it must not run beside live workers.
    const drain = spawn({ clockOffsetMs: LONGEST_LEASE_MS + 5_000, startOnSigusr2: true });
    for (let n = 0; n < 20; n++) ticketIds.push(await filePendingTicket(desk, n));
    await Promise.all([victim, ...others].map((child) => child.ready));
    const faultsStarted = Date.now();

    let terminated = 0;
    let restarts = 0;
    let faultsOn = true;
    const killer = newPool(1);
    const terminating = (async () => {
      while (faultsOn) {
        const result = await killer
          .query(
            `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
             WHERE application_name = $1 AND pid <> pg_backend_pid() ORDER BY random() LIMIT 1`,
            [applicationName],
          )
          .catch(() => null); // the server is restarting
        if (result?.rows[0]?.done) terminated++;
        await sleep(40 + Math.floor(Math.random() * 60));
      }
    })();
    // The SIGKILL lands while the victim hangs inside a send the provider accepted, before the ack.
    let replacement: WorkerChild | undefined;
    const crash = victim.crashPoint.then(async (point) => {
      victim.process.kill('SIGKILL');
      await victim.exited;
      replacement = spawn();
      return point;
    });
    for (let n = 20; n < 40; n++) {
      ticketIds.push(await filePendingTicket(desk, n));
      if (n === 30) {
        await server.restart();
        restarts++;
      }
      await sleep(30);
    }
    const crashed = await Promise.race([crash, sleep(15_000).then(() => null)]);
    expect(crashed, `the victim never reached its crash point:\n${victim.stderr()}`).not.toBeNull();
    await sleep(workerProcessTicketPolicy.autoResolveAfter! + 500); // the last deadlines fall due under faults
    faultsOn = false;
    await terminating;
    const faultMs = Date.now() - faultsStarted;

    // Phase 2: the live workers stop after their last calls; then one fresh process whose clock is
    // past every lease takes over what the killed one held (a claimed mail, timers, the cursor).
    const live = [...others, replacement!];
    await replacement!.ready; // a SIGTERM before its handler is installed would kill it, not stop it
    await sleep(1_000);
    for (const child of live) child.process.kill('SIGTERM');
    await Promise.all(live.map((child) => child.exited));
    await drain.ready;
    drain.process.kill('SIGUSR2');
    const filed = ticketIds.length;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(250)) {
      const { rows } = await admin.query(
        `SELECT (SELECT count(*)::int FROM "${schema}".outbox WHERE status <> 'delivered') AS undelivered,
                (SELECT count(DISTINCT id)::int FROM "${schema}".history WHERE type = 'ticket.timer.autoResolve') AS solved,
                (SELECT last FROM "${schema}".event_position)::int AS last_event,
                (SELECT (state->>'position')::int FROM "${schema}".records WHERE kind = 'event_cursor') AS cursor`,
      );
      const done = rows[0];
      if (done.undelivered === 0 && done.solved === filed && done.cursor === done.last_event) break;
    }
    drain.process.kill('SIGTERM');
    await drain.exited;
    const drainMs = Date.now() - faultsStarted - faultMs;

    // The invariants, from what the processes reported and what the database holds.
    const lines = children.flatMap((child) => child.lines);
    const mails = lines.filter((line): line is Extract<WorkerProcessLine, { t: 'mail' }> => line.t === 'mail');
    const sendersByKey = new Map<string, number[]>();
    for (const mail of mails) sendersByKey.set(mail.key, [...(sendersByKey.get(mail.key) ?? []), mail.pid]);
    const outbox = await admin.query(`SELECT idempotency_key AS key, status FROM "${schema}".outbox`);
    const messages = outbox.rows.length;
    const byLiveProcess = [...sendersByKey.values()].filter((pids) => new Set(pids).size < pids.length).length;
    const acrossCrashes = [...sendersByKey.entries()].filter(([, pids]) => pids.length > 1);
    const lost = outbox.rows.filter((row) => row.status !== 'delivered' || !sendersByKey.has(row.key)).length;

    const autoSolves: number[] = [];
    const reminders: number[] = [];
    for (const id of ticketIds) {
      const history = await desk.tickets.history(id);
      autoSolves.push(history.filter((entry) => entry.type === 'ticket.timer.autoResolve').length);
      reminders.push(history.filter((entry) => entry.type === 'ticket.timer.reminder').length);
    }
    const firedOnce = autoSolves.filter((count) => count === 1).length;
    const tickets = await desk.tickets.list({ limit: 500 });

    const feed: StoredEvent[] = [];
    for (let page = await parentStorage.readEvents({ after: 0, limit: 1_000 }); page.length > 0;) {
      feed.push(...page);
      page = await parentStorage.readEvents({ after: page[page.length - 1]!.seq, limit: 1_000 });
    }
    const received = lines
      .filter((line): line is Extract<WorkerProcessLine, { t: 'event' }> => line.t === 'event')
      .sort((a, b) => a.at - b.at);
    const firstReceipt = new Map<string, (typeof received)[number]>();
    for (const event of received) if (!firstReceipt.has(event.id)) firstReceipt.set(event.id, event);
    const undelivered = feed.filter((event) => !firstReceipt.has(event.id)).length;
    // Per record, the events' first receipts come in feed order.
    const lastSeqOf = new Map<string, number>();
    let outOfOrder = 0;
    for (const event of firstReceipt.values()) {
      if ((lastSeqOf.get(event.record) ?? 0) > event.seq) outOfOrder++;
      lastSeqOf.set(event.record, Math.max(event.seq, lastSeqOf.get(event.record) ?? 0));
    }
    const stopped = lines.filter((line): line is Extract<WorkerProcessLine, { t: 'stopped' }> => line.t === 'stopped');

    console.log(
      `[postgres worker-processes] ${children.length} processes, ${filed} tickets, server up in ${serverMs} ms, faults for ${faultMs} ms, drained in ${drainMs} ms: ` +
        `backends terminated ${terminated}, immediate restarts ${restarts}, SIGKILL between send and ack 1 ` +
        `(key ${crashed!.key}); failed sends ${stopped.reduce((n, s) => n + s.failedMails, 0)}, ` +
        `failed webhooks ${stopped.reduce((n, s) => n + s.failedEvents, 0)}, worker errors ${stopped.reduce((n, s) => n + s.errors, 0)}; ` +
        `messages: ${messages}, sends: ${mails.length}, duplicates by a live process: ${byLiveProcess}, ` +
        `across crashes: ${acrossCrashes.length} (same key), lost: ${lost}, ` +
        `deadlines fired once: ${firedOnce}/${filed} (reminders ${reminders.reduce((a, b) => a + b, 0)}), ` +
        `events: ${feed.length}, deliveries ${received.length}, undelivered ${undelivered}, ` +
        `out of per-record order ${outOfOrder}` +
        (outOfOrder === 0 ? ', events delivered in per-record order' : ''),
    );

    for (const child of children) {
      const stop = child.lines.find((line) => line.t === 'stopped');
      const count = (t: string) => child.lines.filter((line) => line.t === t).length;
      console.log(
        `[postgres worker-processes] pid ${child.pid}: mails ${count('mail')}, events ${count('event')}, ` +
          `${stop ? `errors ${stop.errors}` : `no stop report, exit signal ${String(child.process.signalCode)} code ${String(child.process.exitCode)}`}${child.stderr() ? `, stderr: ${child.stderr().slice(-500)}` : ''}`,
      );
    }
    expect(terminated).toBeGreaterThan(0);
    expect(restarts).toBe(1);
    expect(messages).toBeGreaterThanOrEqual(filed * 3); // confirmation, question, auto-solve at least
    expect(byLiveProcess).toBe(0);
    // Only the killed process's unacknowledged send may go out twice, and with the same key.
    for (const [, pids] of acrossCrashes) expect(pids).toContain(victim.pid);
    expect(sendersByKey.get(crashed!.key)?.length).toBe(2);
    expect(lost).toBe(0);
    expect(autoSolves).toEqual(ticketIds.map(() => 1));
    expect(reminders.every((count) => count <= 1)).toBe(true);
    expect(tickets.tickets.map((ticket) => ticket.id).sort()).toEqual([...ticketIds].sort());
    expect(tickets.tickets.every((ticket) => ticket.status === 'solved')).toBe(true);
    expect(undelivered).toBe(0);
    expect(outOfOrder).toBe(0);
  }, 180_000);
});
