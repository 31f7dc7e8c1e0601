import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { unstorableTextCases } from '../../src/testing/storage-text-conformance.js';

// The text cases every adapter passes already run in storageConformanceCases (test/conformance,
// test/postgres). These are the stricter ones: U+0000 and lone surrogates given straight to the
// storage port as ids, kinds, index values, cursors, keys, sequence names and delivery errors.

describe('unstorable text given to the storage port: memory', () => {
  for (const c of unstorableTextCases({ create: () => createMemoryStorage() })) it(c.name, c.run);
});

/**
 * The PostgreSQL adapter refuses NUL and lone surrogates before the database (which would answer
 * with a raw DatabaseError, 22021 / 22P05, or silently replace a lone surrogate with U+FFFD so that
 * two keys collide): `refuseUnstorableText` on the parameters of every query and on a `list` filter.
 */
describe('unstorable text given to the storage port: postgres on PGlite', () => {
  const db = new PGlite();
  beforeAll(async () => {
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
  });
  for (const c of unstorableTextCases({ create: () => createPostgresStorage(db) })) it(c.name, c.run);
});
