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
