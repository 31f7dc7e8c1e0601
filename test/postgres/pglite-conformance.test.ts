import { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate, SCHEMA_VERSION, type SqlClient } from '../../src/adapters/postgres/index.js';
import { isHelpdeskError } from '../../src/errors.js';
import type { Json } from '../../src/ports/json.js';
import type { Commit } from '../../src/ports/storage.js';
import { storageConformanceCases } from '../../src/testing/index.js';

const db = new PGlite();

/** The drivers fit the structural client as they are (checked by tsc; the adapter imports none of them). */
type Fits<T> = T extends SqlClient ? true : false;
const _driversFit: [Fits<PGlite>, Fits<pg.Pool>, Fits<pg.Client>, Fits<pg.PoolClient>] = [true, true, true, true];

/** Counts what reaches the database. */
function counting(client: SqlClient) {
  const sent: string[] = [];
  return {
    sent,
    client: {
      query: (text: string, params?: unknown[]) => {
        sent.push(text);
        return client.query(text, params);
      },
    } satisfies SqlClient,
  };
}

beforeAll(async () => {
  await migrate(db);
});

afterAll(async () => {
  await db.close();
});

describe('storage conformance: postgres on PGlite', () => {
  for (const c of storageConformanceCases({ create: () => createPostgresStorage(db) })) it(c.name, c.run);
});

describe('postgres adapter on PGlite', () => {
  it('migrates idempotently, also when two migrations run at once', async () => {
    await expect(migrate(db)).resolves.toEqual({ version: SCHEMA_VERSION });
    const both = await Promise.all([migrate(db, { schema: 'hd_twice' }), migrate(db, { schema: 'hd_twice' })]);
    expect(both).toEqual([{ version: SCHEMA_VERSION }, { version: SCHEMA_VERSION }]);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM hd_twice.schema_version`);
    expect(rows[0]?.n).toBe(SCHEMA_VERSION);
  });

  it('works in a schema whose name needs quoting', async () => {
    const schema = 'Odd "name"; drop';
    await migrate(db, { schema });
    const storage = createPostgresStorage(db, { schema });
    expect(
      await storage.commit({
        writes: [{ kind: 'k', id: 'a', expectedVersion: 0, state: { ok: true }, nextDueAt: null }],
        history: [],
        outbox: [],
        idempotency: [],
      }),
    ).toEqual({ versions: [1] });
    expect((await storage.load('k', 'a'))?.state).toEqual({ ok: true });
    expect(await createPostgresStorage(db).load('k', 'a')).toBeNull(); // the default schema is another one
  });

  it('refuses a schema that was never migrated with SCHEMA_VERSION_MISMATCH', async () => {
    const storage = createPostgresStorage(db, { schema: 'hd_never_migrated', checkSchema: true });
    const error = await storage.load('ticket', 't1').catch((e: unknown) => e);
    expect(isHelpdeskError(error, 'SCHEMA_VERSION_MISMATCH')).toBe(true);
    expect((error as { details: unknown }).details).toMatchObject({ expected: SCHEMA_VERSION, found: 0 });
  });

  it('refuses a schema older than this library with SCHEMA_VERSION_MISMATCH', async () => {
    await migrate(db, { schema: 'hd_old' });
    await db.query(`DELETE FROM hd_old.schema_version WHERE version = $1`, [SCHEMA_VERSION]);
    const storage = createPostgresStorage(db, { schema: 'hd_old', checkSchema: true });
    const error = await storage.nextSequence('n').catch((e: unknown) => e);
    expect(isHelpdeskError(error, 'SCHEMA_VERSION_MISMATCH')).toBe(true);
    expect((error as { details: unknown }).details).toMatchObject({ found: SCHEMA_VERSION - 1 });
  });

  it('refuses a schema newer than this library, in migrate and in the storage', async () => {
    await migrate(db, { schema: 'hd_new' });
    await db.query(`INSERT INTO hd_new.schema_version (version, name) VALUES ($1, 'from the future')`, [
      SCHEMA_VERSION + 1,
    ]);
    const storage = createPostgresStorage(db, { schema: 'hd_new', checkSchema: true });
    const error = await storage.load('ticket', 't1').catch((e: unknown) => e);
    expect(isHelpdeskError(error, 'SCHEMA_VERSION_MISMATCH')).toBe(true);
    expect((error as { details: unknown }).details).toMatchObject({ found: SCHEMA_VERSION + 1 });
    const migrating = await migrate(db, { schema: 'hd_new' }).catch((e: unknown) => e);
    expect(isHelpdeskError(migrating, 'SCHEMA_VERSION_MISMATCH')).toBe(true);
  });

  it('checks the schema once, lazily, and again after a failed check', async () => {
    const { client, sent } = counting(db);
    const storage = createPostgresStorage(client, { schema: 'hd_lazy', checkSchema: true });
    expect(sent).toHaveLength(0);
    await expect(storage.load('k', 'a')).rejects.toThrow(/version 0/);
    await migrate(db, { schema: 'hd_lazy' });
    sent.length = 0;
    await storage.load('k', 'a');
    await storage.load('k', 'b');
    expect(sent).toHaveLength(3); // one check, two loads
  });

  it('refuses a non-JSON snapshot before anything reaches the database', async () => {
    const { client, sent } = counting(db);
    const storage = createPostgresStorage(client, { checkSchema: false });
    for (const bad of [{ at: new Date(0) }, { n: Number.NaN }, { big: 1n }, { u: [undefined] }]) {
      const error = await storage
        .commit({
          writes: [{ kind: 'k', id: 'non-json', expectedVersion: 0, state: bad as unknown as Json, nextDueAt: null }],
          history: [],
          outbox: [],
          idempotency: [],
        })
        .catch((e: unknown) => e);
      expect(isHelpdeskError(error, 'NON_JSON_STATE')).toBe(true);
    }
    const history = await storage
      .commit({
        writes: [],
        history: [{ kind: 'k', id: 'x', at: 1, type: 't', actor: null, data: { f: () => 1 } as unknown as Json }],
        outbox: [],
        idempotency: [],
      })
      .catch((e: unknown) => e);
    expect(isHelpdeskError(history, 'NON_JSON_STATE')).toBe(true);
    expect(sent).toHaveLength(0);
  });

  it('keeps JSON exactly: key order, numbers, unicode, null state', async () => {
    const storage = createPostgresStorage(db);
    const state = {
      z: 1,
      a: [0.1, -2.5e-7, 1e21, 9007199254740991],
      'ü é': 'Ελληνικά 🎫 "q" \\ \\u0000 \t',
      nested: { b: null, a: false },
    };
    await storage.commit({
      writes: [{ kind: 'json', id: 'exact', expectedVersion: 0, state, nextDueAt: 1_800_000_000_000 }],
      history: [],
      outbox: [],
      idempotency: [],
    });
    const loaded = await storage.load('json', 'exact');
    expect(JSON.stringify(loaded?.state)).toBe(JSON.stringify(state));
    expect(loaded?.nextDueAt).toBe(1_800_000_000_000);
    await storage.commit({
      writes: [{ kind: 'json', id: 'null', expectedVersion: 0, state: null, nextDueAt: null }],
      history: [],
      outbox: [],
      idempotency: [],
    });
    expect((await storage.load('json', 'null'))?.state).toBeNull();
  });

  it('refuses U+0000, which PostgreSQL cannot store, before the database', async () => {
    const storage = createPostgresStorage(db);
    const error = await storage
      .commit({
        writes: [{ kind: 'json', id: 'nul', expectedVersion: 0, state: { s: 'a\u0000b' }, nextDueAt: null }],
        history: [],
        outbox: [],
        idempotency: [],
      })
      .catch((e: unknown) => e);
    expect(isHelpdeskError(error, 'INVALID_INPUT')).toBe(true);
    expect(await storage.load('json', 'nul')).toBeNull();
  });

  it('numbers history correctly for a record that the commit does not write, also under racing commits', async () => {
    const storage = createPostgresStorage(db);
    const entry = (i: number) => ({ kind: 'audit', id: 'shared', at: 1, type: `e${i}`, actor: null, data: { i } });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        storage.commit({ writes: [], history: [entry(2 * i), entry(2 * i + 1)], outbox: [], idempotency: [] }),
      ),
    );
    expect(results.every((r) => r !== null)).toBe(true);
    const history = await storage.history('audit', 'shared');
    expect(history.map((h) => h.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('applies a large commit (sent as JSON parameters) all or nothing', async () => {
    const storage = createPostgresStorage(db);
    const n = 40; // above the inline limit of every part
    const ids = Array.from({ length: n }, (_, i) => `r${String(i).padStart(2, '0')}`);
    const batch = (expectedVersion: number, tag: string): Commit => ({
      writes: ids.map((id) => ({
        kind: 'bulk',
        id,
        expectedVersion,
        state: { tag, id },
        indexes: { tag },
        nextDueAt: expectedVersion + 1,
      })),
      history: ids.flatMap((id) => [
        { kind: 'bulk', id, at: 1, type: `${tag}.a`, actor: null, data: { id } },
        { kind: 'bulk', id, at: 2, type: `${tag}.b`, actor: { role: 'system' }, data: null },
      ]),
      outbox: ids.map((id) => ({
        id: `${tag}-${id}`,
        channel: 'sms' as const,
        payload: { to: id },
        idempotencyKey: `${tag}-${id}`,
        availableAt: 5,
      })),
      idempotency: ids.map((id) => ({ scope: `bulk-${tag}`, key: id, value: { id } })),
    });
    expect(await storage.commit(batch(0, 'one'))).toEqual({ versions: ids.map(() => 1) });
    expect(await storage.commit(batch(1, 'two'))).toEqual({ versions: ids.map(() => 2) });
    const stale = batch(2, 'three');
    stale.writes[n - 1]!.expectedVersion = 1; // one guard of forty misses
    expect(await storage.commit(stale)).toBeNull();
    expect(
      (await storage.list('bulk', { where: { tag: 'two' }, limit: 100 })).map((r) => [r.id, r.version, r.nextDueAt]),
    ).toEqual(ids.map((id) => [id, 2, 2]));
    expect((await storage.history('bulk', 'r07')).map((h) => [h.seq, h.type])).toEqual([
      [1, 'one.a'],
      [2, 'one.b'],
      [3, 'two.a'],
      [4, 'two.b'],
    ]);
    expect(await storage.getIdempotency('bulk-three', 'r00')).toBeNull();
    expect(await storage.getIdempotency('bulk-two', 'r39')).toEqual({ id: 'r39' });
    expect((await storage.listOutbox()).filter((m) => m.id.startsWith('three-'))).toEqual([]);
  });

  it('writes nothing of a commit whose single update misses, whatever else it carries', async () => {
    const storage = createPostgresStorage(db);
    await storage.commit({
      writes: [{ kind: 'gate', id: 'a', expectedVersion: 0, state: { n: 1 }, nextDueAt: null }],
      history: [],
      outbox: [],
      idempotency: [],
    });
    const stale: Commit = {
      writes: [
        { kind: 'gate', id: 'a', expectedVersion: 5, state: { n: 2 }, nextDueAt: null },
        { kind: 'gate', id: 'new', expectedVersion: 0, state: {}, nextDueAt: 1 },
      ],
      history: [{ kind: 'gate', id: 'a', at: 1, type: 'x', actor: null, data: null }],
      outbox: [{ id: 'gate-m', channel: 'email', payload: {}, idempotencyKey: 'gate-m', availableAt: 1 }],
      idempotency: [{ scope: 'gate', key: 'k', value: true }],
    };
    expect(await storage.commit(stale)).toBeNull();
    expect((await storage.load('gate', 'a'))?.version).toBe(1);
    expect(await storage.load('gate', 'new')).toBeNull();
    expect(await storage.history('gate', 'a')).toEqual([]);
    expect((await storage.listOutbox()).filter((m) => m.id === 'gate-m')).toEqual([]);
    expect(await storage.getIdempotency('gate', 'k')).toBeNull();
    stale.writes[0]!.expectedVersion = 1;
    expect(await storage.commit(stale)).toEqual({ versions: [2, 1] });
    expect(await storage.getIdempotency('gate', 'k')).toBe(true);
  });

  it('refuses times that are not integer epoch milliseconds before the database', async () => {
    const storage = createPostgresStorage(db);
    const error = await storage
      .commit({
        writes: [{ kind: 'k', id: 'time', expectedVersion: 0, state: {}, nextDueAt: 1.5 }],
        history: [],
        outbox: [],
        idempotency: [],
      })
      .catch((e: unknown) => e);
    expect(isHelpdeskError(error, 'INVALID_INPUT')).toBe(true);
  });

  it('lists in code point order of ids, like the memory adapter', async () => {
    const storage = createPostgresStorage(db);
    const ids = ['b', 'B', 'a-1', 'a_1', 'a1', 'Ä', 'z'];
    await storage.commit({
      writes: ids.map((id) => ({ kind: 'order', id, expectedVersion: 0, state: {}, nextDueAt: null })),
      history: [],
      outbox: [],
      idempotency: [],
    });
    expect((await storage.list('order', { where: {}, limit: 100 })).map((r) => r.id)).toEqual([...ids].sort());
  });
});
