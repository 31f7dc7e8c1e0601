import { describe, expect, it } from 'vitest';
import { resultOf, toPassword } from '../login/_harness.js';
import {
  agentA,
  ALICE_PHONE,
  approvedCase,
  evidence,
  errorCode,
  loginCodeTo,
  makeAlice,
  makeRecoveryDesk,
  openInput,
  outboxTo,
} from './_harness.js';

describe('recovery: concurrent requests for one login', () => {
  it('ten requests at once open one case and tell the owner once; the others join it or wait', async () => {
    const h = makeRecoveryDesk();
    const alice = await makeAlice(h);
    const answers = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        h.desk.recovery.open(
          openInput({ requester: { email: i % 2 ? 'alice.private@example.net' : `x${i}@example.org` } }),
        ),
      ),
    );
    const open = (await h.desk.recovery.list({ status: 'awaiting_evidence' })).cases;
    expect(open).toHaveLength(1);
    expect((await outboxTo(h, alice.email)).filter((m) => m.template === 'recovery.opened')).toHaveLength(1);
    expect((await outboxTo(h, ALICE_PHONE)).filter((m) => m.template === 'recovery.sms_opened')).toHaveLength(1);
    // Every answer is the one case, a join or a wait; never a storage conflict.
    for (const answer of answers) {
      if (answer.status === 'rejected') expect(answer.reason).toMatchObject({ code: 'RATE_LIMITED' });
    }
    expect(answers.filter((a) => a.status === 'fulfilled' && a.value.created)).toHaveLength(1);
  });
});

describe('recovery: the owner cancelling from a signed-in session', () => {
  it('counts only a live session of the account: a revoked one is RECOVERY_FORBIDDEN', async () => {
    const h = makeRecoveryDesk();
    const alice = await makeAlice(h);
    const view = await toPassword(h, 'alice', alice.password);
    const { auth } = resultOf(
      await h.desk.login.submitCode({ flowId: view.flowId, code: await loginCodeTo(h, ALICE_PHONE) }),
    );
    const c = await approvedCase(h);
    await h.desk.sessions.revoke({ auth, sessionId: auth.sessionId! });
    expect(await errorCode(() => h.desk.recovery.cancel({ caseId: c.caseId, actor: { role: 'owner', auth } }))).toBe(
      'RECOVERY_FORBIDDEN',
    );
    expect((await h.desk.recovery.get(c.caseId)).status).toBe('approved');
  });

  it('a live session cancels, and the audit names that session', async () => {
    const h = makeRecoveryDesk();
    const alice = await makeAlice(h);
    const view = await toPassword(h, 'alice', alice.password);
    const { auth } = resultOf(
      await h.desk.login.submitCode({ flowId: view.flowId, code: await loginCodeTo(h, ALICE_PHONE) }),
    );
    const c = await approvedCase(h);
    expect((await h.desk.recovery.cancel({ caseId: c.caseId, actor: { role: 'owner', auth } })).status).toBe(
      'cancelled',
    );
    const cancelled = (await h.desk.recovery.history(c.caseId)).find((e) => e.type === 'recovery.cancelled');
    expect(cancelled?.actor).toMatchObject({
      role: 'owner',
      accountId: alice.accountId,
      via: 'session',
      sessionId: auth.sessionId,
    });
  });

  it('a context without a session id is RECOVERY_FORBIDDEN', async () => {
    const h = makeRecoveryDesk();
    const alice = await makeAlice(h);
    const view = await toPassword(h, 'alice', alice.password);
    const { auth } = resultOf(
      await h.desk.login.submitCode({ flowId: view.flowId, code: await loginCodeTo(h, ALICE_PHONE) }),
    );
    const c = await approvedCase(h);
    const { sessionId: _dropped, ...withoutSession } = auth;
    expect(
      await errorCode(() =>
        h.desk.recovery.cancel({ caseId: c.caseId, actor: { role: 'owner', auth: withoutSession } }),
      ),
    ).toBe('RECOVERY_FORBIDDEN');
  });
});

describe('recovery: a request that meets an open case never gets its key', () => {
  it("a stranger who types the requester's address is told to wait, never handed the case or its ticket", async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const owners = await h.desk.recovery.open(openInput()); // from alice.private@example.net
    const stranger = { email: 'Alice.Private@example.net' };
    for (const idempotencyKey of [undefined, 'form-1', 'form-1']) {
      const answer = await h.desk.recovery
        .open({
          login: 'alice',
          lostFactor: 'phone',
          channel: 'contact_form',
          requester: stranger,
          ...(idempotencyKey ? { idempotencyKey } : {}),
        })
        .catch((e: unknown) => e);
      expect(answer).toMatchObject({ code: 'RATE_LIMITED' });
      expect(JSON.stringify(answer)).not.toContain(owners.ticketId);
      expect(JSON.stringify(answer)).not.toContain(owners.caseId);
    }
    expect((await h.desk.recovery.get(owners.caseId)).status).toBe('awaiting_evidence');
  });

  it('an agent filing for the requester is answered the open case', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const first = await h.desk.recovery.open(openInput());
    const filed = await h.desk.recovery.open(openInput({ filedBy: { role: 'agent', id: 'agent-anna' } }));
    expect(filed).toEqual({ ...first, created: false });
  });
});

describe('recovery: a case whose account was erased', () => {
  it('can no longer be approved: TRANSITION_NOT_ALLOWED, reason account_not_found', async () => {
    const h = makeRecoveryDesk();
    const alice = await makeAlice(h);
    const { caseId, ticketId } = await h.desk.recovery.open(openInput());
    await h.desk.recovery.addEvidence({ caseId, actor: { role: 'requester', ticketId }, evidence });
    await h.desk.recovery.review({ caseId, actor: agentA, outcome: 'accept' });
    await h.desk.privacy.erase({ subject: { accountId: alice.accountId }, actor: agentA, reason: 'Art. 17' });
    const refused = await h.desk.recovery.approve({ caseId, actor: agentA }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED', details: { reason: 'account_not_found' } });
    expect((await h.desk.recovery.get(caseId)).status).toBe('under_review');
  });
});
