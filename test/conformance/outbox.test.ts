import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import type { Json } from '../../src/ports/json.js';
import { outboxConformanceCases } from '../../src/testing/outbox-conformance.js';

describe('outbox conformance: memory', () => {
  for (const c of outboxConformanceCases({ create: () => createMemoryStorage() })) it(c.name, c.run);
});

describe('outbox conformance: postgres on PGlite, checked against the stored row', () => {
  const db = new PGlite();
  const schema = 'hd_outbox_conformance';
  beforeAll(async () => {
    await migrate(db, { schema });
  });
  afterAll(async () => {
    await db.close();
  });
  const rawPayload = async (_storage: unknown, id: string): Promise<Json | undefined> => {
    const { rows } = await db.query<{ payload: string }>(
      `SELECT payload::text AS payload FROM ${schema}.outbox WHERE id = $1`,
      [id],
    );
    return rows[0] ? (JSON.parse(rows[0].payload) as Json) : undefined;
  };
  for (const c of outboxConformanceCases({ create: () => createPostgresStorage(db, { schema }), rawPayload })) {
    it(c.name, c.run);
  }
});
