// Storage for the example: PostgreSQL when DATABASE_URL is set, else PGlite in-process, so
// `npm run example` works on a fresh clone with nothing else installed.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Storage } from '../../src/index.js';
import { createPostgresStorage, migrate } from '../../src/postgres.js';

/** The storage with a way to let go of its connections. */
export interface ExampleStorage {
  storage: Storage;
  /** `postgresql` or `pglite`, for the start-up line. */
  kind: 'postgresql' | 'pglite';
  close(): Promise<void>;
}

/** Connects, runs `migrate()` (idempotent, safe from every instance) and builds the Storage port. */
export async function openStorage(databaseUrl: string | undefined): Promise<ExampleStorage> {
  if (databaseUrl) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    // An idle connection cut by the server must not crash the process; the pool replaces it.
    pool.on('error', (error) => console.error('postgres pool:', error.message));
    await migrate(pool);
    return { storage: createPostgresStorage(pool), kind: 'postgresql', close: () => pool.end() };
  }
  const db = new PGlite();
  await migrate(db);
  return { storage: createPostgresStorage(db), kind: 'pglite', close: () => db.close() };
}
