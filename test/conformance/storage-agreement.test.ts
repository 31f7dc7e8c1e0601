import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { storageAgreementCases } from './storage-agreement-cases.js';

describe('storage agreement: memory', () => {
  const cases = storageAgreementCases({ create: () => createMemoryStorage() }, { refusesStoredEventIds: false });
  for (const c of cases) it(c.name, c.run);
});

describe('storage agreement: postgres on PGlite', () => {
  const db = new PGlite();
  beforeAll(async () => {
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
  });
  for (const c of storageAgreementCases({ create: () => createPostgresStorage(db) })) it(c.name, c.run);
});

// On a real server (`source .ci/postgres.sh`) when DATABASE_URL names a local one.
const url = process.env.DATABASE_URL;
const local = url !== undefined && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
describe.runIf(local)('storage agreement: postgres on a real server', () => {
  let pool: import('pg').Pool;
  const schema = `agreement_${Date.now().toString(36)}`;
  beforeAll(async () => {
    const pg = (await import('pg')).default;
    pool = new pg.Pool({ connectionString: url, max: 4 });
    await migrate(pool, { schema });
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });
  for (const c of storageAgreementCases({ create: () => createPostgresStorage(pool, { schema }) })) it(c.name, c.run);
});
