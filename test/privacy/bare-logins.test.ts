import { describe, expect, it } from 'vitest';
import { createPbkdf2Hasher } from '../../src/security/index.js';
import { makeDesk } from '../helpers.js';
import { agent, dpo, fileTicket, makePrivacyDesk, registerPerson } from './_harness.js';

// A personal login is a word ("anna", "ticket"): it names its owner in a login field and in his
// own records, but in someone else's text or mail it may be anyone's. Unique keys (id, email,
// phone, a login with @) decide what is the subject's; a bare word never does.

async function exportAll(h: ReturnType<typeof makePrivacyDesk>, accountId: string) {
  const pages = [];
  let cursor: string | undefined;
  do {
    const page = await h.desk.privacy.export({ subject: { accountId }, ...(cursor ? { cursor } : {}) });
    pages.push(page);
    cursor = page.next ?? undefined;
  } while (cursor);
  return pages;
}

describe('bare logins in other people’s data', () => {
  it('an export holds nothing of another person’s text or mail that only contains the login as a word', async () => {
    const h = makePrivacyDesk();
    const anna = await registerPerson(h, 'anna');
    const carol = await registerPerson(h, 'carol');
    const { ticket } = await fileTicket(h, carol, 'Anna from accounting says my IBAN HU42 1177 3016 is wrong.');
    await h.desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Carol, we spoke to Anna: fixed.' });
    const exported = JSON.stringify(await exportAll(h, anna.accountId));
    expect(exported).not.toContain('HU42');
    expect(exported).not.toContain('we spoke to Anna');
    expect(exported).not.toContain(carol.email);
  });

  it('erasing the personal login “ticket” kills no one else’s pending mail', async () => {
    const h = makePrivacyDesk();
    const ticketUser = await registerPerson(h, 'ticket');
    const carol = await registerPerson(h, 'carol');
    await fileTicket(h, carol, 'My ticket from last week is still open.');
    const pending = (await h.desk.outbox({ limit: 100 })).filter((m) => m.status === 'pending');
    expect(pending.length).toBeGreaterThan(0);
    await h.desk.privacy.erase({ subject: { accountId: ticketUser.accountId }, actor: dpo, reason: 'Art 17' });
    for (let i = 0; i < 3; i++) await h.desk.runDueTimers();
    const after = await h.desk.outbox({ limit: 100 });
    for (const message of pending) {
      const now = after.find((m) => m.id === message.id)!;
      expect(now.status).toBe('pending');
      expect(now.payload).toEqual(message.payload);
    }
  });

  it('erasing an organisation’s main administrator leaves the organisation its name', async () => {
    const h = makeDesk({ passwordHasher: createPbkdf2Hasher({ iterations: 1000 }) });
    const created = await h.desk.accounts.createOrganization({
      slug: 'acme',
      name: 'Acme Ltd',
      admin: { email: 'boss@acme.example', phone: '06-30/555-0101', displayName: 'Boss' },
    });
    await h.desk.privacy.erase({ subject: { accountId: created.admin.id }, actor: dpo, reason: 'Art 17' });
    for (let i = 0; i < 3; i++) await h.desk.runDueTimers();
    const [organization] = await h.storage.list('organization', { where: {}, limit: 5 });
    const state = organization!.state as { name: string; mainAdminAccountId: string };
    expect(state.name).toBe('Acme Ltd');
    expect(state.mainAdminAccountId).not.toBe(created.admin.id);
  });
});
