import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../../src/accounts/principal.js';
import type { Permission } from '../../src/accounts/permissions.js';
import { isHelpdeskError } from '../../src/errors.js';
import { createPbkdf2Hasher } from '../../src/security/index.js';
import { makeDesk } from '../helpers.js';
import { authOf, personalAuth } from './_callers.js';

// Who may follow and CC (docs/tickets.md, the access table): being the requester of a ticket an
// agent filed for you grants no more than your permissions do. A business user without a ticket
// permission may neither follow nor CC; with tickets.read only he may follow himself (mail only);
// CC-ing colleagues takes tickets.create. A refusal changes nothing.

const content = { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' };
const agent = { role: 'agent', id: 'agent-1' } as const;

async function world() {
  const h = makeDesk({
    passwordHasher: createPbkdf2Hasher({ iterations: 1000 }),
    sessionRevoker: { revokeSessions: () => undefined },
    tickets: { agentAddress: (t) => ('agentId' in t ? `${t.agentId}@desk.example` : null) },
  });
  const created = await h.desk.accounts.createOrganization({
    slug: 'acme',
    name: 'Acme Ltd',
    admin: { email: 'boss@acme.example', phone: '06-30/555-0101' },
  });
  const admin = await authOf(h, created.admin.id);
  const orgId = created.organization.id;
  const user = async (username: string, permissions: Permission[]) => {
    const view = await h.desk.accounts.createBusinessUser({
      auth: admin,
      username,
      email: `${username}@acme.example`,
      permissions,
    });
    return authOf(h, view.id);
  };
  await user('bea', ['tickets.create']); // the colleague to CC
  /** A ticket an agent files for `auth`'s account, in its organisation. */
  const filedFor = async (auth: AuthContext) => {
    const principal = auth.principal as { accountId: string };
    const account = await h.desk.accounts.getAccount(principal.accountId);
    const { ticket } = await h.desk.tickets.submit({
      auth: agent,
      requester: { id: principal.accountId, email: account.email ?? '' },
      organizationId: orgId,
      content,
    });
    return ticket.id;
  };
  return { ...h, user, filedFor };
}

async function codeOf(promise: Promise<unknown>) {
  return promise.then(
    () => 'ok',
    (e: unknown) => (isHelpdeskError(e) ? e.code : String(e)),
  );
}

describe('follow rights of a requester', () => {
  it('a business user without a ticket permission cannot follow or CC colleagues, even on a ticket they requested', async () => {
    const h = await world();
    const nobody = await h.user('nobody', []);
    const id = await h.filedFor(nobody);
    const before = await h.desk.tickets.get(id, { auth: agent });
    expect(await codeOf(h.desk.tickets.follow({ ticketId: id, auth: nobody }))).toBe('PERMISSION_DENIED');
    expect(await codeOf(h.desk.tickets.follow({ ticketId: id, auth: nobody, email: 'bea@acme.example' }))).toBe(
      'PERMISSION_DENIED',
    );
    const after = await h.desk.tickets.get(id, { auth: agent });
    expect(after.version).toBe(before.version);
    expect(after.followers).toEqual([]);
  });

  it('a business user without a ticket permission cannot remove a CC from a ticket they requested', async () => {
    const h = await world();
    const nobody = await h.user('nobody', []);
    const id = await h.filedFor(nobody);
    await h.desk.tickets.follow({ ticketId: id, auth: agent, email: 'bea@acme.example' });
    const before = await h.desk.tickets.get(id, { auth: agent });
    expect(await codeOf(h.desk.tickets.unfollow({ ticketId: id, auth: nobody, email: 'bea@acme.example' }))).toBe(
      'PERMISSION_DENIED',
    );
    const after = await h.desk.tickets.get(id, { auth: agent });
    expect(after.version).toBe(before.version);
    expect(after.followers.map((f) => f.email)).toEqual(['bea@acme.example']);
  });

  it('a business user with only tickets.read may follow a ticket they requested, but cannot CC colleagues on it', async () => {
    const h = await world();
    const reader = await h.user('rita', ['tickets.read']);
    const id = await h.filedFor(reader);
    const followed = await h.desk.tickets.follow({ ticketId: id, auth: reader });
    expect(followed.followers.map((f) => f.email)).toEqual(['rita@acme.example']);
    expect(await codeOf(h.desk.tickets.follow({ ticketId: id, auth: reader, email: 'bea@acme.example' }))).toBe(
      'PERMISSION_DENIED',
    );
    const after = await h.desk.tickets.get(id, { auth: agent });
    expect(after.version).toBe(followed.version);
    expect(after.followers.map((f) => f.email)).toEqual(['rita@acme.example']);
  });

  it('a business user with tickets.create who requested the ticket CCs colleagues of its organisation', async () => {
    const h = await world();
    const maker = await h.user('max', ['tickets.create']);
    const id = await h.filedFor(maker);
    const followed = await h.desk.tickets.follow({ ticketId: id, auth: maker, email: 'bea@acme.example' });
    expect(followed.followers.map((f) => [f.kind, f.email])).toEqual([['cc', 'bea@acme.example']]);
    expect((await h.desk.tickets.follow({ ticketId: id, auth: maker })).followers.length).toBe(2);
  });

  it('a personal account follows its own ticket; its ticket takes no CC', async () => {
    const h = await world();
    const alice = await personalAuth(h, 'alice');
    const { ticket } = await h.desk.tickets.submit({ auth: alice, content });
    const followed = await h.desk.tickets.follow({ ticketId: ticket.id, auth: alice });
    expect(followed.followers.map((f) => f.email)).toEqual(['alice@example.test']);
    expect(await codeOf(h.desk.tickets.follow({ ticketId: ticket.id, auth: alice, email: 'bea@acme.example' }))).toBe(
      'PERMISSION_DENIED',
    );
    expect((await h.desk.tickets.get(ticket.id, { auth: agent })).version).toBe(followed.version);
    const left = await h.desk.tickets.unfollow({ ticketId: ticket.id, auth: alice });
    expect(left?.followers).toEqual([]);
  });
});
