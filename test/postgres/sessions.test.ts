import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import type { Storage } from '../../src/ports/storage.js';
import { SESSION_KIND } from '../../src/sessions/index.js';
import { ManualClock } from '../../src/testing/index.js';
import { MINUTE, fastHasher, makeLoginDesk, makePersonal, resultOf, toPassword } from '../login/_harness.js';

/**
 * Sessions on a real PostgreSQL server, several host instances (desks with their own pools) on
 * one schema: a revoked token never verifies once revoke returned, `lastSeenAt` is written once
 * per interval however many requests race, and the per-subject cap holds under concurrent logins.
 * Skipped unless DATABASE_URL points at this machine (source .ci/postgres.sh), like server.test.ts.
 */
const url = process.env.DATABASE_URL;
const local = url !== undefined && ['127.0.0.1', 'localhost', '[::1]'].includes(hostOf(url) ?? '');
function hostOf(address: string): string | undefined {
  try {
    return new URL(address).hostname;
  } catch {
    return undefined;
  }
}

const CAP = 3;
const INSTANCES = 3;
const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const pools: pg.Pool[] = [];
const schemas: string[] = [];

function newPool(max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {});
  pools.push(pool);
  return pool;
}

/** `INSTANCES` desks on one fresh schema, each with its own pool, sharing one clock; carol can log in with her password alone. */
async function instances(name: string) {
  const schema = `hd_sessions_${runId}_${name}`;
  schemas.push(schema);
  await migrate(newPool(2), { schema });
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const desks = Array.from({ length: INSTANCES }, () =>
    makeLoginDesk({
      storage: createPostgresStorage(newPool(4), { schema }),
      clock,
      passwordHasher: fastHasher,
      policy: { sessions: { maxPerSubject: CAP } },
    }),
  );
  const storage: Storage = createPostgresStorage(newPool(2), { schema });
  const carol = await makePersonal(desks[0]!, { username: 'carol' });
  await desks[0]!.desk.accounts.activate({ token: carol.token });
  const login = async (i = 0) => {
    const view = await toPassword(desks[i % INSTANCES]!, 'carol', carol.password);
    return { auth: resultOf(view).auth, token: view.session!.token };
  };
  return { desks: desks.map((d) => d.desk), clock, storage, login };
}

describe.skipIf(!local)('sessions on a real PostgreSQL server', () => {
  beforeAll(() => {
    console.info(`[postgres sessions] ${INSTANCES} instances, cap ${CAP}`);
  });
  afterAll(async () => {
    const admin = newPool(1);
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    for (const pool of pools) await pool.end();
  });

  it('a revoked token never verifies after revoke returns, while other instances verify it concurrently', async () => {
    const { desks, clock, login } = await instances('revoke');
    let lateAccepted = 0;
    let verifies = 0;
    for (let round = 0; round < 10; round++) {
      const target = await login(round);
      const caller = await login(round + 1);
      clock.advance(MINUTE); // every verify may want to write lastSeenAt: reads and writes race the revoke
      let revoked = false;
      let stop = false;
      const hammer = async (i: number) => {
        while (!stop) {
          const afterRevoke = revoked;
          const ok = await desks[i]!.sessions.verify(target.token).then(
            () => true,
            () => false,
          );
          verifies += 1;
          if (afterRevoke && ok) lateAccepted += 1;
          if (afterRevoke) stop = true;
        }
      };
      const hammers = desks.map((_, i) => hammer(i));
      await new Promise((resolve) => setTimeout(resolve, 5));
      await desks[round % INSTANCES]!.sessions.revoke({ auth: caller.auth, sessionId: target.auth.sessionId! });
      revoked = true;
      await Promise.all(hammers);
      await expect(desks[0]!.sessions.verify(target.token)).rejects.toMatchObject({ code: 'SESSION_INVALID' });
      await desks[0]!.sessions.revoke({ auth: caller.auth, sessionId: caller.auth.sessionId! });
    }
    console.info(
      `[postgres sessions] revoke race: ${verifies} verifies, accepted after revoke returned: ${lateAccepted}`,
    );
    expect(lateAccepted).toBe(0);
  }, 120_000);

  it('lastSeenAt is written once per interval however many verifies race', async () => {
    const { desks, clock, storage, login } = await instances('touch');
    const session = await login();
    const id = session.auth.sessionId!;
    const writes: number[] = [];
    for (let round = 0; round < 5; round++) {
      clock.advance(MINUTE);
      const before = (await storage.load(SESSION_KIND, id))!.version;
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => desks[i % INSTANCES]!.sessions.verify(session.token)),
      );
      expect(answers.every((a) => a.sessionId === id)).toBe(true);
      const after = await storage.load(SESSION_KIND, id);
      writes.push(after!.version - before);
      expect(after!.state).toMatchObject({ context: { lastSeenAt: clock.now() } });
    }
    console.info(
      `[postgres sessions] 12 concurrent verifies per minute, session writes per round: ${writes.join(', ')}`,
    );
    expect(writes).toEqual([1, 1, 1, 1, 1]);
  }, 120_000);

  it('the per-subject cap holds under concurrent logins', async () => {
    const { storage, login } = await instances('cap');
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => login(i)));
    const opened = results.filter((r) => r.status === 'fulfilled').length;
    const active = await storage.list(SESSION_KIND, { where: { state: 'active' }, limit: 100 });
    console.info(`[postgres sessions] 8 concurrent logins: ${opened} completed, live sessions after: ${active.length}`);
    expect(opened).toBeGreaterThanOrEqual(CAP);
    expect(active).toHaveLength(CAP);
    // Each login beyond the cap ended exactly one other session.
    let endedByCap = 0;
    for (const r of results) {
      if (r.status !== 'fulfilled') continue;
      const history = await storage.history(SESSION_KIND, r.value.auth.sessionId!);
      if (history.some((e) => e.type === 'session.ended')) endedByCap += 1;
    }
    expect(endedByCap).toBe(opened - CAP);
  }, 120_000);
});
