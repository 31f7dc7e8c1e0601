import { describe, expect, it } from 'vitest';
import {
  agentCaseView,
  agentTicketView,
  browserLoginFlowView,
  requesterCaseView,
  requesterTicketView,
} from '../../src/http/index.js';
import type { LoginFlowView } from '../../src/login/index.js';
import { agent, makeDesk, ticketInput } from '../helpers.js';
import { makeLoginDesk, makePersonal, toPassword } from '../login/_harness.js';
import { agentA, evidence, makeAlice, makeRecoveryDesk, openInput } from '../recovery/_harness.js';

const sorted = (value: object) => Object.keys(value).sort();

async function assignedTicket() {
  const { desk } = makeDesk();
  const { ticket } = await desk.tickets.submit(ticketInput());
  await desk.tickets.assign({ ticketId: ticket.id, actor: agent, assigneeId: 'agent-7' });
  return desk.tickets.get(ticket.id);
}

describe('the requester view of a ticket', () => {
  it('has exactly the listed fields: no SLA clocks, assignee id, version or internal timings', async () => {
    const view = requesterTicketView(await assignedTicket());
    expect(sorted(view)).toEqual(
      [
        'id',
        'number',
        'title',
        'status',
        'priority',
        'content',
        'requesterEmail',
        'assigned',
        'merged',
        'replyCount',
        'createdAt',
        'updatedAt',
        'autoResolveAt',
        'solvedAt',
        'solvedReason',
        'closedAt',
        'cc',
        'rated',
      ].sort(),
    );
    expect(view.assigned).toBe(true);
    expect(view.merged).toBe(false);
    expect(JSON.stringify(view)).not.toContain('agent-7');
  });

  it('lists CC’d colleagues but never an agent following the ticket', async () => {
    const { desk } = makeDesk({ tickets: { agentAddress: () => 'anna.private@desk.example' } });
    const { ticket } = await desk.tickets.submit(ticketInput());
    const followed = await desk.tickets.follow({ ticketId: ticket.id, auth: { role: 'agent', id: 'anna' } });
    expect(agentTicketView(followed).followers).toMatchObject([{ kind: 'agent', id: 'anna' }]);
    const view = requesterTicketView(followed);
    expect(view.cc).toEqual([]);
    expect(JSON.stringify(view)).not.toContain('anna');
  });

  it('says unassigned without naming anyone', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput());
    expect(requesterTicketView(ticket).assigned).toBe(false);
  });

  it('does not change when the domain view gains a field (no spread of the domain view)', async () => {
    const ticket = await assignedTicket();
    const grown = { ...ticket, internalScore: 42, metrics: ticket.metrics };
    expect(sorted(requesterTicketView(grown))).toEqual(sorted(requesterTicketView(ticket)));
    expect(sorted(agentTicketView(grown))).toEqual(sorted(agentTicketView(ticket)));
  });
});

describe('the agent view of a ticket', () => {
  it('has exactly the listed fields, SLA clocks reduced to due, warn, paused, breached and met', async () => {
    const view = agentTicketView(await assignedTicket());
    expect(sorted(view)).toEqual(
      [
        'id',
        'number',
        'title',
        'status',
        'version',
        'priority',
        'channel',
        'content',
        'requesterId',
        'requesterEmail',
        'locale',
        'organizationId',
        'assigneeId',
        'createdAt',
        'updatedAt',
        'lastAgentReplyAt',
        'lastRequesterReplyAt',
        'autoResolveAt',
        'reminderAt',
        'closeAt',
        'solvedAt',
        'solvedReason',
        'closedAt',
        'mergedInto',
        'mergedFrom',
        'followUpOf',
        'followUps',
        'replyCount',
        'sla',
        'statusSince',
        'firstReplyTime',
        'metrics',
        'groupId',
        'tags',
        'fields',
        'followers',
        'satisfaction',
      ].sort(),
    );
    expect(view.assigneeId).toBe('agent-7');
    expect(sorted(view.sla)).toEqual(['breaches', 'firstResponse', 'nextResponse', 'resolution']);
    for (const clock of [view.sla.firstResponse, view.sla.nextResponse, view.sla.resolution]) {
      if (clock) expect(sorted(clock)).toEqual(['breachedAt', 'dueAt', 'fulfilledAt', 'paused', 'warnAt']);
    }
    expect(sorted(view.metrics)).toEqual(['agentWorkTime', 'firstReplyTime', 'requesterWaitTime']);
  });

  it('is plain JSON: it survives JSON.stringify with the metrics', async () => {
    const view = agentTicketView(await assignedTicket());
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});

describe('the browser view of a login flow', () => {
  it('has state, attempts, resend time, masked phone and error; never the result, auth or flow id', async () => {
    const h = makeLoginDesk();
    const alice = await makePersonal(h, { phone: '+36305550111' });
    await h.desk.accounts.activate({ token: alice.token });
    const view = browserLoginFlowView(await toPassword(h, alice.username, alice.password));
    expect(sorted(view)).toEqual(['attemptsLeft', 'error', 'maskedPhone', 'resendAvailableAt', 'state']);
    expect(view.state).toBe('awaiting_code');
    expect(view.maskedPhone).toMatch(/\*/);
  });

  it('drops the result of a completed login (the auth context stays on the server)', () => {
    const completed = {
      flowId: 'flow_1',
      state: 'authenticated',
      attemptsLeft: null,
      resendAvailableAt: null,
      resendsLeft: null,
      maskedPhone: null,
      expiresAt: 0,
      error: null,
      result: { auth: { principal: { type: 'account', accountId: 'acc_1' } } },
    } as unknown as LoginFlowView;
    const view = browserLoginFlowView(completed);
    expect(JSON.stringify(view)).not.toMatch(/"auth"|"result"|acc_1|flow_1/);
  });

  it('keeps retryAfter and reason of an error, and nothing else', () => {
    const locked = {
      state: 'locked',
      attemptsLeft: null,
      resendAvailableAt: null,
      maskedPhone: null,
      error: { code: 'locked', retryAfter: 123, internal: 'x' },
    } as unknown as LoginFlowView;
    expect(browserLoginFlowView(locked).error).toEqual({ code: 'locked', retryAfter: 123 });
  });
});

describe('the views of a recovery case', () => {
  async function openedCase() {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const opened = await h.desk.recovery.open(openInput());
    await h.desk.recovery.addEvidence({
      caseId: opened.caseId,
      actor: { role: 'requester', ticketId: opened.ticketId },
      evidence,
    });
    await h.desk.recovery.review({ caseId: opened.caseId, actor: agentA, outcome: 'accept' });
    return { h, caseId: opened.caseId, ticketId: opened.ticketId };
  }

  it('the requester view has exactly the requester-safe fields', async () => {
    const { h, caseId, ticketId } = await openedCase();
    const view = requesterCaseView(await h.desk.recovery.getForRequester({ caseId, ticketId }));
    expect(sorted(view)).toEqual(
      [
        'id',
        'status',
        'ticketId',
        'ticketNumber',
        'lostFactor',
        'openedAt',
        'evidenceDueAt',
        'evidenceCount',
        'waitingEndsAt',
        'endedAt',
      ].sort(),
    );
    expect(view.evidenceCount).toBe(1);
  });

  it('the agent view lists its fields and carries no hash', async () => {
    const { h, caseId } = await openedCase();
    const view = agentCaseView(await h.desk.recovery.get(caseId));
    expect(sorted(view)).toEqual(
      [
        'id',
        'status',
        'ticketId',
        'ticketNumber',
        'channel',
        'lostFactor',
        'login',
        'accountId',
        'accountFound',
        'accountIsMainAdmin',
        'agentsRequired',
        'requesterEmail',
        'requesterName',
        'locale',
        'openedAt',
        'updatedAt',
        'evidenceDueAt',
        'evidence',
        'review',
        'approval',
        'waitingEndsAt',
        'endedAt',
        'rejectReason',
        'cancelledBy',
        'sessions',
        'version',
      ].sort(),
    );
    expect(sorted(view.evidence[0]!)).toEqual(['addedAt', 'addedBy', 'attachments', 'description', 'id', 'kind']);
    expect(JSON.stringify(view)).not.toMatch(/[Hh]ash/);
  });
});
