import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { authFor } from '../accounts/_harness.js';
import { dpo, hits, makePrivacyDesk, storeStrings, type PrivacyHarness } from './_harness.js';

/**
 * Display names and bare usernames are not unique (two business users are both `bob`:
 * `bob@acme`, `bob@globex`; two people are both "Anna Kovacs"). Only unique keys (account id,
 * canonical login, email, phone) say that a record is a person's.
 */

interface Person {
  accountId: string;
  email: string;
  login: string;
  text: string;
}

async function personal(h: PrivacyHarness, username: string, displayName: string, text: string): Promise<Person> {
  const email = `${username}@example.com`;
  await h.desk.accounts.register({ username, email, password: `${username} long passphrase`, displayName });
  await h.desk.dispatchOutbox();
  const mails = h.mailer.to(email);
  const token = /token=([A-Za-z0-9_-]+)/.exec(mails[mails.length - 1]?.text ?? '')?.[1];
  await h.desk.accounts.activate({ token: token! });
  const [record] = await h.storage.list('account', { where: { email }, limit: 1 });
  return { accountId: record!.id, email, login: username, text };
}

async function business(h: PrivacyHarness, slug: string, username: string, text: string): Promise<Person> {
  const org = await h.desk.accounts.createOrganization({
    slug,
    name: `${slug} Ltd`,
    admin: { email: `boss@${slug}.example`, displayName: 'Boss' },
  });
  const admin = await authFor({ ...h, accounts: h.desk.accounts } as never, org.admin.id);
  const email = `${username}@${slug}.example`;
  const user = await h.desk.accounts.createBusinessUser({ auth: admin, username, email, permissions: [] });
  return { accountId: user.id, email, login: `${username}@${slug}`, text };
}

async function fileAs(h: PrivacyHarness, person: Person, signature: string) {
  await h.desk.tickets.submit({
    requester: { id: person.accountId, email: person.email },
    content: { organization: 'Acme', subject: 'Help', description: `${person.text} Signed: ${signature}` },
  });
}

/** Everything stored of `person`: account, login claim, tickets with messages and history, mail to them. */
async function holdings(h: PrivacyHarness, person: Person) {
  const tickets = await h.storage.list('ticket', { where: { requester: person.accountId }, limit: 100 });
  const messages = [];
  const history = [];
  for (const ticket of tickets) {
    messages.push(...(await h.storage.list('ticket-message', { where: { ticket: ticket.id }, limit: 100 })));
    history.push(await h.storage.history('ticket', ticket.id));
  }
  const outbox = (await (h.storage as MemoryStorage).scanOutbox(0, 100_000)).filter(
    ({ message }) => (message.payload as { to?: unknown }).to === person.email,
  );
  return {
    account: (await h.storage.load('account', person.accountId))?.state ?? null,
    accountHistory: await h.storage.history('account', person.accountId),
    login: (await h.storage.load('account_login', person.login))?.state ?? null,
    tickets: tickets.map((ticket) => ticket.state),
    messages: messages.map((message) => message.state),
    history,
    outbox: outbox.map(({ message }) => message.payload),
  };
}

async function erase(h: PrivacyHarness, person: Person) {
  const result = await h.desk.privacy.erase({
    subject: { accountId: person.accountId },
    actor: dpo,
    reason: 'Art. 17',
  });
  expect(result.status).toBe('done');
}

async function expectGone(h: PrivacyHarness, person: Person) {
  expect(await h.storage.load('account', person.accountId)).toBeNull();
  const after = await storeStrings(h.storage as MemoryStorage);
  for (const trace of [person.accountId, person.email, person.text]) expect(hits(after, trace), trace).toEqual([]);
}

describe('erasure decides by unique keys only', () => {
  it('erasing one person leaves another with the same display name untouched', async () => {
    const h = makePrivacyDesk();
    const anna1 = await personal(h, 'anna1', 'Anna Kovacs', 'Anna1 wrote this.');
    const anna2 = await personal(h, 'anna2', 'Anna Kovacs', 'Anna2 wrote this.');
    await fileAs(h, anna1, 'Anna Kovacs');
    await fileAs(h, anna2, 'Anna Kovacs');
    await h.desk.dispatchOutbox();
    const before = await holdings(h, anna2);

    await erase(h, anna1);

    await expectGone(h, anna1);
    expect(await holdings(h, anna2)).toEqual(before);
  });

  it('erasing a business user leaves the personal account with the same username, its login and its tickets untouched', async () => {
    const h = makePrivacyDesk();
    const bob = await personal(h, 'bob', 'Bob Person', 'The personal account wrote this.');
    const bizBob = await business(h, 'acme', 'bob', 'The Acme user wrote this.');
    await fileAs(h, bob, 'bob');
    await fileAs(h, bizBob, 'bob');
    await h.desk.dispatchOutbox();
    const before = await holdings(h, bob);

    await erase(h, bizBob);

    await expectGone(h, bizBob);
    expect(await holdings(h, bob)).toEqual(before);
    const flow = await h.desk.login.start({});
    const named = await h.desk.login.submitIdentifier({ flowId: flow.flowId, identifier: 'bob' });
    const answered = await h.desk.login.submitPassword({ flowId: named.flowId, password: 'bob long passphrase' });
    expect(answered.error ?? null).toBeNull();
  });

  it('erasing a personal account leaves a business user with the same username untouched', async () => {
    const h = makePrivacyDesk();
    const bob = await personal(h, 'bob', 'Bob Person', 'The personal account wrote this.');
    const bizBob = await business(h, 'acme', 'bob', 'The Acme user wrote this.');
    await fileAs(h, bob, 'bob');
    // Signed with the login: the bare word "bob" in prose is personal bob's login, replaced in anyone's text.
    await fileAs(h, bizBob, 'bob@acme');
    await h.desk.dispatchOutbox();
    const before = await holdings(h, bizBob);

    await erase(h, bob);

    await expectGone(h, bob);
    expect(await h.storage.load('account_login', 'bob')).toBeNull();
    expect(await holdings(h, bizBob)).toEqual(before);
  });

  it('erasing one of two business users both named bob leaves the other untouched', async () => {
    const h = makePrivacyDesk();
    const acme = await business(h, 'acme', 'bob', 'The Acme user wrote this.');
    const globex = await business(h, 'globex', 'bob', 'The Globex user wrote this.');
    await fileAs(h, acme, 'bob');
    await fileAs(h, globex, 'bob');
    await h.desk.dispatchOutbox();
    const before = await holdings(h, globex);

    await erase(h, acme);

    await expectGone(h, acme);
    expect(await h.storage.load('account_login', 'bob@acme')).toBeNull();
    expect(await holdings(h, globex)).toEqual(before);
  });

  it('with random name and username collisions, erasing one person leaves every other person untouched', async () => {
    // Each person: personal (a username) or business (the username at one of two companies), one of two display names.
    const personArb = fc.record({
      business: fc.constantFrom(null, 'acme', 'globex'),
      // Usernames are not words of the display names: a personal login is replaced whole in anyone's
      // prose (docs/privacy.md), so a login `anna` would take the "Anna" of another's "Anna Kovacs".
      username: fc.constantFrom('bob', 'kovi'),
      displayName: fc.constantFrom('Anna Kovacs', 'Bela Nagy'),
      // A display name (shared), or the signer's own login. (A bare word equal to a personal login is
      // that login, replaced whole in anyone's prose: docs/privacy.md.)
      signature: fc.constantFrom('login', 'Anna Kovacs', 'Bela Nagy'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(personArb, { minLength: 2, maxLength: 4 }), fc.nat(), async (specs, pick) => {
        const h = makePrivacyDesk();
        const people: Person[] = [];
        const logins = new Set<string>();
        const organizations = new Set<string>();
        for (const [i, spec] of specs.entries()) {
          const login = spec.business ? `${spec.username}@${spec.business}` : spec.username;
          if (logins.has(login)) continue; // a login is unique: the second registration would be refused
          logins.add(login);
          const text = `Text number ${i} of ${login}.`;
          if (spec.business === null) {
            people.push(await personal(h, spec.username, spec.displayName, text));
          } else if (organizations.has(spec.business)) {
            const [admin] = await h.storage.list('account', {
              where: { email: `boss@${spec.business}.example` },
              limit: 1,
            });
            const auth = await authFor({ ...h, accounts: h.desk.accounts } as never, admin!.id);
            const email = `${spec.username}@${spec.business}.example`;
            const user = await h.desk.accounts.createBusinessUser({
              auth,
              username: spec.username,
              email,
              permissions: [],
            });
            people.push({ accountId: user.id, email, login, text });
          } else {
            organizations.add(spec.business);
            people.push(await business(h, spec.business, spec.username, text));
          }
          await fileAs(h, people[people.length - 1]!, spec.signature === 'login' ? login : spec.signature);
        }
        if (people.length < 2) return;
        await h.desk.dispatchOutbox();
        const victim = people[pick % people.length]!;
        const others = people.filter((person) => person !== victim);
        const before = await Promise.all(others.map((person) => holdings(h, person)));

        await erase(h, victim);

        await expectGone(h, victim);
        expect(await h.storage.load('account_login', victim.login)).toBeNull();
        expect(await Promise.all(others.map((person) => holdings(h, person)))).toEqual(before);
      }),
      { numRuns: 15 },
    );
  });
});
