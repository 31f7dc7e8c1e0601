import { describe, expect, it } from 'vitest';
import type { Permission } from '../../src/accounts/permissions.js';
import { findAccountById, writeAccount } from '../../src/accounts/store.js';
import { runCommand } from '../../src/engine/unit-of-work.js';
import { isHelpdeskError } from '../../src/errors.js';
import { createPbkdf2Hasher } from '../../src/security/index.js';
import { makeDesk } from '../helpers.js';
import { authOf } from './_callers.js';

// Replies by mail (issue 12): the host vouches only that a mail came in from an address. It is a
// requester-side reply from the requester's address or a CC'd colleague's current one; from any
// other address it is refused as if the ticket did not exist, and the mail caller does nothing else.

const content = { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' };
const agent = { role: 'agent', id: 'agent-1' } as const;
const mailFrom = (from: string) => ({ role: 'mail', from }) as const;

async function world() {
  const h = makeDesk({
    passwordHasher: createPbkdf2Hasher({ iterations: 1000 }),
    sessionRevoker: { revokeSessions: () => undefined },
  });
  const { desk } = h;
  const created = await desk.accounts.createOrganization({
    slug: 'acme',
    name: 'Acme Ltd',
    admin: { email: 'boss@acme.example', phone: '06-30/555-0101' },
  });
  const adminAuth = await authOf(h, created.admin.id);
  const user = async (username: string, email: string, permissions: Permission[]) => {
    const view = await desk.accounts.createBusinessUser({ auth: adminAuth, username, email, permissions });
    return { auth: await authOf(h, view.id), id: view.id };
  };
  const filer = await user('filer', 'filer@acme.example', ['tickets.read', 'tickets.create']);
  const max = await user('max', 'Max@Acme.example', ['tickets.create']);
  const bea = await user('bea', 'bea@acme.example', []);
  const { ticket } = await desk.tickets.submit({ auth: filer.auth, content });
  await desk.tickets.follow({ ticketId: ticket.id, auth: filer.auth, email: 'max@acme.example' });
  await desk.tickets.follow({ ticketId: ticket.id, auth: filer.auth, email: 'bea@acme.example' });
  await desk.tickets.solve({ ticketId: ticket.id, auth: agent });
  return { ...h, id: ticket.id, filer, max, bea };
}

async function codeOf(promise: Promise<unknown>) {
  return promise.then(
    () => 'ok',
    (e: unknown) => (isHelpdeskError(e) ? e.code : String(e)),
  );
}

describe('replies by mail', () => {
  it('a reply by mail from a CC’d address is a requester-side reply', async () => {
    const h = await world();
    // Max's address, in other capitals than stored: he is CC'd and holds tickets.create.
    const reopened = await h.desk.tickets.reply({ ticketId: h.id, auth: mailFrom('MAX@acme.EXAMPLE'), body: 'Still.' });
    expect(reopened.status).toBe('open');
    expect(reopened.lastRequesterReplyAt).not.toBeNull();
    const last = (await h.desk.tickets.messages(h.id, { auth: agent })).messages.at(-1);
    expect(last?.side).toBe('requester');
    expect(last?.channel).toBe('email');
    expect(last?.author).toMatchObject({ role: 'account', id: h.max.id, via: 'mail' });
    const entry = (await h.desk.tickets.history(h.id, { auth: agent })).at(-1) as { actor: unknown };
    expect(entry.actor).toMatchObject({ role: 'account', id: h.max.id });
  });

  it('a reply by mail from the requester’s address is the requester’s', async () => {
    const h = await world();
    const filerId = h.filer.id;
    await h.desk.tickets.reply({ ticketId: h.id, auth: mailFrom('Filer@Acme.example'), body: 'Thanks, fixed.' });
    const last = (await h.desk.tickets.messages(h.id, { auth: agent })).messages.at(-1);
    expect(last?.author).toMatchObject({ role: 'requester', id: filerId, via: 'mail' });
    expect(last?.side).toBe('requester');
  });

  it('a reply by mail from an unknown address is refused and changes nothing', async () => {
    const h = await world();
    const before = await h.desk.tickets.get(h.id);
    const refused = async (from: string) =>
      codeOf(h.desk.tickets.reply({ ticketId: h.id, auth: mailFrom(from), body: 'Reopen it.' }));
    expect(await refused('stranger@elsewhere.example')).toBe('TICKET_NOT_FOUND');
    // CC'd, but without tickets.create: the same reply rule as when logged in refuses him.
    expect(await refused('bea@acme.example')).toBe('TICKET_NOT_FOUND');
    // The boss is of the organisation but not CC'd.
    expect(await refused('boss@acme.example')).toBe('TICKET_NOT_FOUND');
    expect(
      await codeOf(h.desk.tickets.reply({ ticketId: 'no-such', auth: mailFrom('max@acme.example'), body: 'x' })),
    ).toBe('TICKET_NOT_FOUND');
    const after = await h.desk.tickets.get(h.id);
    expect(after.version).toBe(before.version);
    expect(after.status).toBe('solved');
  });

  it('a CC’d colleague is known by his current address only', async () => {
    const h = await world();
    await runCommand(
      h.storage,
      () => h.clock.now(),
      async (uow) => {
        const max = (await findAccountById(uow, h.max.id))!.value;
        writeAccount(uow, { ...max, email: 'max.new@acme.example' });
      },
    );
    expect(
      await codeOf(h.desk.tickets.reply({ ticketId: h.id, auth: mailFrom('max@acme.example'), body: 'Old.' })),
    ).toBe('TICKET_NOT_FOUND');
    const reply = await h.desk.tickets.reply({ ticketId: h.id, auth: mailFrom('max.new@acme.example'), body: 'New.' });
    expect(reply.status).toBe('open');
  });

  it('a disabled CC’d colleague’s mail is refused', async () => {
    const h = await world();
    await runCommand(
      h.storage,
      () => h.clock.now(),
      async (uow) => {
        const max = (await findAccountById(uow, h.max.id))!.value;
        writeAccount(uow, { ...max, status: 'disabled' });
      },
    );
    expect(await codeOf(h.desk.tickets.reply({ ticketId: h.id, auth: mailFrom('max@acme.example'), body: 'x' }))).toBe(
      'TICKET_NOT_FOUND',
    );
  });

  // The mail stands for the requester only as far as the requester could reply himself: an account
  // requester must be active and (a business user) hold tickets.create, and his address is the one
  // his account has now, not the one the ticket kept from the day it was filed.
  const changeAccount = (h: Awaited<ReturnType<typeof world>>, id: string, change: Record<string, unknown>) =>
    runCommand(
      h.storage,
      () => h.clock.now(),
      async (uow) => {
        const account = (await findAccountById(uow, id))!.value;
        writeAccount(uow, { ...account, ...change });
      },
    );

  it('a disabled requester’s mail is refused and changes nothing', async () => {
    const h = await world();
    await changeAccount(h, h.filer.id, { status: 'disabled' });
    const before = await h.desk.tickets.get(h.id);
    expect(
      await codeOf(h.desk.tickets.reply({ ticketId: h.id, auth: mailFrom('filer@acme.example'), body: 'x' })),
    ).toBe('TICKET_NOT_FOUND');
    const after = await h.desk.tickets.get(h.id);
    expect(after.version).toBe(before.version);
    expect(after.status).toBe('solved');
  });

  it('a business requester’s mail without tickets.create is refused, as his reply on the web is', async () => {
    const h = await world();
    await changeAccount(h, h.filer.id, { permissions: ['tickets.read'] });
    expect(
      await codeOf(h.desk.tickets.reply({ ticketId: h.id, auth: mailFrom('filer@acme.example'), body: 'x' })),
    ).toBe('TICKET_NOT_FOUND');
    expect((await h.desk.tickets.get(h.id)).status).toBe('solved');
  });

  it('an account requester is known by his current address only', async () => {
    const h = await world();
    await changeAccount(h, h.filer.id, { email: 'filer.new@acme.example' });
    expect(
      await codeOf(h.desk.tickets.reply({ ticketId: h.id, auth: mailFrom('filer@acme.example'), body: 'Old.' })),
    ).toBe('TICKET_NOT_FOUND');
    const reply = await h.desk.tickets.reply({
      ticketId: h.id,
      auth: mailFrom('Filer.New@acme.example'),
      body: 'New.',
    });
    expect(reply.status).toBe('open');
    const last = (await h.desk.tickets.messages(h.id, { auth: agent })).messages.at(-1);
    expect(last?.author).toMatchObject({ role: 'requester', id: h.filer.id, via: 'mail' });
  });

  it('a requester without an account is known by the address the ticket keeps', async () => {
    const h = await world();
    const { ticket } = await h.desk.tickets.submit({ content, requester: { id: 'cust-9', email: 'cust9@x.example' } });
    await h.desk.tickets.solve({ ticketId: ticket.id, auth: agent });
    const reply = await h.desk.tickets.reply({
      ticketId: ticket.id,
      auth: mailFrom('CUST9@x.example'),
      body: 'Again.',
    });
    expect(reply.status).toBe('open');
  });

  it('a mail caller cannot read or solve', async () => {
    const h = await world();
    const auth = mailFrom('filer@acme.example');
    expect(await codeOf(h.desk.tickets.get(h.id, { auth }))).toBe('TICKET_NOT_FOUND');
    expect(await codeOf(h.desk.tickets.messages(h.id, { auth }))).toBe('TICKET_NOT_FOUND');
    expect(await codeOf(h.desk.tickets.history(h.id, { auth }))).toBe('TICKET_NOT_FOUND');
    expect((await h.desk.tickets.list({ auth })).tickets).toEqual([]);
    const before = await h.desk.tickets.get(h.id);
    expect(await codeOf(h.desk.tickets.solve({ ticketId: h.id, auth }))).toBe('PERMISSION_DENIED');
    expect(await codeOf(h.desk.tickets.resume({ ticketId: h.id, auth }))).toBe('PERMISSION_DENIED');
    expect(await codeOf(h.desk.tickets.addNote({ ticketId: h.id, auth, body: 'note' }))).toBe('PERMISSION_DENIED');
    expect(await codeOf(h.desk.tickets.follow({ ticketId: h.id, auth }))).toBe('PERMISSION_DENIED');
    expect(await codeOf(h.desk.tickets.submit({ auth, content, requester: { id: 'r', email: 'r@x.example' } }))).toBe(
      'PERMISSION_DENIED',
    );
    expect((await h.desk.tickets.get(h.id)).version).toBe(before.version);
  });
});
