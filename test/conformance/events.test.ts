import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { eventConformanceCases } from '../../src/testing/event-conformance.js';

describe('event conformance: memory', () => {
  for (const c of eventConformanceCases({ create: () => createMemoryStorage(), reopen: (s) => s })) it(c.name, c.run);
});

describe('event conformance: postgres on PGlite', () => {
  const db = new PGlite();
  beforeAll(async () => {
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
  });
  const cases = eventConformanceCases({
    create: () => createPostgresStorage(db),
    reopen: () => createPostgresStorage(db),
  });
  for (const c of cases) it(c.name, c.run);
});

// On a real server (`source .ci/postgres.sh`), through a pool: commits really run concurrently.
const url = process.env.DATABASE_URL;
const local = url !== undefined && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
describe.runIf(local)('event conformance: postgres on a real server (pool of 8)', () => {
  let pool: import('pg').Pool;
  const schema = `events_conf_${Date.now().toString(36)}`;
  beforeAll(async () => {
    const pg = (await import('pg')).default;
    pool = new pg.Pool({ connectionString: url, max: 8 });
    await migrate(pool, { schema });
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });
  const cases = eventConformanceCases({
    create: () => createPostgresStorage(pool, { schema }),
    reopen: () => createPostgresStorage(pool, { schema }),
  });
  for (const c of cases) it(c.name, c.run);
});
