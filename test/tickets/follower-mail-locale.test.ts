import { describe, expect, it } from 'vitest';
import type { Permission } from '../../src/accounts/permissions.js';
import { findAccountById, writeAccount } from '../../src/accounts/store.js';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { runCommand } from '../../src/engine/unit-of-work.js';
import { readOneByOne } from '../../src/_lib/read-one-by-one.js';
import { LOCALES, type Locale } from '../../src/messages/locales.js';
import type { Storage } from '../../src/ports/storage.js';
import { createPbkdf2Hasher } from '../../src/security/index.js';
import { makeDesk } from '../helpers.js';
import { authOf } from './_callers.js';

// Followers' mails speak to each follower: a CC'd colleague reads them in his own account's locale
// (the ticket's is the requester's), and an agent follower, whose name the library does not know, is
// greeted as a colleague, never by his id.

const content = { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' };
const agent = { role: 'agent', id: 'agent-1' } as const;
// An agent's address built from his id, as hosts often do: its local part is no name either.
const agentAddress = (t: { agentId: string } | { groupId: string }) =>
  'agentId' in t ? `${t.agentId}@desk.example` : null;

/** The storage counting its port calls, with `readBatch` (reads one by one) so commands batch as on PostgreSQL. */
function counted(calls: string[]): Storage {
  const inner = createMemoryStorage() as Storage;
  return new Proxy(inner, {
    get(target, key) {
      const value: unknown =
        key === 'readBatch'
          ? (reads: Parameters<NonNullable<Storage['readBatch']>>[0]) => readOneByOne(inner as never, reads)
          : Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(key));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

async function world(deskLocale: Locale = 'en') {
  const calls: string[] = [];
  const storage = counted(calls);
  const made = makeDesk({
    storage,
    locale: deskLocale,
    passwordHasher: createPbkdf2Hasher({ iterations: 1000 }),
    sessionRevoker: { revokeSessions: () => undefined },
    tickets: { agentAddress },
  });
  const h = { ...made, storage: storage as typeof made.storage };
  const created = await h.desk.accounts.createOrganization({
    slug: 'acme',
    name: 'Acme Ltd',
    admin: { email: 'boss@acme.example', phone: '06-30/555-0101', locale: 'en' },
  });
  const admin = await authOf(h, created.admin.id);
  const user = async (username: string, locale: Locale, permissions: Permission[] = []) => {
    const view = await h.desk.accounts.createBusinessUser({
      auth: admin,
      username,
      email: `${username}@acme.example`,
      displayName: username[0]!.toUpperCase() + username.slice(1),
      locale,
      permissions,
    });
    return authOf(h, view.id);
  };
  const filer = await user('filer', 'en', ['tickets.read', 'tickets.create']);
  const eleni = await user('eleni', 'el', ['tickets.create']);
  const noor = await user('noor', 'nl');
  const { ticket } = await h.desk.tickets.submit({ auth: filer, content });
  const mails = async (template?: string) =>
    (await h.desk.outbox({ limit: 10_000 }))
      .map((m) => m.payload as { to: string; template: string; locale: Locale; subject: string; text: string })
      .filter((p) => template === undefined || p.template.startsWith(template));
  return { ...h, calls, id: ticket.id, filer, eleni, noor, mails };
}

describe('CC’d colleagues are mailed in their own account’s locale', () => {
  it('a CC’d colleague with a Greek account gets the reply notice in Greek', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'eleni@acme.example' });
    await h.desk.tickets.reply({ ticketId: h.id, auth: agent, body: 'Please power-cycle the tracker.' });
    const replies = await h.mails('ticket.agent_reply');
    expect(replies.map((m) => [m.to, m.locale]).sort()).toEqual([
      ['eleni@acme.example', 'el'],
      ['filer@acme.example', 'en'],
    ]);
  });

  it('a requester-side reply reaches each CC’d colleague in his own locale', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'eleni@acme.example' });
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'noor@acme.example' });
    await h.desk.tickets.reply({ ticketId: h.id, auth: h.filer, body: 'Van 8 too.' });
    await h.desk.tickets.reply({ ticketId: h.id, auth: h.eleni, body: 'And van 9.' });
    const replies = (await h.mails('ticket.agent_reply')).map((m) => [m.to, m.locale]);
    expect(replies).toEqual([
      ['eleni@acme.example', 'el'],
      ['noor@acme.example', 'nl'],
      ['filer@acme.example', 'en'],
      ['noor@acme.example', 'nl'],
    ]);
  });

  it('a status notice greets a CC’d colleague by name in his locale, and the requester in the ticket’s', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'eleni@acme.example' });
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'noor@acme.example' });
    await h.desk.tickets.hold({ ticketId: h.id, auth: agent });
    const notices = await h.mails('ticket.status_on_hold');
    expect(notices.map((m) => [m.to, m.locale])).toEqual([
      ['filer@acme.example', 'en'],
      ['eleni@acme.example', 'el'],
      ['noor@acme.example', 'nl'],
    ]);
    expect(notices.map((m) => m.text.split('\n')[0])).toEqual(['Hello Filer,', 'Γεια σας Eleni,', 'Beste Noor,']);
  });

  it('a requester who follows his own ticket gets each notice once, even after his address changed', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer });
    const filerId = (h.filer.principal as { accountId: string }).accountId;
    await runCommand(
      h.storage,
      () => h.clock.now(),
      async (uow) => {
        const account = (await findAccountById(uow, filerId))!.value;
        writeAccount(uow, { ...account, email: 'filer.new@acme.example', locale: 'nl' });
      },
    );
    await h.desk.tickets.hold({ ticketId: h.id, auth: agent });
    const notices = await h.mails('ticket.status_on_hold');
    expect(notices.filter((m) => m.to.startsWith('filer'))).toHaveLength(1);
  });

  it('follows the locale the colleague’s account has now, not the one it had when CC’d', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'noor@acme.example' });
    const noorId = (h.noor.principal as { accountId: string }).accountId;
    await runCommand(
      h.storage,
      () => h.clock.now(),
      async (uow) => {
        writeAccount(uow, { ...(await findAccountById(uow, noorId))!.value, locale: 'hu' });
      },
    );
    await h.desk.tickets.solve({ ticketId: h.id, auth: agent });
    const toNoor = (await h.mails('ticket.status_solved')).find((m) => m.to === 'noor@acme.example');
    expect(toNoor?.locale).toBe('hu');
    expect(toNoor?.text.startsWith('Kedves Noor!\n')).toBe(true);
  });

  it('reads nothing more for it: a status notice to CC’d colleagues costs one read batch and the commit', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'eleni@acme.example' });
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'noor@acme.example' });
    await h.desk.tickets.follow({ ticketId: h.id, auth: { role: 'agent', id: 'agent-2' } });
    await h.desk.tickets.hold({ ticketId: h.id, auth: agent });
    // The sending budget has now read each recipient's window once (its first mail); from here on a
    // notice costs the ticket command's batch (ticket, requester's and followers' accounts) and the commit.
    h.calls.length = 0;
    await h.desk.tickets.resume({ ticketId: h.id, auth: agent });
    expect(h.calls).toEqual(['readBatch', 'commit']);
    expect((await h.mails('ticket.status_resumed')).length).toBe(4);
  });
});

describe('agent followers are greeted as colleagues', () => {
  it('an agent follower is never greeted by his id, in any desk locale', async () => {
    const greeting: Record<Locale, string> = {
      en: 'Hello colleague,',
      hu: 'Kedves Kolléga!',
      el: 'Γεια σας συνάδελφε,',
      nl: 'Beste collega,',
    };
    for (const locale of LOCALES) {
      const h = await world(locale);
      await h.desk.tickets.follow({ ticketId: h.id, auth: { role: 'agent', id: 'agent-2' } });
      await h.desk.tickets.hold({ ticketId: h.id, auth: agent });
      await h.desk.tickets.resume({ ticketId: h.id, auth: agent });
      await h.desk.tickets.solve({ ticketId: h.id, auth: agent });
      await h.desk.tickets.reply({ ticketId: h.id, auth: h.filer, body: 'Broken again.' });
      const toAgent = (await h.mails('ticket.status_')).filter((m) => m.to === 'agent-2@desk.example');
      // The same templates as the requester's (hosts route mail by them), only the greeting differs.
      expect(
        toAgent.map((m) => m.template),
        locale,
      ).toEqual(['ticket.status_on_hold', 'ticket.status_resumed', 'ticket.status_solved', 'ticket.status_reopened']);
      for (const mail of toAgent) {
        expect(mail.locale, locale).toBe(locale);
        expect(mail.text, `${locale} ${mail.template}`).not.toContain('agent-2');
        expect(mail.text.split('\n')[0], `${locale} ${mail.template}`).toBe(greeting[locale]);
        expect(mail.subject, locale).toContain('[#');
      }
    }
  });

  it('still greets the requester and a CC’d colleague by name in the same notice', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'noor@acme.example' });
    await h.desk.tickets.follow({ ticketId: h.id, auth: { role: 'agent', id: 'agent-2' } });
    await h.desk.tickets.solve({ ticketId: h.id, auth: agent });
    const solved = await h.mails('ticket.status_solved');
    expect(solved.map((m) => [m.to, m.text.split('\n')[0]])).toEqual([
      ['filer@acme.example', 'Hello Filer,'],
      ['noor@acme.example', 'Beste Noor,'],
      ['agent-2@desk.example', 'Hello colleague,'],
    ]);
  });
});
