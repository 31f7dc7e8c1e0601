import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { privacyConformanceCases } from '../../src/testing/privacy-conformance.js';

/**
 * The privacy conformance cases (the mention scans included) on a real PostgreSQL server, whose
 * locale and collation may differ from PGlite's: run when DATABASE_URL points at this machine
 * (source .ci/postgres.sh), as test/postgres does.
 */
const url = process.env.DATABASE_URL;
const local = url !== undefined && /^postgres(ql)?:\/\/[^@]*@(127\.0\.0\.1|localhost)[:/]/.test(url);

describe.skipIf(!local)('privacy conformance: a real PostgreSQL server', () => {
  const pool = local ? new pg.Pool({ connectionString: url, max: 4 }) : null;
  const schema = `hd_privacy_conf_${Date.now().toString(36)}`;
  beforeAll(() => migrate(pool!, { schema }), 60_000);
  afterAll(async () => {
    await pool?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool?.end();
  });
  for (const c of privacyConformanceCases({ create: () => createPostgresStorage(pool!, { schema }) }))
    it(c.name, c.run);
});
