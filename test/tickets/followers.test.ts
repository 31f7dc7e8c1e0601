import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Permission } from '../../src/accounts/permissions.js';
import { findAccountById, writeAccount } from '../../src/accounts/store.js';
import { runCommand } from '../../src/engine/unit-of-work.js';
import { isHelpdeskError } from '../../src/errors.js';
import { createPbkdf2Hasher } from '../../src/security/index.js';
import { makeDesk } from '../helpers.js';
import { authOf } from './_callers.js';

// Followers and CC: the requester CCs colleagues of their organisation, agents follow; public
// replies reach them all, each address once, never the author; internal notes reach none.

const content = { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' };
const AGENT_MAIL: Record<string, string> = { 'agent-1': 'agent1@desk.example', 'agent-2': 'agent2@desk.example' };
const agent = { role: 'agent', id: 'agent-1' } as const;
const agent2 = { role: 'agent', id: 'agent-2' } as const;

async function world() {
  const h = makeDesk({
    passwordHasher: createPbkdf2Hasher({ iterations: 1000 }),
    sessionRevoker: { revokeSessions: () => undefined },
    tickets: { agentAddress: (t) => ('agentId' in t ? (AGENT_MAIL[t.agentId] ?? null) : null) },
  });
  const { desk } = h;
  const organization = async (slug: string, phone: string) => {
    const created = await desk.accounts.createOrganization({
      slug,
      name: `${slug} Ltd`,
      admin: { email: `boss@${slug}.example`, phone },
    });
    return { id: created.organization.id, adminAuth: await authOf(h, created.admin.id) };
  };
  const acme = await organization('acme', '06-30/555-0101');
  const other = await organization('other', '06-30/555-0201');
  const user = async (org: typeof acme, username: string, email: string, permissions: Permission[]) => {
    const view = await desk.accounts.createBusinessUser({
      auth: org.adminAuth,
      username,
      email,
      permissions,
      displayName: username[0]!.toUpperCase() + username.slice(1),
    });
    return authOf(h, view.id);
  };
  const loginOf = async (auth: Awaited<ReturnType<typeof user>>) =>
    (await desk.accounts.getAccount((auth.principal as { accountId: string }).accountId)).login;
  const filer = await user(acme, 'filer', 'filer@acme.example', ['tickets.read', 'tickets.create']);
  const colleague = await user(acme, 'bea', 'Bea@Acme.example', []);
  const outsider = await user(other, 'oscar', 'oscar@other.example', ['tickets.read', 'tickets.create']);
  const reader = await user(acme, 'rita', 'rita@acme.example', ['tickets.read']);
  const maker = await user(acme, 'max', 'max@acme.example', ['tickets.create']);
  const { ticket } = await desk.tickets.submit({ auth: filer, content });
  return { ...h, id: ticket.id, filer, colleague, outsider, reader, maker, acmeAdmin: acme.adminAuth, loginOf };
}

async function mailsTo(h: Awaited<ReturnType<typeof world>>, template?: string) {
  return (await h.desk.outbox({ limit: 10_000 }))
    .map((m) => m.payload as { to: string; template: string; text: string })
    .filter((p) => template === undefined || p.template === template);
}

async function codeOf(promise: Promise<unknown>) {
  return promise.then(
    () => 'ok',
    (e: unknown) => (isHelpdeskError(e) ? e.code : String(e)),
  );
}

describe('followers and CC', () => {
  it('a CC’d colleague gets the public reply', async () => {
    const h = await world();
    const followed = await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'bea@acme.example' });
    expect(followed.followers.map((f) => [f.kind, f.email, f.name])).toEqual([['cc', 'bea@acme.example', 'Bea']]);
    await h.desk.tickets.reply({ ticketId: h.id, auth: agent, body: 'Please power-cycle the tracker.' });
    const replies = await mailsTo(h, 'ticket.agent_reply');
    expect(replies.map((m) => m.to).sort()).toEqual(['bea@acme.example', 'filer@acme.example']);
    expect(replies.every((m) => m.text.includes('Please power-cycle the tracker.'))).toBe(true);
  });

  it('an internal note reaches no follower', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'bea@acme.example' });
    await h.desk.tickets.follow({ ticketId: h.id, auth: agent2 });
    const before = (await mailsTo(h)).length;
    await h.desk.tickets.addNote({ ticketId: h.id, auth: agent, body: 'Their SIM is suspended.' });
    const after = await mailsTo(h);
    expect(after.length).toBe(before);
    expect(after.some((m) => m.text.includes('SIM is suspended'))).toBe(false);
  });

  it('an address appears once per message, compared case-insensitively, and never the author’s', async () => {
    const h = await world();
    // Filed by the host for filer with his address in capitals; he is then CC'd by his stored
    // (lower-case) address, bea twice, and both agents follow; agent-1 then replies.
    const filerId = (h.filer.principal as { accountId: string }).accountId;
    const { ticket } = await h.desk.tickets.submit({
      requester: { id: filerId, email: 'FILER@ACME.EXAMPLE' },
      organizationId: (h.filer.principal as { organizationId: string }).organizationId,
      content,
    });
    await h.desk.tickets.follow({ ticketId: ticket.id, auth: h.filer, email: 'filer@acme.example' });
    await h.desk.tickets.follow({ ticketId: ticket.id, auth: h.filer, email: 'bea@acme.example' });
    await h.desk.tickets.follow({ ticketId: ticket.id, auth: agent, email: 'BEA@acme.example' });
    await h.desk.tickets.follow({ ticketId: ticket.id, auth: agent });
    await h.desk.tickets.follow({ ticketId: ticket.id, auth: agent2 });
    const view = await h.desk.tickets.get(ticket.id);
    expect(view.followers.map((f) => f.email).sort()).toEqual([
      'agent1@desk.example',
      'agent2@desk.example',
      'bea@acme.example',
      'filer@acme.example',
    ]);
    await h.desk.tickets.reply({ ticketId: ticket.id, auth: agent, body: 'On it.' });
    const to = (await mailsTo(h, 'ticket.agent_reply')).map((m) => m.to.toLowerCase());
    expect(to.sort()).toEqual(['agent2@desk.example', 'bea@acme.example', 'filer@acme.example']);
  });

  it('a colleague of another organisation cannot be CC’d', async () => {
    const h = await world();
    const before = await h.desk.tickets.get(h.id);
    expect(await codeOf(h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'oscar@other.example' }))).toBe(
      'PERMISSION_DENIED',
    );
    expect(await codeOf(h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'nobody@acme.example' }))).toBe(
      'PERMISSION_DENIED',
    );
    // The outsider cannot see the ticket at all, so cannot follow it either.
    expect(await codeOf(h.desk.tickets.follow({ ticketId: h.id, auth: h.outsider }))).toBe('TICKET_NOT_FOUND');
    const after = await h.desk.tickets.get(h.id);
    expect(after.version).toBe(before.version);
    expect(after.followers).toEqual([]);
  });

  it('the event feed names followers by kind and id, never by address', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'bea@acme.example' });
    await h.desk.tickets.unfollow({ ticketId: h.id, auth: h.colleague });
    const { events } = await h.desk.events.read({ limit: 1000 });
    const people = events.filter((e) => e.type.startsWith('ticket.follower_'));
    const beaId = (h.colleague.principal as { accountId: string }).accountId;
    expect(people.map((e) => [e.type, e.data])).toEqual([
      ['ticket.follower_added', { kind: 'cc', followerId: beaId }],
      ['ticket.follower_removed', { kind: 'cc', followerId: beaId }],
    ]);
    expect(JSON.stringify(people)).not.toContain('bea@acme.example');
  });

  it('a follower can unfollow himself, and gets no further reply', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'bea@acme.example' });
    const left = await h.desk.tickets.unfollow({ ticketId: h.id, auth: h.colleague });
    // Bea holds no tickets.read: leaving answers her no view, as `get` answers her nothing.
    expect(left).toBeNull();
    expect((await h.desk.tickets.get(h.id)).followers).toEqual([]);
    await h.desk.tickets.reply({ ticketId: h.id, auth: agent, body: 'Fixed?' });
    expect((await mailsTo(h, 'ticket.agent_reply')).map((m) => m.to)).toEqual(['filer@acme.example']);
  });

  it('a CC’d colleague who may not see a closed ticket learns neither its number nor its status by leaving', async () => {
    for (const sweep of [true, false]) {
      const h = await world();
      await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'bea@acme.example' });
      await h.desk.tickets.update({ ticketId: h.id, auth: agent, tags: ['vip-escalation'] });
      await h.desk.tickets.solve({ ticketId: h.id, auth: agent });
      h.clock.advance(29 * 24 * 3_600_000); // closed 28 days after the solve
      if (sweep) await h.desk.runDueTimers();
      const refusal = await h.desk.tickets.unfollow({ ticketId: h.id, auth: h.colleague }).then(
        () => null,
        (e: unknown) => e as { code: string; message: string; details?: unknown },
      );
      expect(refusal?.code).toBe('TICKET_NOT_FOUND');
      expect(JSON.stringify(refusal?.details ?? {})).not.toContain('closed');
      expect(refusal?.message).not.toMatch(/#\d|closed/);
    }
  });

  it('a CC’d colleague who may not see the ticket learns nothing of it by leaving', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'bea@acme.example' });
    await h.desk.tickets.update({ ticketId: h.id, auth: agent, tags: ['vip-escalation'] });
    expect(await codeOf(h.desk.tickets.get(h.id, { auth: h.colleague }))).toBe('TICKET_NOT_FOUND');
    expect(await h.desk.tickets.unfollow({ ticketId: h.id, auth: h.colleague })).toBeNull();
    // She may leave herself only: removing another follower takes seeing the ticket.
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'rita@acme.example' });
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'bea@acme.example' });
    expect(
      await codeOf(h.desk.tickets.unfollow({ ticketId: h.id, auth: h.colleague, email: 'rita@acme.example' })),
    ).toBe('TICKET_NOT_FOUND');
    expect((await h.desk.tickets.get(h.id)).followers.map((f) => f.email.toLowerCase()).sort()).toEqual([
      'bea@acme.example',
      'rita@acme.example',
    ]);
    expect(await h.desk.tickets.unfollow({ ticketId: h.id, auth: h.colleague, email: 'BEA@acme.example' })).toBeNull();
    // Once left, she is anyone else: leaving again is TICKET_NOT_FOUND.
    expect(await codeOf(h.desk.tickets.unfollow({ ticketId: h.id, auth: h.colleague }))).toBe('TICKET_NOT_FOUND');
    // Whoever may see the ticket is still answered its view.
    expect((await h.desk.tickets.unfollow({ ticketId: h.id, auth: h.filer, email: 'nobody@acme.example' }))?.id).toBe(
      h.id,
    );
  });

  it('a requester’s public reply reaches every follower but its author; the assignee is told once', async () => {
    const h = await world();
    await h.desk.tickets.assign({ ticketId: h.id, auth: agent, assigneeId: 'agent-1' });
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'max@acme.example' });
    await h.desk.tickets.follow({ ticketId: h.id, auth: agent2 });
    await h.desk.tickets.follow({ ticketId: h.id, auth: agent });
    const before = (await mailsTo(h)).length;
    await h.desk.tickets.reply({ ticketId: h.id, auth: h.filer, body: 'Van 7 again.' });
    const sent = (await mailsTo(h)).slice(before);
    expect(
      sent
        .filter((m) => m.template === 'ticket.agent_reply')
        .map((m) => m.to)
        .sort(),
    ).toEqual(['agent2@desk.example', 'max@acme.example']);
    expect(sent.filter((m) => m.template === 'ticket.agent_reply').every((m) => m.text.includes('Van 7 again.'))).toBe(
      true,
    );
    // The assignee (who also follows) gets the agents' notice only, the author nothing.
    expect(sent.filter((m) => m.to === 'agent1@desk.example').map((m) => m.template)).toEqual([
      'ticket.requester_replied',
    ]);
    expect(sent.filter((m) => m.to === 'filer@acme.example')).toEqual([]);
  });

  it('a CC’d colleague’s public reply reaches the requester and the other followers, not himself', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'max@acme.example' });
    await h.desk.tickets.follow({ ticketId: h.id, auth: agent2 });
    const before = (await mailsTo(h)).length;
    await h.desk.tickets.reply({ ticketId: h.id, auth: h.maker, body: 'Same on van 9.' });
    const fresh = (await mailsTo(h)).slice(before).filter((m) => m.template === 'ticket.agent_reply');
    expect(fresh.map((m) => m.to).sort()).toEqual(['agent2@desk.example', 'filer@acme.example']);
  });

  it('a following agent is mailed in the desk’s language, the requester in the ticket’s', async () => {
    const h = await world();
    const { ticket } = await h.desk.tickets.submit({
      requester: { id: 'cust-gr', email: 'cust@example.gr', locale: 'el' },
      content,
    });
    await h.desk.tickets.follow({ ticketId: ticket.id, auth: agent2 });
    const before = (await mailsTo(h)).length;
    await h.desk.tickets.reply({ ticketId: ticket.id, auth: agent, body: 'Which van?' });
    await h.desk.tickets.solve({ ticketId: ticket.id, auth: agent });
    const sent = (await h.desk.outbox({ limit: 10_000 }))
      .slice(before)
      .map((m) => m.payload as { to: string; template: string; locale: string });
    const toAgent = sent.filter((m) => m.to === 'agent2@desk.example');
    const toRequester = sent.filter((m) => m.to === 'cust@example.gr');
    expect(toAgent.length).toBeGreaterThanOrEqual(2);
    expect(toAgent.every((m) => m.locale === 'en')).toBe(true);
    expect(toRequester.length).toBeGreaterThanOrEqual(2);
    expect(toRequester.every((m) => m.locale === 'el')).toBe(true);
  });

  it('an internal note still reaches no follower', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'max@acme.example' });
    await h.desk.tickets.follow({ ticketId: h.id, auth: agent2 });
    const before = (await mailsTo(h)).length;
    await h.desk.tickets.addNote({ ticketId: h.id, auth: agent, body: 'Secret: customer is late paying.' });
    expect((await mailsTo(h)).slice(before)).toEqual([]);
  });

  it('a requester-side caller cannot remove a following agent; the agent can', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: agent2 });
    expect(await codeOf(h.desk.tickets.unfollow({ ticketId: h.id, auth: h.filer, email: 'agent2@desk.example' }))).toBe(
      'PERMISSION_DENIED',
    );
    expect((await h.desk.tickets.unfollow({ ticketId: h.id, auth: agent2 }))?.followers).toEqual([]);
  });

  it('an agent without an address cannot follow (INVALID_INPUT)', async () => {
    const h = await world();
    expect(await codeOf(h.desk.tickets.follow({ ticketId: h.id, auth: { role: 'agent', id: 'agent-9' } }))).toBe(
      'INVALID_INPUT',
    );
  });

  it('a CC’d colleague’s reply counts as the requester’s: it reopens a solved ticket', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'max@acme.example' });
    await h.desk.tickets.solve({ ticketId: h.id, auth: agent });
    // Max holds tickets.create but not tickets.read: being CC'd is what lets him answer this one.
    const reopened = await h.desk.tickets.reply({ ticketId: h.id, auth: h.maker, body: 'Still broken here.' });
    expect(reopened.status).toBe('open');
    expect(reopened.lastRequesterReplyAt).not.toBeNull();
    const messages = await h.desk.tickets.messages(h.id, { auth: agent });
    expect(messages.messages.at(-1)?.side).toBe('requester');
  });

  it('a CC’d colleague without tickets.create cannot reply', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'bea@acme.example' });
    await h.desk.tickets.solve({ ticketId: h.id, auth: agent });
    const before = await h.desk.tickets.get(h.id);
    expect(await codeOf(h.desk.tickets.reply({ ticketId: h.id, auth: h.colleague, body: 'Still broken here.' }))).toBe(
      'PERMISSION_DENIED',
    );
    const after = await h.desk.tickets.get(h.id);
    expect(after.version).toBe(before.version);
    expect(after.status).toBe('solved');
  });

  it('a read-only user who follows still cannot reply', async () => {
    const h = await world();
    // Rita may see the organisation's tickets, so she may follow one for its mail, and no more.
    const followed = await h.desk.tickets.follow({ ticketId: h.id, auth: h.reader });
    expect(followed.followers.map((f) => f.email)).toEqual(['rita@acme.example']);
    await h.desk.tickets.solve({ ticketId: h.id, auth: agent });
    const before = await h.desk.tickets.get(h.id);
    expect(await codeOf(h.desk.tickets.reply({ ticketId: h.id, auth: h.reader, body: 'Reopen please.' }))).toBe(
      'PERMISSION_DENIED',
    );
    expect((await h.desk.tickets.get(h.id)).version).toBe(before.version);
  });

  it('a read-only user cannot CC a colleague; the requester and support can', async () => {
    const h = await world();
    expect(await codeOf(h.desk.tickets.follow({ ticketId: h.id, auth: h.reader, email: 'bea@acme.example' }))).toBe(
      'PERMISSION_DENIED',
    );
    expect((await h.desk.tickets.get(h.id)).followers).toEqual([]);
    await h.desk.tickets.follow({ ticketId: h.id, auth: agent, email: 'bea@acme.example' });
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'max@acme.example' });
    const emails = (await h.desk.tickets.get(h.id)).followers.map((f) => f.email).sort();
    expect(emails).toEqual(['bea@acme.example', 'max@acme.example']);
  });

  it('a disabled colleague gets no more replies, and his reply is refused', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'max@acme.example' });
    await h.desk.accounts.setUserStatus({ auth: h.acmeAdmin, login: await h.loginOf(h.maker), status: 'disabled' });
    await h.desk.tickets.reply({ ticketId: h.id, auth: agent, body: 'Any news?' });
    expect((await mailsTo(h, 'ticket.agent_reply')).map((m) => m.to)).toEqual(['filer@acme.example']);
    expect(await codeOf(h.desk.tickets.reply({ ticketId: h.id, auth: h.maker, body: 'Here.' }))).toBe(
      'PERMISSION_DENIED',
    );
  });

  it('a colleague moved out of the organisation is not mailed, and cannot reply', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'max@acme.example' });
    const maxId = (h.maker.principal as { accountId: string }).accountId;
    const otherOrg = (h.outsider.principal as { organizationId: string }).organizationId;
    await runCommand(
      h.storage,
      () => h.clock.now(),
      async (uow) => {
        const max = (await findAccountById(uow, maxId))!.value;
        writeAccount(uow, { ...max, organizationId: otherOrg, email: 'max@other.example' });
      },
    );
    await h.desk.tickets.solve({ ticketId: h.id, auth: agent });
    expect((await mailsTo(h, 'ticket.status_solved')).map((m) => m.to)).toEqual(['filer@acme.example']);
    const moved = await authOf(h, maxId); // his login now, in the other organisation
    expect(await codeOf(h.desk.tickets.reply({ ticketId: h.id, auth: moved, body: 'Reopen.' }))).toBe(
      'TICKET_NOT_FOUND',
    );
  });

  it('a CC’d colleague is mailed at his current address', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'max@acme.example' });
    const maxId = (h.maker.principal as { accountId: string }).accountId;
    await runCommand(
      h.storage,
      () => h.clock.now(),
      async (uow) => {
        const max = (await findAccountById(uow, maxId))!.value;
        writeAccount(uow, { ...max, email: 'max.new@acme.example' });
      },
    );
    await h.desk.tickets.reply({ ticketId: h.id, auth: agent, body: 'Any news?' });
    const to = (await mailsTo(h, 'ticket.agent_reply')).map((m) => m.to).sort();
    expect(to).toEqual(['filer@acme.example', 'max.new@acme.example']);
  });

  it('someone not CC’d without tickets.create still cannot reply', async () => {
    const h = await world();
    const before = await h.desk.tickets.get(h.id);
    expect(await codeOf(h.desk.tickets.reply({ ticketId: h.id, auth: h.colleague, body: 'Hello?' }))).toBe(
      'TICKET_NOT_FOUND',
    );
    expect((await h.desk.tickets.get(h.id)).version).toBe(before.version);
  });

  it('a personal account’s ticket takes no CC (no organisation to be colleagues in)', async () => {
    const h = await world();
    const { ticket } = await h.desk.tickets.submit({
      requester: { id: 'cust-1', email: 'cust@example.test' },
      content,
    });
    expect(await codeOf(h.desk.tickets.follow({ ticketId: ticket.id, auth: agent, email: 'bea@acme.example' }))).toBe(
      'PERMISSION_DENIED',
    );
  });
});

type Step =
  | { kind: 'note' }
  | { kind: 'reply'; askForInfo: boolean }
  | { kind: 'follow'; who: 'bea' | 'agent-2' }
  | { kind: 'unfollow'; who: 'bea' | 'agent-2' }
  | { kind: 'status'; command: 'hold' | 'resume' | 'solve' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'note' as const }), weight: 3 },
  fc.record({ kind: fc.constant('reply' as const), askForInfo: fc.boolean() }),
  fc.record({ kind: fc.constant('follow' as const), who: fc.constantFrom('bea' as const, 'agent-2' as const) }),
  fc.record({ kind: fc.constant('unfollow' as const), who: fc.constantFrom('bea' as const, 'agent-2' as const) }),
  fc.record({
    kind: fc.constant('status' as const),
    command: fc.constantFrom('hold' as const, 'resume' as const, 'solve' as const),
  }),
);

describe('followers and privacy', () => {
  it('an erased colleague leaves no address on the ticket and gets no further mail', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'bea@acme.example' });
    const beaId = (h.colleague.principal as { accountId: string }).accountId;
    await h.desk.privacy.erase({
      subject: { accountId: beaId },
      actor: { role: 'agent', id: 'dpo-1' },
      reason: 'request',
    });
    const view = await h.desk.tickets.get(h.id);
    expect(JSON.stringify(view.followers)).not.toMatch(/bea@acme\.example|Bea/);
    const sentBefore = (await mailsTo(h)).length;
    await h.desk.tickets.reply({ ticketId: h.id, auth: agent, body: 'Update.' });
    const sent = (await mailsTo(h)).slice(sentBefore);
    expect(sent.map((m) => m.to)).toEqual(['filer@acme.example']);
  });
});

describe('followers property', () => {
  it('followers never receive an internal note, whatever the order of follows, notes, replies and status changes', async () => {
    const h = await world();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 15 }), async (steps) => {
        const { ticket } = await h.desk.tickets.submit({ auth: h.filer, content });
        let n = 0;
        for (const s of steps) {
          n++;
          const ticketId = ticket.id;
          const attempt = async (call: () => Promise<unknown>) => call().catch(() => undefined); // refusals are fine
          if (s.kind === 'note')
            await attempt(() => h.desk.tickets.addNote({ ticketId, auth: agent, body: `SECRET-NOTE-${n}` }));
          else if (s.kind === 'reply')
            await attempt(() =>
              h.desk.tickets.reply({ ticketId, auth: agent, body: `public ${n}`, askForInfo: s.askForInfo }),
            );
          else if (s.kind === 'follow')
            await attempt(() =>
              s.who === 'bea'
                ? h.desk.tickets.follow({ ticketId, auth: h.filer, email: 'bea@acme.example' })
                : h.desk.tickets.follow({ ticketId, auth: agent2 }),
            );
          else if (s.kind === 'unfollow')
            await attempt(() => h.desk.tickets.unfollow({ ticketId, auth: s.who === 'bea' ? h.colleague : agent2 }));
          else await attempt(() => h.desk.tickets[s.command]({ ticketId, auth: agent }));
        }
        const leaked = (await mailsTo(h)).filter((m) => m.text.includes('SECRET-NOTE-'));
        expect(leaked).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});

describe('followers and personal data', () => {
  it('a privacy export of a CC’d colleague lists the ticket he follows', async () => {
    const h = await world();
    await h.desk.tickets.follow({ ticketId: h.id, auth: h.filer, email: 'bea@acme.example' });
    const beaId = (h.colleague.principal as { accountId: string }).accountId;
    const found: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.desk.privacy.export({ subject: { accountId: beaId }, ...(cursor ? { cursor } : {}) });
      found.push(...page.records.map((r) => `${r.kind}:${r.id}`));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(found).toContain(`ticket:${h.id}`);
  });
});
