import { describe, expect, it } from 'vitest';
import { createPbkdf2Hasher } from '../../src/security/index.js';
import { authOf } from '../tickets/_callers.js';
import {
  dpo,
  fileTicket,
  hits,
  makePrivacyDesk,
  registerPerson,
  storeStrings,
  type PrivacyHarness,
} from './_harness.js';

// Mail to other people carries what the subject wrote: the assignee's notice quotes the reply and
// the ticket's title, a follower's status mail the title. Erasure cuts it out there too; export
// hands the subject other people's mail only as the texts that name them.

const anna = { role: 'agent', id: 'anna' } as const;
const fast = {
  passwordHasher: createPbkdf2Hasher({ iterations: 1000 }),
  sessionRevoker: { revokeSessions: () => undefined },
  tickets: { agentAddress: () => 'anna@desk.example' },
};

type Mail = { id: string; status: string; payload: { to: string; subject: string; text: string; template: string } };
const mails = async (h: PrivacyHarness) => (await h.desk.outbox({ limit: 10_000 })) as unknown as Mail[];
const strings = (h: PrivacyHarness) => storeStrings(h.storage as never);

/** An organisation with the main administrator's auth and business users made by it. */
async function acme(h: PrivacyHarness) {
  const org = await h.desk.accounts.createOrganization({
    slug: 'acme',
    name: 'Acme',
    admin: { email: 'boss@acme.example', phone: '06-30/555-0101' },
  });
  const admin = await authOf(h as never, org.admin.id);
  const user = async (username: string, permissions: string[]) => {
    const view = await h.desk.accounts.createBusinessUser({
      auth: admin,
      username,
      email: `${username}@acme.example`,
      permissions: permissions as never,
    });
    return { accountId: view.id, auth: await authOf(h as never, view.id) };
  };
  return { user };
}

describe('erasure and mail to other people', () => {
  it("cuts the subject's reply and their ticket's title out of the assignee's notice", async () => {
    const h = makePrivacyDesk(fast);
    const alice = await registerPerson(h, 'alice');
    const auth = await authOf(h as never, alice.accountId);
    const { ticket } = await h.desk.tickets.submit({
      auth,
      content: { organization: 'Acme', subject: 'Zebra printer jam', description: 'Jams.' },
    });
    await h.desk.tickets.assign({ ticketId: ticket.id, auth: anna, assigneeId: 'anna' });
    await h.desk.tickets.reply({ ticketId: ticket.id, auth, body: 'My divorce hearing is Friday.' });
    const notice = (await mails(h)).find((m) => m.payload.template === 'ticket.requester_replied')!;
    expect(notice.payload.to).toBe('anna@desk.example');

    await h.desk.privacy.erase({ subject: { accountId: alice.accountId }, actor: dpo, reason: 'Art. 17' });

    const after = await strings(h);
    expect([...hits(after, 'divorce hearing'), ...hits(after, 'Zebra printer')]).toEqual([]);
    // The notice stays in the queue, to the same agent, and is not sent with the pseudonym in it.
    const erased = (await mails(h)).find((m) => m.id === notice.id)!;
    expect([erased.payload.to, erased.status]).toEqual(['anna@desk.example', 'dead']);
  });

  it("cuts the subject's reply out of a notice about someone else's ticket, keeping that ticket's own text", async () => {
    const h = makePrivacyDesk(fast);
    const { user } = await acme(h);
    const bob = await user('bob', ['tickets.read', 'tickets.create']);
    const max = await user('max', ['tickets.create']);
    const { ticket } = await h.desk.tickets.submit({
      auth: bob.auth,
      content: { organization: 'Acme', subject: 'Tracker in van 7', description: 'Offline since Monday.' },
    });
    await h.desk.tickets.assign({ ticketId: ticket.id, auth: anna, assigneeId: 'anna' });
    await h.desk.tickets.follow({ ticketId: ticket.id, auth: bob.auth, email: 'max@acme.example' });
    await h.desk.tickets.reply({
      ticketId: ticket.id,
      auth: max.auth,
      body: 'Same here, and my sick leave ends Monday.',
    });
    // The assignee's notice and the requester's copy quote it.
    const quoting = (await mails(h)).filter((m) => m.payload.text.includes('sick leave'));
    expect(quoting.map((m) => m.payload.to).sort()).toEqual(['anna@desk.example', 'bob@acme.example']);

    await h.desk.privacy.erase({ subject: { accountId: max.accountId }, actor: dpo, reason: 'Art. 17' });

    expect(hits(await strings(h), 'sick leave')).toEqual([]);
    const after = await mails(h);
    for (const mail of quoting) {
      const erased = after.find((m) => m.id === mail.id)!;
      expect(erased.payload.subject).toBe(mail.payload.subject);
      expect(erased.payload.subject).toContain('Acme - Tracker in van 7');
    }
  });

  it("leaves another requester's pending mail that shares the subject's organisation or a short common reply", async () => {
    const h = makePrivacyDesk(fast);
    const alice = await registerPerson(h, 'alice');
    const bob = await registerPerson(h, 'bob');
    const aliceTicket = await fileTicket(h, alice, 'Alice wrote: the tracker is offline.');
    const bobTicket = await fileTicket(h, bob, 'Bob wrote: invoices do not load.');
    for (const [{ ticket }, person] of [
      [aliceTicket, alice],
      [bobTicket, bob],
    ] as const) {
      await h.desk.tickets.assign({ ticketId: ticket.id, auth: anna, assigneeId: 'anna' });
      await h.desk.tickets.reply({
        ticketId: ticket.id,
        author: { role: 'requester', id: person.accountId },
        body: 'Thanks, it works',
      });
    }
    const bobs = (await mails(h)).filter(
      (m) =>
        m.status === 'pending' &&
        (m.payload.to === bob.email || m.payload.subject.includes(`#${bobTicket.ticket.number}`)),
    );
    expect(bobs.map((m) => m.payload.template).sort()).toEqual(['ticket.confirmation', 'ticket.requester_replied']);
    expect(bobs.every((m) => m.payload.subject.includes('Acme'))).toBe(true);

    await h.desk.privacy.erase({ subject: { accountId: alice.accountId }, actor: dpo, reason: 'Art. 17' });
    for (let i = 0; i < 3; i++) await h.desk.runDueTimers();

    const after = await mails(h);
    for (const message of bobs) expect(after.find((m) => m.id === message.id)).toEqual(message);
  });
});

describe('export and mail to other people', () => {
  it("holds the subject's own mail whole, and of another's mail naming them only the texts that do", async () => {
    const h = makePrivacyDesk(fast);
    const alice = await registerPerson(h, 'alice');
    const { ticket } = await h.desk.tickets.submit({
      requester: { id: 'bob-1', email: 'bob@example.com' },
      content: { organization: 'Acme', subject: 'Payslip wrong', description: 'Salary cut.' },
    });
    await h.desk.tickets.reply({
      ticketId: ticket.id,
      auth: anna,
      body: 'Approved by alice@example.com; sorry about the garnishment order.',
    });
    const subject = { accountId: alice.accountId };
    let page = await h.desk.privacy.export({ subject });
    const outbox = [...page.outbox];
    while (page.next) outbox.push(...(page = await h.desk.privacy.export({ subject, cursor: page.next })).outbox);

    const own = outbox.filter((m) => (m.payload as { to?: string }).to === alice.email);
    expect(own.map((m) => (m.payload as { template: string }).template)).toEqual(['account.activation']);
    // Whole, not an excerpt: what the outbox keeps of it, which for a delivered activation mail is its
    // readable fields (the link in its text was erased once it was delivered).
    expect(own[0]!.excerpt).toBeFalsy();
    expect(Object.keys(own[0]!.payload as object).sort()).toEqual(['erased', 'locale', 'subject', 'template', 'to']);
    const others = outbox.filter((m) => (m.payload as { to?: string }).to !== alice.email);
    expect(others.map((m) => m.excerpt)).toEqual([true]);
    expect(others.map((m) => m.payload)).toEqual([
      { text: expect.stringContaining('Approved by alice@example.com') as unknown },
    ]);
    expect(JSON.stringify(outbox)).not.toContain('bob@example.com');
  });
});
