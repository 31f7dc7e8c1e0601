import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { defaultRecoveryPolicy } from '../../src/recovery/policy.js';
import {
  agentA,
  approvedCase,
  cancelTokenFor,
  errorCode,
  evidence,
  makeAlice,
  makeRecoveryDesk,
  openInput,
  type RecoveryHarness,
} from './_harness.js';

// A deadline that has passed holds whether or not the sweep has run yet: the waiting period ends
// at waitingEndsAt and the evidence window at evidenceDueAt, as for addEvidence and the ticket
// clocks. A late sweep must not leave a window in which a stolen phone's cancel link (or an agent)
// can still stop a recovery whose waiting period is over.

async function aliceCase(h: RecoveryHarness) {
  const alice = await makeAlice(h);
  const approved = await approvedCase(h);
  return { alice, approved };
}

describe('the waiting period ends at waitingEndsAt, sweep or no sweep', () => {
  it('the owner can cancel at waitingEndsAt − 1 ms', async () => {
    const h = makeRecoveryDesk();
    const { alice, approved } = await aliceCase(h);
    const token = await cancelTokenFor(h, alice.email);
    h.clock.set(approved.waitingEndsAt - 1);
    const view = await h.desk.recovery.cancel({ caseId: approved.caseId, actor: { role: 'owner', token } });
    expect(view.status).toBe('cancelled');
  });

  it('the owner cannot cancel at waitingEndsAt, before any sweep; the sweep then completes the recovery', async () => {
    const h = makeRecoveryDesk();
    const { alice, approved } = await aliceCase(h);
    const token = await cancelTokenFor(h, alice.email);
    h.clock.set(approved.waitingEndsAt);
    expect(
      await errorCode(() => h.desk.recovery.cancel({ caseId: approved.caseId, actor: { role: 'owner', token } })),
    ).toBe('TRANSITION_NOT_ALLOWED');
    await h.desk.runDueTimers();
    expect((await h.desk.recovery.get(approved.caseId)).status).toBe('completed');
  });

  it('an agent cannot cancel or reject 1 ms after waitingEndsAt, before any sweep', async () => {
    const h = makeRecoveryDesk();
    const { approved } = await aliceCase(h);
    h.clock.set(approved.waitingEndsAt + 1);
    expect(await errorCode(() => h.desk.recovery.cancel({ caseId: approved.caseId, actor: agentA }))).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
    expect(
      await errorCode(() =>
        h.desk.recovery.reject({ caseId: approved.caseId, actor: agentA, reason: 'Changed my mind.' }),
      ),
    ).toBe('TRANSITION_NOT_ALLOWED');
    await h.desk.runDueTimers();
    expect((await h.desk.recovery.get(approved.caseId)).status).toBe('completed');
  });
});

describe('the evidence window ends at evidenceDueAt, sweep or no sweep', () => {
  it('a case awaiting evidence can be cancelled at evidenceDueAt − 1 ms, not at evidenceDueAt: it expires', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const early = await h.desk.recovery.open(openInput());
    const requester = { role: 'requester', ticketId: early.ticketId } as const;
    h.clock.set(early.evidenceDueAt - 1);
    expect((await h.desk.recovery.cancel({ caseId: early.caseId, actor: requester })).status).toBe('cancelled');

    const h2 = makeRecoveryDesk();
    await makeAlice(h2);
    const late = await h2.desk.recovery.open(openInput());
    const requester2 = { role: 'requester', ticketId: late.ticketId } as const;
    h2.clock.set(late.evidenceDueAt);
    expect(await errorCode(() => h2.desk.recovery.cancel({ caseId: late.caseId, actor: requester2 }))).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
    expect(
      await errorCode(() => h2.desk.recovery.reject({ caseId: late.caseId, actor: agentA, reason: 'No proof.' })),
    ).toBe('TRANSITION_NOT_ALLOWED');
    await h2.desk.runDueTimers();
    expect((await h2.desk.recovery.get(late.caseId)).status).toBe('expired');
  });

  it('after a request for more evidence, the new deadline holds the same way', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const opened = await h.desk.recovery.open(openInput());
    const requester = { role: 'requester', ticketId: opened.ticketId } as const;
    await h.desk.recovery.addEvidence({ caseId: opened.caseId, actor: requester, evidence });
    await h.desk.recovery.review({ caseId: opened.caseId, actor: agentA, outcome: 'request_more' });
    const asked = await h.desk.recovery.get(opened.caseId);
    expect(asked.status).toBe('awaiting_evidence');
    expect(asked.evidenceDueAt).toBe(h.clock.now() + defaultRecoveryPolicy.evidenceTtl);
    h.clock.set(asked.evidenceDueAt!);
    expect(await errorCode(() => h.desk.recovery.cancel({ caseId: opened.caseId, actor: requester }))).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
    await h.desk.runDueTimers();
    expect((await h.desk.recovery.get(opened.caseId)).status).toBe('expired');
  });
});

describe('a recovery request with an idempotency key', () => {
  it('stores no requester address in its idempotency scope (idempotency rows outlive an erasure)', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const first = await h.desk.recovery.open(openInput({ idempotencyKey: 'form-1' }));
    expect(await h.storage.getIdempotency('recovery.open:alice.private@example.net', 'form-1')).toBeNull();
    const again = await h.desk.recovery.open(openInput({ idempotencyKey: 'form-1' }));
    expect(again).toEqual({ ...first, created: false });
    // Another address with the same key is another request.
    const other = await h.desk.recovery
      .open(openInput({ idempotencyKey: 'form-1', requester: { email: 'Alice.Private@example.net', name: 'A' } }))
      .catch((e: unknown) => e);
    expect(isHelpdeskError(other, 'RATE_LIMITED') || (other as { created?: boolean }).created === false).toBe(true);
  });
});
