import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { createDispatcher, type Dispatcher, type OutboxPolicy } from '../../src/engine/dispatcher.js';
import { createWorker } from '../../src/engine/worker.js';
import type { DeliveryContext, Mailer } from '../../src/ports/mailer.js';
import type { Storage } from '../../src/ports/storage.js';
import { local, url } from './_local-server.js';

/**
 * Dispatchers against a real PostgreSQL whose connections are cut while they deliver
 * (`source .ci/postgres.sh` starts a throwaway server). Only a server on this machine is accepted:
 * the test terminates backends (only those of its own pools) and drops its schema.
 */

const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
/** Every connection of the dispatchers carries this name, so the killer only ever picks them. */
const applicationName = `hd-faults-${runId}`;
const schema = `hd_test_${runId}_faults`;
const pools: pg.Pool[] = [];

function newPool(max: number, name?: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, ...(name ? { application_name: name } : {}) });
  pool.on('error', () => {}); // an idle client whose backend was terminated: the pool replaces it
  pools.push(pool);
  return pool;
}

/** mulberry32: a small deterministic pseudo-random generator. */
function pseudoRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!url || !local)('outbox dispatch while PostgreSQL drops connections', () => {
  afterAll(async () => {
    const admin = newPool(1);
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await Promise.all(pools.map((pool) => pool.end()));
  });

  it('three live dispatchers send no message twice and lose none, with a mailer failing 30% and backends terminated at random', async () => {
    const admin = newPool(2);
    await migrate(admin, { schema });
    const total = 1_000;
    const seed = createPostgresStorage(admin, { schema });
    for (let start = 0; start < total; start += 500) {
      const outbox = Array.from({ length: 500 }, (_, i) => ({
        id: `m${start + i}`,
        channel: 'email' as const,
        payload: { to: `u${start + i}@example.test`, subject: 's', text: 't', template: 'test', locale: 'en' },
        idempotencyKey: `key-${start + i}`,
        availableAt: 0,
      }));
      expect(await seed.commit({ writes: [], history: [], outbox, idempotency: [] })).not.toBeNull();
    }

    let offset = 0; // moved past the lease at the end, to release claims whose answer was lost
    const now = () => Date.now() + offset;
    const policy: OutboxPolicy = {
      maxAttempts: 10_000,
      baseDelayMs: 5,
      maxDelayMs: 100,
      leaseMs: 300_000,
      batchSize: 25,
    };
    const random = pseudoRandom(11);
    /** Who sent each key: the index of the dispatcher, once per send. */
    const sends = new Map<string, number[]>();
    let failedSends = 0;
    let ackFailures = 0;
    const dispatchers: Dispatcher[] = [0, 1, 2].map((index) => {
      const postgres = createPostgresStorage(newPool(2, applicationName), { schema });
      const storage: Storage = Object.assign(Object.create(postgres) as Storage, {
        markDelivered: async (id: string, at: number) => {
          try {
            return await postgres.markDelivered(id, at);
          } catch (error) {
            ackFailures++;
            throw error;
          }
        },
      });
      const mailer: Mailer = {
        send(_message, context: DeliveryContext) {
          if (random() < 0.3) {
            failedSends++;
            throw new Error('smtp: 451 try again later');
          }
          sends.set(context.idempotencyKey, [...(sends.get(context.idempotencyKey) ?? []), index]);
        },
      };
      return createDispatcher(storage, now, { email: mailer }, policy);
    });

    // Phase 1: three workers deliver while backends of their pools are terminated at random.
    const started = Date.now();
    const stop = new AbortController();
    let errors = 0;
    const workers = dispatchers.map((dispatcher) =>
      createWorker(
        { dispatchOutbox: (bounds) => dispatcher.dispatch(bounds) },
        {
          signal: stop.signal,
          limit: 100,
          interval: 5,
          backoffBaseMs: 5,
          backoffMaxMs: 50,
          onError: () => errors++,
        },
      ),
    );
    const killer = newPool(1);
    let terminated = 0;
    while (sends.size < total && Date.now() - started < 8_000) {
      const { rows } = await killer.query(
        `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
         WHERE application_name = $1 AND pid <> pg_backend_pid() ORDER BY random() LIMIT 1`,
        [applicationName],
      );
      if (rows[0]?.done) terminated++;
      await sleep(10 + Math.floor(random() * 40));
    }
    stop.abort();
    await Promise.all(workers.map((worker) => worker.stopped));
    const faultMs = Date.now() - started;
    const sentUnderFaults = sends.size;

    // Phase 2: no more faults. Each dispatcher acknowledges what it still holds, then the clock
    // passes the lease so claims whose answer was lost are taken again; drain the rest.
    for (const dispatcher of dispatchers) {
      for (let tries = 0; dispatcher.unacknowledged > 0 && tries < 20; tries++) {
        await dispatcher.dispatch({ limit: 1 }).catch(() => sleep(10));
      }
      expect(dispatcher.unacknowledged).toBe(0);
    }
    const stranded = await admin.query(`SELECT count(*)::int AS n FROM "${schema}".outbox WHERE status = 'claimed'`);
    offset += policy.leaseMs + 1;
    for (let round = 0; round < 100; round++) {
      const results = await Promise.all(dispatchers.map((d) => d.dispatch({ limit: 1_000 }).catch(() => null)));
      const { rows } = await admin.query(
        `SELECT count(*)::int AS n FROM "${schema}".outbox WHERE status <> 'delivered'`,
      );
      if (rows[0].n === 0 && results.every((r) => r !== null && !r.more)) break;
      await sleep(policy.maxDelayMs);
    }

    const { rows } = await admin.query(
      `SELECT status, count(*)::int AS n FROM "${schema}".outbox GROUP BY status ORDER BY status`,
    );
    const byLiveProcess = [...sends.values()].filter((who) => new Set(who).size < who.length).length;
    const acrossProcesses = [...sends.values()].filter((who) => new Set(who).size > 1).length;
    const lost = total - sends.size;
    console.info(
      `[postgres faults] messages ${total}, sends ${[...sends.values()].reduce((n, who) => n + who.length, 0)}, ` +
        `failed sends ${failedSends}, backends terminated ${terminated} in ${faultMs} ms (${sentUnderFaults} messages sent meanwhile), ` +
        `errors reported ${errors}, acknowledgements that threw ${ackFailures}, ` +
        `claims whose answer was lost (released after the lease) ${stranded.rows[0].n}; ` +
        `duplicates by a live process: ${byLiveProcess}, across processes: ${acrossProcesses}, lost: ${lost}`,
    );
    expect(terminated).toBeGreaterThan(0);
    expect(ackFailures).toBeGreaterThan(0); // the case under test did happen
    expect(byLiveProcess).toBe(0);
    expect(acrossProcesses).toBe(0); // leases never lapsed while their holder was alive and acknowledging
    expect(lost).toBe(0);
    expect(rows.map((r) => [r.status, r.n])).toEqual([['delivered', total]]);
  }, 60_000);
});
