import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { deleteConformanceCases } from '../../src/testing/delete-conformance.js';

/**
 * `Commit.deletes` on PostgreSQL: always on PGlite; on a real server when DATABASE_URL points at
 * this machine (source .ci/postgres.sh), like test/postgres/server.test.ts.
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

describe('delete conformance: postgres on PGlite', () => {
  const db = new PGlite();
  const schema = 'hd_deletes';
  beforeAll(() => migrate(db, { schema }), 180_000);
  afterAll(() => db.close());
  for (const c of deleteConformanceCases({ create: () => createPostgresStorage(db, { schema }) })) it(c.name, c.run);
});

describe.skipIf(!local)('delete conformance: a real PostgreSQL server', () => {
  const pool = local ? new pg.Pool({ connectionString: url, max: 4 }) : null;
  const schema = `hd_deletes_${Date.now().toString(36)}`;
  beforeAll(() => migrate(pool!, { schema }), 60_000);
  afterAll(async () => {
    await pool!.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool!.end();
  });
  for (const c of deleteConformanceCases({ create: () => createPostgresStorage(pool!, { schema }) })) it(c.name, c.run);
});
