import { describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from '../../src/messages/locales.js';
import type { HelpdeskPolicy } from '../../src/helpdesk.js';
import { makeDesk, ticketInput } from '../helpers.js';
import { makeAccountDesk, personalAuth } from './_callers.js';

// Status notices: the requester and followers hear when an agent solves, holds or resumes a ticket
// and when a reply reopens it; the assignee (else the group) hears of requester-side replies.

const agent = { role: 'agent', id: 'agent-1' } as const;
const ADDRESSES: Record<string, string> = {
  'agent-1': 'agent1@desk.example',
  'agent-2': 'agent2@desk.example',
};

function desk(policy: HelpdeskPolicy = {}, groupMail: string | null = null) {
  return makeDesk({
    policy,
    tickets: {
      agentAddress: (t) => ('agentId' in t ? (ADDRESSES[t.agentId] ?? null) : t.groupId === 'fleet' ? groupMail : null),
    },
  });
}

async function filed(h: ReturnType<typeof desk>, locale: Locale = 'en') {
  const { ticket } = await h.desk.tickets.submit({
    requester: { id: 'cust-1', email: 'cust@example.test', locale },
    content: { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' },
  });
  return ticket.id;
}

async function mails(h: ReturnType<typeof desk>, template?: string) {
  return (await h.desk.outbox({ limit: 10_000 }))
    .map((m) => m.payload as { to: string; template: string; subject: string; text: string })
    .filter((p) => template === undefined || p.template === template);
}

describe('status notices', () => {
  it('tells the requester and followers when an agent holds, resumes and solves, and when a reply reopens', async () => {
    const h = desk();
    const id = await filed(h);
    await h.desk.tickets.follow({ ticketId: id, auth: { role: 'agent', id: 'agent-2' } });
    await h.desk.tickets.hold({ ticketId: id, auth: agent });
    await h.desk.tickets.resume({ ticketId: id, auth: agent });
    await h.desk.tickets.solve({ ticketId: id, auth: agent });
    await h.desk.tickets.reply({ ticketId: id, author: { role: 'requester', id: 'cust-1' }, body: 'Broken again.' });
    const notices = (await mails(h)).filter((m) => m.template.startsWith('ticket.status_'));
    expect(notices.map((m) => [m.template, m.to])).toEqual([
      ['ticket.status_on_hold', 'cust@example.test'],
      ['ticket.status_on_hold', 'agent2@desk.example'],
      ['ticket.status_resumed', 'cust@example.test'],
      ['ticket.status_resumed', 'agent2@desk.example'],
      ['ticket.status_solved', 'cust@example.test'],
      ['ticket.status_solved', 'agent2@desk.example'],
      ['ticket.status_reopened', 'cust@example.test'],
      ['ticket.status_reopened', 'agent2@desk.example'],
    ]);
    for (const notice of notices) expect(notice.subject).toContain(`[#`);
  });

  it('sends no notice to the agent who made the change, and none for an automatic solve', async () => {
    const h = desk();
    const id = await filed(h);
    await h.desk.tickets.follow({ ticketId: id, auth: agent });
    await h.desk.tickets.solve({ ticketId: id, auth: agent });
    expect((await mails(h, 'ticket.status_solved')).map((m) => m.to)).toEqual(['cust@example.test']);

    const other = await filed(h);
    await h.desk.tickets.reply({ ticketId: other, auth: agent, body: 'Which van?', askForInfo: true });
    h.clock.advance(73 * 3_600_000);
    await h.desk.runDueTimers();
    expect((await h.desk.tickets.get(other)).status).toBe('solved');
    expect((await mails(h, 'ticket.status_solved')).length).toBe(1);
    expect((await mails(h, 'ticket.auto_solved')).length).toBe(1);
  });

  it('greets by name in every locale (the address’s local part when the requester has no account)', async () => {
    for (const locale of LOCALES) {
      const h = desk();
      const id = await filed(h, locale);
      await h.desk.tickets.hold({ ticketId: id, auth: agent });
      const [notice] = await mails(h, 'ticket.status_on_hold');
      expect(notice?.text, locale).toMatch(/cust/);
      expect(notice?.subject, locale).toContain('[#10001]');
    }
  });

  it('greets a requester without an account by the name given at submit, in status mails, the survey and a follow-up', async () => {
    const h = makeDesk({
      policy: { tickets: { survey: { enabled: true } } },
      publicBaseUrl: 'https://help.example.com',
      secrets: { pepper: 'test-pepper-of-at-least-32-bytes!' },
    });
    const { ticket } = await h.desk.tickets.submit({
      requester: { id: 'cust-1', email: 'j.devries@example.test', name: 'Jan de Vries', locale: 'nl' },
      content: { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' },
    });
    await h.desk.tickets.solve({ ticketId: ticket.id, auth: agent });
    h.clock.advance(24 * 3_600_000);
    await h.desk.runDueTimers();
    h.clock.advance(28 * 24 * 3_600_000);
    await h.desk.runDueTimers();
    const followUp = await h.desk.tickets.reply({
      ticketId: ticket.id,
      author: { role: 'requester', id: 'cust-1' },
      body: 'Again.',
    });
    expect(followUp.id).not.toBe(ticket.id);
    await h.desk.tickets.hold({ ticketId: followUp.id, auth: agent });
    const texts = (await h.desk.outbox({ limit: 1000 }))
      .map((m) => m.payload as { template: string; text: string })
      .filter((p) => ['ticket.status_solved', 'ticket.survey', 'ticket.status_on_hold'].includes(p.template));
    expect(texts.map((p) => p.template).sort()).toEqual([
      'ticket.status_on_hold',
      'ticket.status_solved',
      'ticket.survey',
    ]);
    for (const p of texts) {
      expect(p.text, p.template).toContain('Jan de Vries');
      expect(p.text, p.template).not.toMatch(/j\.devries,/);
    }
  });

  it('greets a logged-in requester by the account’s display name', async () => {
    const h = makeAccountDesk();
    const alice = await personalAuth(h, 'alice');
    const { ticket } = await h.desk.tickets.submit({ auth: alice, content: ticketInput().content });
    await h.desk.tickets.solve({ ticketId: ticket.id, auth: agent });
    const solved = (await h.desk.outbox({ limit: 1000 }))
      .map((m) => m.payload as { template: string; text: string })
      .find((p) => p.template === 'ticket.status_solved');
    expect(solved?.text.startsWith('Hello alice,\n')).toBe(true);
  });

  it('each notice can be switched off in policy.tickets.notices; the others stay on', async () => {
    const h = desk({ tickets: { notices: { onHold: false, reopened: false } } });
    const id = await filed(h);
    await h.desk.tickets.hold({ ticketId: id, auth: agent });
    await h.desk.tickets.resume({ ticketId: id, auth: agent });
    await h.desk.tickets.solve({ ticketId: id, auth: agent });
    await h.desk.tickets.reply({ ticketId: id, author: { role: 'requester', id: 'cust-1' }, body: 'Broken again.' });
    expect((await mails(h)).filter((m) => m.template.startsWith('ticket.status_')).map((m) => m.template)).toEqual([
      'ticket.status_resumed',
      'ticket.status_solved',
    ]);
  });

  it('refuses a notice switch that is not a boolean (INVALID_INPUT at createHelpdesk)', () => {
    expect(() => desk({ tickets: { notices: { solved: 'yes' as never } } })).toThrow(/notices/);
  });
});

describe('agent notices', () => {
  it('tells the assignee when the requester replies, and words a reopen as such', async () => {
    const h = desk();
    const id = await filed(h);
    await h.desk.tickets.assign({ ticketId: id, auth: agent, assigneeId: 'agent-2' });
    await h.desk.tickets.reply({ ticketId: id, author: { role: 'requester', id: 'cust-1' }, body: 'More detail.' });
    await h.desk.tickets.solve({ ticketId: id, auth: agent });
    await h.desk.tickets.reply({ ticketId: id, author: { role: 'requester', id: 'cust-1' }, body: 'Not fixed.' });
    const toAgents = (await mails(h)).filter((m) => m.template.startsWith('ticket.requester_'));
    expect(toAgents.map((m) => [m.template, m.to])).toEqual([
      ['ticket.requester_replied', 'agent2@desk.example'],
      ['ticket.requester_reopened', 'agent2@desk.example'],
    ]);
    expect(toAgents[1]?.text).toContain('Not fixed.');
  });

  it('an assignee who follows gets only the agents’ notice of a reopening reply, once; other followers the status notice', async () => {
    const h = desk();
    const id = await filed(h);
    await h.desk.tickets.assign({ ticketId: id, auth: agent, assigneeId: 'agent-2' });
    await h.desk.tickets.follow({ ticketId: id, auth: { role: 'agent', id: 'agent-2' } });
    await h.desk.tickets.follow({ ticketId: id, auth: agent });
    await h.desk.tickets.solve({ ticketId: id, auth: agent });
    const before = (await mails(h)).length;
    await h.desk.tickets.reply({ ticketId: id, author: { role: 'requester', id: 'cust-1' }, body: 'Not fixed.' });
    const sent = (await mails(h)).slice(before);
    expect(sent.filter((m) => m.to === 'agent2@desk.example').map((m) => m.template)).toEqual([
      'ticket.requester_reopened',
    ]);
    expect(sent.filter((m) => m.to === 'agent1@desk.example').map((m) => m.template)).toEqual([
      'ticket.agent_reply',
      'ticket.status_reopened',
    ]);
  });

  it('an assignee who follows hears once of a solve, hold or resume by another agent', async () => {
    const h = desk();
    const id = await filed(h);
    await h.desk.tickets.assign({ ticketId: id, auth: agent, assigneeId: 'agent-2' });
    await h.desk.tickets.follow({ ticketId: id, auth: { role: 'agent', id: 'agent-2' } });
    const before = (await mails(h)).length;
    await h.desk.tickets.hold({ ticketId: id, auth: agent });
    await h.desk.tickets.resume({ ticketId: id, auth: agent });
    await h.desk.tickets.solve({ ticketId: id, auth: agent });
    const sent = (await mails(h)).slice(before);
    expect(sent.filter((m) => m.to === 'agent2@desk.example').map((m) => m.template)).toEqual([
      'ticket.status_on_hold',
      'ticket.status_resumed',
      'ticket.status_solved',
    ]);
    expect(sent.filter((m) => m.to === 'agent1@desk.example')).toEqual([]);
  });

  it('sends nothing without an assignee address, and nothing for an agent reply', async () => {
    const h = desk();
    const id = await filed(h);
    await h.desk.tickets.reply({ ticketId: id, auth: agent, body: 'Looking.' });
    await h.desk.tickets.reply({ ticketId: id, author: { role: 'requester', id: 'cust-1' }, body: 'Thanks.' });
    await h.desk.tickets.assign({ ticketId: id, auth: agent, assigneeId: 'agent-9' }); // no address
    await h.desk.tickets.reply({ ticketId: id, author: { role: 'requester', id: 'cust-1' }, body: 'Any news?' });
    expect((await mails(h)).filter((m) => m.template.startsWith('ticket.requester_'))).toEqual([]);
  });
});
