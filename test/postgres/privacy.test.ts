import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate, type SqlClient } from '../../src/adapters/postgres/index.js';
import type { PrivacyStore } from '../../src/ports/privacy-store.js';
import type { Storage } from '../../src/ports/storage.js';
import { privacyConformanceCases } from '../../src/testing/privacy-conformance.js';
import {
  ALICE_PHONE,
  dpo,
  fileTicket,
  hits,
  makePrivacyDesk,
  registerPerson,
  storeStrings,
} from '../privacy/_harness.js';

/**
 * The privacy capability on PostgreSQL: always on PGlite; on a real server when DATABASE_URL
 * points at this machine (source .ci/postgres.sh), like test/postgres/server.test.ts.
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

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

async function erasesAlice(client: SqlClient, schema: string) {
  await migrate(client, { schema });
  const storage = createPostgresStorage(client, { schema }) as Storage & PrivacyStore;
  const h = makePrivacyDesk({ storage });
  const alice = await registerPerson(h, 'alice', ALICE_PHONE);
  const bob = await registerPerson(h, 'bob');
  await fileTicket(h, alice, 'The tracker in my blue van is offline.');
  await fileTicket(h, bob, 'Invoices do not load.');
  await h.desk.dispatchOutbox();
  const before = await storeStrings(storage);

  const result = await h.desk.privacy.erase({ subject: { accountId: alice.accountId }, actor: dpo, reason: 'request' });

  expect(result.status).toBe('done');
  const after = await storeStrings(storage);
  for (const trace of [alice.accountId, alice.email, ALICE_PHONE, 'tracker in my blue van']) {
    expect(hits(before, trace), trace).not.toEqual([]);
    expect(hits(after, trace), trace).toEqual([]);
  }
  for (const trace of [bob.accountId, bob.email, 'Invoices do not load']) {
    expect(hits(after, trace).length, trace).toBe(hits(before, trace).length);
  }
}

describe('privacy on PostgreSQL (PGlite)', () => {
  const db = new PGlite();
  closers.push(() => db.close());
  // Starting PGlite and migrating takes long on a loaded machine: outside every case's timeout.
  beforeAll(() => migrate(db), 180_000);
  for (const c of privacyConformanceCases({ create: () => createPostgresStorage(db) })) it(c.name, c.run);
  it('erases a subject: a scan of every table finds nothing of them and all of the others', async () => {
    await erasesAlice(db, 'hd_privacy');
  });
});

describe.skipIf(!local)('privacy on a real PostgreSQL server', () => {
  it('erases a subject: a scan of every table finds nothing of them and all of the others', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    const schema = `hd_privacy_${Date.now().toString(36)}`;
    closers.push(async () => {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    });
    await erasesAlice(pool, schema);
  });
});
