import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { createPbkdf2Hasher } from '../../src/security/index.js';
import { privacyExportSchema, type PrivacyExport } from '../../src/privacy/export-schema.js';
import { dpo, hits, makePrivacyDesk, registerPerson, storeStrings, type PrivacyHarness } from './_harness.js';

// The form of README and getting-started: the host files a ticket for its customer under its own
// id, `requester: { id: 'cust-1', email }`. The ticket then names the person by that id and by the
// address; the messages they write name them by the id only.

const CAROL = 'carol@example.org';
const fast = { passwordHasher: createPbkdf2Hasher({ iterations: 1000 }) };

async function carolFiledByTheHost(h: PrivacyHarness, email = CAROL) {
  const { ticket, guestToken } = await h.desk.tickets.submit({
    requester: { id: 'cust-1', email },
    content: { organization: 'Acme', subject: 'Screen', description: 'Cracked at my home in Utrecht.' },
  });
  await h.desk.tickets.reply({
    ticketId: ticket.id,
    auth: { role: 'guest', token: guestToken! },
    body: 'My therapist says it is stress.',
    attachments: [{ name: 'carol-id.jpg', type: 'image/jpeg', size: 1, storageKey: 'b/carol-id.jpg' }],
  });
  return ticket;
}

async function exportAll(
  h: PrivacyHarness,
  subject: Parameters<PrivacyHarness['desk']['privacy']['export']>[0]['subject'],
  limit = 500,
) {
  const pages: PrivacyExport[] = [];
  let cursor: string | undefined;
  do {
    const page = await h.desk.privacy.export({ subject, limit, ...(cursor ? { cursor } : {}) });
    pages.push(privacyExportSchema.parse(page));
    cursor = page.next ?? undefined;
  } while (cursor);
  return { pages, records: pages.flatMap((p) => p.records), json: JSON.stringify(pages) };
}

const strings = (h: PrivacyHarness) => storeStrings(h.storage as never);

describe('a requester the host filed under its own id, asked for by email', () => {
  it('is erased whole: the description, the reply, the attachment name and key go, and the file is handed over', async () => {
    const h = makePrivacyDesk();
    await carolFiledByTheHost(h);

    const erased = await h.desk.privacy.erase({ subject: { email: CAROL }, actor: dpo, reason: 'Art. 17' });

    const after = await strings(h);
    expect(['Utrecht', 'therapist', 'carol-id', 'cust-1', CAROL].filter((text) => hits(after, text).length)).toEqual(
      [],
    );
    expect(erased.attachments).toEqual([
      { name: 'carol-id.jpg', type: 'image/jpeg', size: 1, storageKey: 'b/carol-id.jpg' },
    ]);
  });

  it('is exported whole: the ticket and every message they wrote, on every page size', async () => {
    const h = makePrivacyDesk();
    const ticket = await carolFiledByTheHost(h);

    for (const limit of [5000, 3]) {
      const all = await exportAll(h, { email: CAROL }, limit);
      const messages = all.records.filter((r) => r.kind === 'ticket-message').map((r) => r.state as { body: string });
      expect(messages.map((m) => m.body)).toEqual([
        'Cracked at my home in Utrecht.',
        'My therapist says it is stress.',
      ]);
      expect(all.records.some((r) => r.kind === 'ticket' && r.id === ticket.id)).toBe(true);
      expect(all.pages[0]!.subject.identifiers).toContain('cust-1');
    }
  });

  it('is found by an address in any case: the ticket index holds it lower-cased', async () => {
    const h = makePrivacyDesk();
    const ticket = await carolFiledByTheHost(h, 'Carol@Example.ORG');
    expect((await h.storage.load('ticket', ticket.id))!.indexes['requesterEmail']).toBe(CAROL);

    await h.desk.privacy.erase({ subject: { email: 'CAROL@example.org' }, actor: dpo, reason: 'Art. 17' });

    const after = await strings(h);
    expect(['Utrecht', 'therapist', 'carol-id'].filter((text) => hits(after, text).length)).toEqual([]);
  });
});

describe('an address names an account only as that account’s own address', () => {
  it('erasing a stranger who opened a recovery case for alice’s login leaves alice’s account, login and data', async () => {
    const h = makePrivacyDesk(fast);
    const alice = await registerPerson(h, 'alice');
    await h.desk.tickets.submit({
      requester: { id: alice.accountId, email: alice.email },
      content: { organization: 'Acme', subject: 'Van', description: 'Alice wrote: my van is offline.' },
    });
    await h.desk.recovery.open({
      login: 'alice',
      lostFactor: 'phone',
      channel: 'web',
      requester: { email: 'mallory@evil.example', name: 'Mallory' },
      description: 'I am alice, honest.',
    });

    const erased = await h.desk.privacy.erase({
      subject: { email: 'mallory@evil.example' },
      actor: dpo,
      reason: 'Art. 17',
    });

    expect(erased.status).toBe('done');
    expect(await h.storage.load('account', alice.accountId)).not.toBeNull();
    expect(await h.storage.load('account_login', 'alice')).not.toBeNull();
    const after = await strings(h);
    expect(hits(after, 'Alice wrote: my van is offline.').length).toBeGreaterThan(0);
    expect(hits(after, 'mallory@evil.example')).toEqual([]);
  });

  it('an address a ticket of alice was filed with, not her account’s, brings neither her account nor her other tickets', async () => {
    const h = makePrivacyDesk(fast);
    const alice = await registerPerson(h, 'alice');
    // The host filed for alice's account with an address that is not (or no longer) the account's.
    await h.desk.tickets.submit({
      requester: { id: alice.accountId, email: 'old-alice@example.net' },
      content: { organization: 'Acme', subject: 'Old', description: 'Filed from the old address.' },
    });
    await h.desk.tickets.submit({
      requester: { id: alice.accountId, email: alice.email },
      content: { organization: 'Acme', subject: 'New', description: 'Alice wrote: filed from her own address.' },
    });

    const exported = await exportAll(h, { email: 'old-alice@example.net' });
    expect(exported.json).toContain('Filed from the old address.');
    expect(exported.json).not.toContain('Alice wrote');
    expect(exported.json).not.toContain(alice.email);
    expect(exported.records.filter((r) => r.kind === 'account' || r.id === alice.accountId)).toEqual([]);

    await h.desk.privacy.erase({ subject: { email: 'old-alice@example.net' }, actor: dpo, reason: 'Art. 17' });
    expect(await h.storage.load('account', alice.accountId)).not.toBeNull();
    const after = await strings(h);
    expect(hits(after, 'Alice wrote: filed from her own address.').length).toBeGreaterThan(0);
    expect(hits(after, 'old-alice@example.net')).toEqual([]);
  });
});

describe('the requesterEmail ticket index on PostgreSQL (PGlite)', () => {
  const db = new PGlite();
  const schema = 'hd_requester_email';
  beforeAll(() => migrate(db, { schema }), 180_000);
  afterAll(() => db.close());

  it('is written with every ticket, and migration 5 adds it, lower-cased, to tickets stored before it', async () => {
    const storage = createPostgresStorage(db, { schema });
    const h = makePrivacyDesk({ storage });
    const ticket = await carolFiledByTheHost(h, 'Carol@Example.ORG');
    const byEmail = async () =>
      (await storage.list('ticket', { where: { requesterEmail: CAROL }, limit: 10 })).map((r) => r.id);
    expect(await byEmail()).toEqual([ticket.id]);

    // As stored before version 5: no requesterEmail key, and the schema back before that step.
    await db.query(`UPDATE ${schema}.records SET indexes = indexes - 'requesterEmail' WHERE kind = 'ticket'`);
    await db.query(`DELETE FROM ${schema}.schema_version WHERE version >= 5`);
    expect(await byEmail()).toEqual([]);
    await migrate(db, { schema });
    expect(await byEmail()).toEqual([ticket.id]);

    await h.desk.privacy.erase({ subject: { email: CAROL }, actor: dpo, reason: 'Art. 17' });
    const after = await storeStrings(storage as never);
    expect(['Utrecht', 'therapist', 'carol-id'].filter((text) => hits(after, text).length)).toEqual([]);
  });
});
