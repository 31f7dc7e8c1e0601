import { describe, expect, it } from 'vitest';
import { resultOf, toPassword } from '../login/_harness.js';
import {
  ACME_ADMIN_PHONE,
  ALICE_PHONE,
  DAY,
  HOUR,
  NEW_PHONE,
  SECOND,
  agentA,
  agentB,
  approvedCase,
  cancelTokenFor,
  errorCode,
  evidence,
  lastSmsCode,
  loginCodeTo,
  makeAcmeAdmin,
  makeAlice,
  makeRecoveryDesk,
  openInput,
  outboxTo,
  recoveredCase,
} from './_harness.js';

describe('opening a case', () => {
  it('files the case under a new helpdesk ticket and mails the requester the ticket number', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const opened = await h.desk.recovery.open(openInput());
    const ticket = await h.desk.tickets.get(opened.ticketId);
    expect(ticket.channel).toBe('web');
    expect(ticket.requesterEmail).toBe('alice.private@example.net');
    expect(opened).toMatchObject({ status: 'awaiting_evidence', ticketNumber: ticket.number, created: true });
    const mails = await outboxTo(h, 'alice.private@example.net');
    expect(mails.map((m) => m.template)).toContain('recovery.requested');
    expect(mails.find((m) => m.template === 'recovery.requested')?.subject).toContain(`[#${ticket.number}]`);
    expect((await h.desk.recovery.list({ ticketId: ticket.id })).cases.map((c) => c.id)).toEqual([opened.caseId]);
  });

  it('links an existing ticket, and takes the sales and contact-form channels', async () => {
    const h = makeRecoveryDesk({ policy: { recovery: { maxOpenCasesPerAccount: 3 } } });
    await makeAlice(h);
    const { ticket } = await h.desk.tickets.submit({
      requester: { id: 'cust-9', email: 'alice.private@example.net' },
      content: { organization: 'Alice', subject: 'Lost my phone', description: 'Cannot log in.' },
    });
    const linked = await h.desk.recovery.open({ login: 'alice', lostFactor: 'phone', ticketId: ticket.id });
    expect(linked.ticketId).toBe(ticket.id);

    const viaSales = await h.desk.recovery.open(
      openInput({ channel: 'sales', filedBy: { role: 'agent', id: 'sales-sam' } }),
    );
    expect((await h.desk.tickets.get(viaSales.ticketId)).channel).toBe('sales');
    expect((await h.desk.recovery.history(viaSales.caseId))[0]?.actor).toEqual({ role: 'agent', id: 'sales-sam' });
    expect(await errorCode(() => h.desk.recovery.open(openInput({ channel: 'sales' })))).toBe('INVALID_INPUT');

    const viaForm = await h.desk.recovery.open(openInput({ channel: 'contact_form' }));
    expect((await h.desk.tickets.get(viaForm.ticketId)).channel).toBe('contact_form');
  });

  it("notifies every address on record of the account (email and SMS), not only the requester's contact", async () => {
    const h = makeRecoveryDesk();
    const alice = await makeAlice(h);
    await h.desk.recovery.open(openInput());
    const mail = (await outboxTo(h, alice.email)).filter((m) => m.template === 'recovery.opened');
    const sms = (await outboxTo(h, ALICE_PHONE)).filter((m) => m.template === 'recovery.sms_opened');
    expect(mail).toHaveLength(1);
    expect(sms).toHaveLength(1);
    expect(mail[0]!.text).toContain('/recovery/cancel?case=');
    expect(sms[0]!.text).toContain('/recovery/cancel?case=');
  });

  it('answers an unknown login exactly like a known one, and tells agents the difference', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const known = await h.desk.recovery.open(openInput());
    const unknown = await h.desk.recovery.open(openInput({ login: 'nobody' }));
    const shape = (o: object) => Object.entries(o).map(([k, v]) => [k, typeof v]);
    expect(shape(unknown)).toEqual(shape(known));
    expect(unknown.status).toBe(known.status);
    expect(unknown.evidenceDueAt - h.clock.now()).toBe(known.evidenceDueAt - h.clock.now());
    // The requester sees the same view and the same kind of mail.
    const requesterKeys = (v: object) => Object.keys(v).sort();
    const knownView = await h.desk.recovery.getForRequester({ caseId: known.caseId, ticketId: known.ticketId });
    const unknownView = await h.desk.recovery.getForRequester({ caseId: unknown.caseId, ticketId: unknown.ticketId });
    expect(requesterKeys(unknownView)).toEqual(requesterKeys(knownView));
    expect({ ...unknownView, id: '', ticketId: '', ticketNumber: 0 }).toEqual({
      ...knownView,
      id: '',
      ticketId: '',
      ticketNumber: 0,
    });
    const templates = (await outboxTo(h, 'alice.private@example.net')).map((m) => m.template);
    expect(templates.filter((t) => t === 'recovery.requested')).toHaveLength(2);
    // Agents see it: nothing to approve.
    expect((await h.desk.recovery.get(unknown.caseId)).accountFound).toBe(false);
    const requester = { role: 'requester', ticketId: unknown.ticketId } as const;
    await h.desk.recovery.addEvidence({ caseId: unknown.caseId, actor: requester, evidence });
    await h.desk.recovery.review({ caseId: unknown.caseId, actor: agentA, outcome: 'accept' });
    await expect(h.desk.recovery.approve({ caseId: unknown.caseId, actor: agentA })).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { reason: 'account_not_found' },
    });
  });
});

describe('evidence and expiry', () => {
  it('expires a case without evidence at 14 days, not at 14 days − 1 s; a second sweep is a no-op', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const opened = await h.desk.recovery.open(openInput());
    h.clock.advance(14 * DAY - SECOND);
    await h.desk.runDueTimers();
    expect((await h.desk.recovery.get(opened.caseId)).status).toBe('awaiting_evidence');
    h.clock.advance(SECOND);
    const { fired } = await h.desk.runDueTimers();
    expect(fired.filter((f) => f.kind === 'recovery_case')).toEqual([
      { kind: 'recovery_case', id: opened.caseId, event: 'timer.expireEvidence', dueAt: opened.evidenceDueAt },
    ]);
    expect((await h.desk.recovery.get(opened.caseId)).status).toBe('expired');
    expect((await h.desk.runDueTimers()).fired.filter((f) => f.kind === 'recovery_case')).toEqual([]);
    expect((await h.desk.recovery.history(opened.caseId)).map((e) => e.type)).toEqual([
      'recovery.opened',
      'recovery.expired',
    ]);
  });

  it('stops the expiry once evidence arrives; asking for more starts another 14 days', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const opened = await h.desk.recovery.open(openInput());
    const requester = { role: 'requester', ticketId: opened.ticketId } as const;
    h.clock.advance(13 * DAY);
    const reviewed = await h.desk.recovery.addEvidence({ caseId: opened.caseId, actor: requester, evidence });
    expect(reviewed).toMatchObject({ status: 'under_review', evidenceDueAt: null });
    h.clock.advance(2 * DAY);
    await h.desk.runDueTimers();
    expect((await h.desk.recovery.get(opened.caseId)).status).toBe('under_review');
    const asked = await h.desk.recovery.review({ caseId: opened.caseId, actor: agentA, outcome: 'request_more' });
    expect(asked).toMatchObject({ status: 'awaiting_evidence', evidenceDueAt: h.clock.now() + 14 * DAY });
    h.clock.advance(14 * DAY);
    await h.desk.runDueTimers();
    expect((await h.desk.recovery.get(opened.caseId)).status).toBe('expired');
  });
});

describe('approval, waiting period and completion', () => {
  it('completes 24 h after approval, not at 24 h − 1 s: phone removed, enrolment required, sessions revoked', async () => {
    const revoked: Array<[string, string]> = [];
    const h = makeRecoveryDesk({ sessionRevoker: { revokeSessions: (id, reason) => void revoked.push([id, reason]) } });
    const alice = await makeAlice(h);
    const opened = await approvedCase(h);
    const approved = await h.desk.recovery.get(opened.caseId);
    expect(approved).toMatchObject({ status: 'approved', waitingEndsAt: h.clock.now() + 24 * HOUR });

    h.clock.advance(24 * HOUR - SECOND);
    await h.desk.runDueTimers();
    expect((await h.desk.recovery.get(opened.caseId)).status).toBe('approved');
    expect((await h.desk.accounts.getAccount(alice.accountId)).phone).toBe(ALICE_PHONE);
    expect(revoked).toEqual([]);

    h.clock.advance(SECOND);
    const { fired } = await h.desk.runDueTimers();
    expect(fired.filter((f) => f.kind === 'recovery_case').map((f) => f.event)).toEqual([
      'timer.complete',
      'revokeSessions',
    ]);
    const done = await h.desk.recovery.get(opened.caseId);
    expect(done).toMatchObject({ status: 'completed', sessions: 'revoked', endedAt: h.clock.now() });
    const account = await h.desk.accounts.getAccount(alice.accountId);
    expect(account).toMatchObject({ phone: null, mustEnrolFactor: true, emailVerified: true });
    expect(revoked).toEqual([[alice.accountId, 'recovery_completed']]);
    const accountHistory = (await h.desk.accounts.accountHistory(alice.accountId)).map((e) => e.type);
    expect(accountHistory).toEqual(
      expect.arrayContaining(['account.recovery_completed', 'account.factor_removed', 'account.sessions_revoked']),
    );
    expect((await h.desk.recovery.history(opened.caseId)).map((e) => e.type)).toEqual([
      'recovery.opened',
      'recovery.evidence_added',
      'recovery.reviewed',
      'recovery.approved',
      'recovery.completed',
    ]);
    // Firing again changes nothing.
    expect((await h.desk.runDueTimers()).fired.filter((f) => f.kind === 'recovery_case')).toEqual([]);
    expect(revoked).toHaveLength(1);
  });

  it('notifies every address on record of the approval (with the end of the waiting period and a cancel link) and of the completion', async () => {
    const h = makeRecoveryDesk();
    const alice = await makeAlice(h);
    await approvedCase(h);
    const approvedMail = (await outboxTo(h, alice.email)).find((m) => m.template === 'recovery.approved');
    const approvedSms = (await outboxTo(h, ALICE_PHONE)).find((m) => m.template === 'recovery.sms_approved');
    expect(approvedMail?.text).toContain('3 March 2026 at 09:00 (UTC)');
    expect(approvedMail?.text).toContain('/recovery/cancel?case=');
    expect(approvedSms?.text).toContain('2026-03-03 09:00 UTC');
    expect(approvedSms?.text).toContain('/recovery/cancel?case=');
    h.clock.advance(24 * HOUR);
    await h.desk.runDueTimers();
    expect((await outboxTo(h, alice.email)).map((m) => m.template)).toContain('recovery.completed');
    // The old phone is told too: it is still the number on record when the notice is written.
    expect((await outboxTo(h, ALICE_PHONE)).map((m) => m.template)).toContain('recovery.sms_closed');
    const requesterSteps = (await outboxTo(h, 'alice.private@example.net')).map((m) => m.template);
    expect(requesterSteps).toEqual([
      'ticket.confirmation',
      'recovery.requested',
      'recovery.requester_notice',
      'recovery.requester_notice',
    ]);
  });

  it('needs a second agent for a main administrator: the reviewer cannot approve their own review', async () => {
    const h = makeRecoveryDesk();
    const admin = await makeAcmeAdmin(h);
    const opened = await h.desk.recovery.open(openInput({ login: 'admin@acme' }));
    expect((await h.desk.recovery.get(opened.caseId)).agentsRequired).toBe(2);
    const requester = { role: 'requester', ticketId: opened.ticketId } as const;
    await h.desk.recovery.addEvidence({ caseId: opened.caseId, actor: requester, evidence });
    await h.desk.recovery.review({ caseId: opened.caseId, actor: agentA, outcome: 'accept' });
    const before = await h.desk.recovery.get(opened.caseId);
    await expect(h.desk.recovery.approve({ caseId: opened.caseId, actor: agentA })).rejects.toMatchObject({
      code: 'SECOND_AGENT_REQUIRED',
    });
    expect(await h.desk.recovery.get(opened.caseId)).toEqual(before);
    const approved = await h.desk.recovery.approve({ caseId: opened.caseId, actor: agentB });
    expect(approved).toMatchObject({
      status: 'approved',
      review: { agentId: 'agent-anna' },
      approval: { agentId: 'agent-bela' },
    });
    h.clock.advance(24 * HOUR);
    await h.desk.runDueTimers();
    expect((await h.desk.accounts.getAccount(admin.accountId)).phone).toBeNull();
    expect((await outboxTo(h, ACME_ADMIN_PHONE)).map((m) => m.template)).toContain('recovery.sms_approved');
  });

  it('lets one agent review and approve an ordinary account', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const opened = await approvedCase(h, { login: 'alice' }, agentA);
    expect((await h.desk.recovery.get(opened.caseId)).agentsRequired).toBe(1);
    expect((await h.desk.recovery.get(opened.caseId)).status).toBe('approved');
  });
});

describe('cancelling', () => {
  it('lets the owner cancel during the waiting period with the link sent to the addresses on record', async () => {
    const h = makeRecoveryDesk();
    const alice = await makeAlice(h);
    const opened = await approvedCase(h);
    h.clock.advance(23 * HOUR);
    const token = await cancelTokenFor(h, ALICE_PHONE);
    await expect(
      h.desk.recovery.cancel({ caseId: opened.caseId, actor: { role: 'owner', token: `${token.slice(1)}x` } }),
    ).rejects.toMatchObject({ code: 'RECOVERY_FORBIDDEN' });
    const cancelled = await h.desk.recovery.cancel({ caseId: opened.caseId, actor: { role: 'owner', token } });
    expect(cancelled).toMatchObject({ status: 'cancelled' }); // the owner is answered the requester's view
    expect(await h.desk.recovery.get(opened.caseId)).toMatchObject({ status: 'cancelled', cancelledBy: 'owner' });
    h.clock.advance(2 * HOUR);
    await h.desk.runDueTimers();
    expect((await h.desk.recovery.get(opened.caseId)).status).toBe('cancelled');
    expect(await h.desk.accounts.getAccount(alice.accountId)).toMatchObject({
      phone: ALICE_PHONE,
      mustEnrolFactor: false,
    });
    expect((await outboxTo(h, alice.email)).map((m) => m.template)).toContain('recovery.cancelled');
    expect((await outboxTo(h, ALICE_PHONE)).map((m) => m.template)).toContain('recovery.sms_closed');
    const last = (await h.desk.recovery.history(opened.caseId)).at(-1);
    expect(last).toMatchObject({ type: 'recovery.cancelled', actor: { role: 'owner', via: 'cancel_link' } });
  });

  it('accepts the cancel link from the opening notice and a signed-in session of the account; nobody else', async () => {
    const h = makeRecoveryDesk({ policy: { recovery: { maxOpenCasesPerAccount: 3 } } });
    const alice = await makeAlice(h);
    const first = await h.desk.recovery.open(openInput());
    const openingToken = await cancelTokenFor(h, alice.email);
    const second = await approvedCase(h);
    // A cancel link only works for its own case.
    expect(
      await errorCode(() =>
        h.desk.recovery.cancel({ caseId: second.caseId, actor: { role: 'owner', token: openingToken } }),
      ),
    ).toBe('RECOVERY_FORBIDDEN');
    expect(
      (await h.desk.recovery.cancel({ caseId: first.caseId, actor: { role: 'owner', token: openingToken } })).status,
    ).toBe('cancelled');
    const view = await toPassword(h, 'alice', alice.password);
    const session = resultOf(
      await h.desk.login.submitCode({ flowId: view.flowId, code: await loginCodeTo(h, ALICE_PHONE) }),
    );
    const stranger = { ...session.auth, principal: { ...session.auth.principal, accountId: 'acc_other' } };
    expect(
      await errorCode(() =>
        h.desk.recovery.cancel({ caseId: second.caseId, actor: { role: 'owner', auth: stranger } }),
      ),
    ).toBe('RECOVERY_FORBIDDEN');
    const byOwner = await h.desk.recovery.cancel({
      caseId: second.caseId,
      actor: { role: 'owner', auth: session.auth },
    });
    expect(byOwner.status).toBe('cancelled');
  });
});

describe('refusals change nothing', () => {
  it('answers RECOVERY_NOT_FOUND, INVALID_INPUT, RECOVERY_FORBIDDEN and TRANSITION_NOT_ALLOWED naming status and command', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const opened = await h.desk.recovery.open(openInput());
    const requester = { role: 'requester', ticketId: opened.ticketId } as const;
    const before = await h.desk.recovery.get(opened.caseId);
    const historyBefore = await h.desk.recovery.history(opened.caseId);

    expect(await errorCode(() => h.desk.recovery.get('rcv_nope'))).toBe('RECOVERY_NOT_FOUND');
    expect(await errorCode(() => h.desk.recovery.approve({ caseId: 'rcv_nope', actor: agentA }))).toBe(
      'RECOVERY_NOT_FOUND',
    );
    expect(await errorCode(() => h.desk.recovery.open({ ...openInput(), lostFactor: 'sim' } as never))).toBe(
      'INVALID_INPUT',
    );
    expect(await errorCode(() => h.desk.recovery.open(openInput({ login: 'not a login!' })))).toBe('INVALID_INPUT');
    expect(
      await errorCode(() =>
        h.desk.recovery.addEvidence({
          caseId: opened.caseId,
          actor: requester,
          evidence: { ...evidence, kind: 'password' } as never,
        }),
      ),
    ).toBe('INVALID_INPUT');
    expect(
      await errorCode(() =>
        h.desk.recovery.addEvidence({
          caseId: opened.caseId,
          actor: { role: 'requester', ticketId: 'tkt_other' },
          evidence,
        }),
      ),
    ).toBe('RECOVERY_FORBIDDEN');
    await expect(h.desk.recovery.approve({ caseId: opened.caseId, actor: agentA })).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { status: 'awaiting_evidence', command: 'approve' },
      message: expect.stringMatching(/approve.*awaiting_evidence/),
    });
    await expect(
      h.desk.recovery.review({ caseId: opened.caseId, actor: requester, outcome: 'accept' }),
    ).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { status: 'awaiting_evidence', command: 'review', actor: 'requester' },
    });
    await h.desk.recovery.addEvidence({ caseId: opened.caseId, actor: requester, evidence });
    await expect(h.desk.recovery.approve({ caseId: opened.caseId, actor: agentA })).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { status: 'under_review', command: 'approve', reason: 'not_reviewed' },
    });
    await expect(h.desk.recovery.approve({ caseId: opened.caseId, actor: requester })).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { actor: 'requester' },
    });
    const after = await h.desk.recovery.get(opened.caseId);
    expect(after.version).toBe(before.version + 1); // only the evidence was stored
    expect((await h.desk.recovery.history(opened.caseId)).length).toBe(historyBefore.length + 1);
  });

  it('refuses commands on a final case', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const opened = await h.desk.recovery.open(openInput());
    await h.desk.recovery.reject({ caseId: opened.caseId, actor: agentA, reason: 'No proof offered on the phone.' });
    const requester = { role: 'requester', ticketId: opened.ticketId } as const;
    await expect(
      h.desk.recovery.addEvidence({ caseId: opened.caseId, actor: requester, evidence }),
    ).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { status: 'rejected', command: 'addEvidence' },
    });
    expect(await errorCode(() => h.desk.recovery.cancel({ caseId: opened.caseId, actor: requester }))).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
  });

  it('returns the first case for a repeated open with the same idempotency key', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const first = await h.desk.recovery.open(openInput({ idempotencyKey: 'form-1' }));
    const again = await h.desk.recovery.open(openInput({ idempotencyKey: 'form-1' }));
    expect(again).toEqual({ ...first, created: false });
    expect((await h.desk.tickets.list({})).tickets).toHaveLength(1);
  });

  it('accepts the longest idempotency key it allows (191 characters) and refuses a longer one before writing', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    expect((await h.desk.recovery.open(openInput({ idempotencyKey: 'k'.repeat(191) }))).created).toBe(true);
    expect(await errorCode(() => h.desk.recovery.open(openInput({ idempotencyKey: 'k'.repeat(192) })))).toBe(
      'INVALID_INPUT',
    );
    expect((await h.desk.tickets.list({})).tickets).toHaveLength(1);
  });
});

describe('after the recovery', () => {
  it('makes the next login enrol a new phone, verified by a code sent to it', async () => {
    const h = makeRecoveryDesk();
    const alice = await makeAlice(h);
    await approvedCase(h);
    h.clock.advance(24 * HOUR);
    await h.desk.runDueTimers();

    const wrong = await toPassword(h, 'alice', 'not the password at all');
    expect(wrong.state).toBe('awaiting_password');
    const view = await toPassword(h, 'alice', alice.password);
    expect(view.state).toBe('awaiting_enrolment');
    expect(view.result).toBeUndefined();
    expect(await errorCode(() => h.desk.login.submitCode({ flowId: view.flowId, code: '123456' }))).toBe(
      'STEP_NOT_ALLOWED',
    );

    const coding = await h.desk.login.enrolPhone({ flowId: view.flowId, number: '70 555 0222' });
    expect(coding).toMatchObject({ state: 'awaiting_code', maskedPhone: expect.stringContaining('22') });
    // Nothing is stored before the code proves the number.
    expect((await h.desk.accounts.getAccount(alice.accountId)).phone).toBeNull();
    const code = await lastSmsCode(h, NEW_PHONE);
    const done = resultOf(await h.desk.login.submitCode({ flowId: view.flowId, code }));
    expect(done.amr).toEqual(['password', 'sms']);
    expect(await h.desk.accounts.getAccount(alice.accountId)).toMatchObject({
      phone: NEW_PHONE,
      mustEnrolFactor: false,
    });
    expect((await outboxTo(h, alice.email)).map((m) => m.template)).toContain('factor.enrolled');
    expect((await h.desk.accounts.accountHistory(alice.accountId)).map((e) => e.type)).toContain(
      'account.factor_enrolled',
    );

    // The next login is an ordinary one, with the code to the new phone.
    const next = await toPassword(h, 'alice', alice.password);
    expect(next.state).toBe('awaiting_code');
  });

  it('marks a lost email address unverified: password resets are no longer sent there', async () => {
    const h = makeRecoveryDesk();
    const alice = await makeAlice(h);
    await recoveredCase(h, { lostFactor: 'email' });
    // The phone on record stays the second factor: no enrolment a password alone would reach.
    expect(await h.desk.accounts.getAccount(alice.accountId)).toMatchObject({
      phone: ALICE_PHONE,
      emailVerified: false,
      mustEnrolFactor: false,
    });
    const mailsBefore = (await outboxTo(h, alice.email)).length;
    expect(await h.desk.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email' })).toEqual({
      accepted: true,
    });
    expect((await outboxTo(h, alice.email)).length).toBe(mailsBefore);
    expect((await toPassword(h, 'alice', alice.password)).state).toBe('awaiting_code');
  });

  it('records a SessionRevoker failure and reports the sessions as not revoked', async () => {
    const h = makeRecoveryDesk({
      sessionRevoker: {
        revokeSessions: () => {
          throw new Error('session store down');
        },
      },
    });
    const alice = await makeAlice(h);
    const opened = await approvedCase(h);
    h.clock.advance(24 * HOUR);
    await h.desk.runDueTimers();
    expect((await h.desk.recovery.get(opened.caseId)).sessions).toBe('not_revoked');
    expect((await h.desk.accounts.accountHistory(alice.accountId)).map((e) => e.type)).toContain(
      'account.session_revocation_failed',
    );
  });
});

describe('the evidence deadline, sweep or no sweep', () => {
  it('evidence a second before the deadline is taken; at the deadline the case takes none', async () => {
    const before = makeRecoveryDesk();
    await makeAlice(before);
    const early = await before.desk.recovery.open(openInput());
    before.clock.advance(early.evidenceDueAt! - before.clock.now() - SECOND);
    const taken = await before.desk.recovery.addEvidence({
      caseId: early.caseId,
      actor: { role: 'requester', ticketId: early.ticketId },
      evidence,
    });
    expect(taken.status).toBe('under_review');

    const h = makeRecoveryDesk();
    await makeAlice(h);
    const opened = await h.desk.recovery.open(openInput());
    h.clock.advance(opened.evidenceDueAt! - h.clock.now());
    const refused = await h.desk.recovery
      .addEvidence({ caseId: opened.caseId, actor: { role: 'requester', ticketId: opened.ticketId }, evidence })
      .catch((e: { code?: string }) => e.code);
    expect(refused).toBe('TRANSITION_NOT_ALLOWED');
    await h.desk.runDueTimers();
    expect((await h.desk.recovery.get(opened.caseId)).status).toBe('expired');
  });
});
