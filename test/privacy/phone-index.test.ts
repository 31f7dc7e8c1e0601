import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { ALICE_PHONE, dpo, makePrivacyDesk, registerPerson } from './_harness.js';

describe('the accounts phone index', () => {
  const db = new PGlite();
  const schema = 'hd_phone_index';
  beforeAll(() => migrate(db, { schema }), 180_000);
  afterAll(() => db.close());

  it('indexes an account by phone, and migration 4 adds the key to accounts stored before it', async () => {
    const storage = createPostgresStorage(db, { schema });
    const h = makePrivacyDesk({ storage });
    const alice = await registerPerson(h, 'alice', ALICE_PHONE);
    expect((await storage.list('account', { where: { phone: ALICE_PHONE }, limit: 10 })).map((r) => r.id)).toEqual([
      alice.accountId,
    ]);

    // As stored before version 4: no phone key, and the schema back before that step.
    await db.query(`UPDATE ${schema}.records SET indexes = indexes - 'phone' WHERE kind = 'account'`);
    await db.query(`DELETE FROM ${schema}.schema_version WHERE version >= 4`);
    expect(await storage.list('account', { where: { phone: ALICE_PHONE }, limit: 10 })).toEqual([]);
    await migrate(db, { schema });
    expect((await storage.list('account', { where: { phone: ALICE_PHONE }, limit: 10 })).map((r) => r.id)).toEqual([
      alice.accountId,
    ]);
  });

  it('finds the subject of an erasure by phone number through the index', async () => {
    const h = makePrivacyDesk();
    const alice = await registerPerson(h, 'alice', ALICE_PHONE);
    await registerPerson(h, 'bob');
    const result = await h.desk.privacy.erase({ subject: { phone: '+36 30 555 0111' }, actor: dpo, reason: 'r' });
    expect(result.status).toBe('done');
    expect(await h.storage.load('account', alice.accountId)).toBeNull();
  });
});
