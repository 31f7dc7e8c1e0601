import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { defaultRecoveryPolicy } from '../../src/recovery/policy.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import {
  HOUR,
  approvedCase,
  evidence,
  makeAlice,
  makeRecoveryDesk,
  openInput,
  type RecoveryHarness,
} from './_harness.js';

// A request told to wait (RATE_LIMITED) is told when to try again: never a time already past,
// and never a time that says how far the login's case has come (a stranger may be asking).

const OTHER = { email: 'someone.else@example.net', name: 'Someone' };

async function retryAfterOf(h: RecoveryHarness, login = 'alice'): Promise<number> {
  const error = await h.desk.recovery.open(openInput({ login, requester: OTHER })).catch((e: unknown) => e);
  if (!isHelpdeskError(error, 'RATE_LIMITED')) throw new Error(`expected RATE_LIMITED, got ${String(error)}`);
  return (error.details as { retryAfter: number }).retryAfter;
}

describe('a recovery request told to wait', () => {
  it('is told a time in the future while the case waits for evidence, is under review, or is approved', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const opened = await h.desk.recovery.open(openInput());
    h.clock.advance(2 * HOUR);
    const waiting = await retryAfterOf(h);
    expect(waiting).toBeGreaterThan(h.clock.now());
    const requester = { role: 'requester', ticketId: opened.ticketId } as const;
    await h.desk.recovery.addEvidence({ caseId: opened.caseId, actor: requester, evidence });
    h.clock.advance(HOUR);
    expect(await retryAfterOf(h)).toBeGreaterThan(h.clock.now());
    await h.desk.recovery.review({
      caseId: opened.caseId,
      actor: { role: 'agent', id: 'agent-anna' },
      outcome: 'accept',
    });
    await h.desk.recovery.approve({ caseId: opened.caseId, actor: { role: 'agent', id: 'agent-anna' } });
    h.clock.advance(HOUR);
    expect(await retryAfterOf(h)).toBeGreaterThan(h.clock.now());
  });

  it('gets the same answer whatever stage the case is in, so a stranger cannot tell an approval is under way', async () => {
    const a = makeRecoveryDesk();
    await makeAlice(a);
    await a.desk.recovery.open(openInput());
    const b = makeRecoveryDesk();
    await makeAlice(b);
    await approvedCase(b);
    a.clock.set(b.clock.now());
    a.clock.advance(HOUR);
    b.clock.advance(HOUR);
    expect((await retryAfterOf(a)) - a.clock.now()).toBe((await retryAfterOf(b)) - b.clock.now());
  });

  it('held back by the openings window, is told when the window frees a slot', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const first = h.clock.now();
    for (let i = 0; i < defaultRecoveryPolicy.opensPerWindow; i++) {
      const opened = await h.desk.recovery.open(openInput());
      await h.desk.recovery.cancel({ caseId: opened.caseId, actor: { role: 'requester', ticketId: opened.ticketId } });
      h.clock.advance(HOUR);
    }
    expect(await retryAfterOf(h)).toBe(first + defaultRecoveryPolicy.openWindow);
    h.clock.set(first + defaultRecoveryPolicy.openWindow - 1);
    expect(await retryAfterOf(h)).toBe(first + defaultRecoveryPolicy.openWindow);
    h.clock.set(first + defaultRecoveryPolicy.openWindow);
    await expect(h.desk.recovery.open(openInput())).resolves.toMatchObject({ status: 'awaiting_evidence' });
  });

  it('a case past its evidence deadline no longer holds the login, before the sweep as after it', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const stale = await h.desk.recovery.open(openInput());
    h.clock.advance(defaultRecoveryPolicy.evidenceTtl - 1);
    expect(await retryAfterOf(h)).toBeGreaterThan(h.clock.now());
    h.clock.advance(1); // the deadline: the case has expired, swept or not
    const fresh = await h.desk.recovery.open(openInput({ requester: OTHER }));
    expect(fresh.caseId).not.toBe(stale.caseId);
    await h.desk.runDueTimers();
    expect((await h.desk.recovery.get(stale.caseId)).status).toBe('expired');
    expect((await h.desk.recovery.get(fresh.caseId)).status).toBe('awaiting_evidence');
  });

  it('the case it passes over is expired in the same commit: no clock step or lagging instance revives it beside the new one', async () => {
    const base = new ManualClock('2026-03-02T09:00:00Z');
    let back = 0;
    const h = makeRecoveryDesk({ clock: { now: () => base.now() - back } });
    await makeAlice(h);
    const stale = await h.desk.recovery.open(openInput());
    base.advance(defaultRecoveryPolicy.evidenceTtl);
    const fresh = await h.desk.recovery.open(openInput({ requester: OTHER }));
    expect(fresh.caseId).not.toBe(stale.caseId);
    expect((await h.desk.recovery.get(stale.caseId)).status).toBe('expired');
    back = HOUR; // an NTP step back, or another instance a little behind
    const requester = { role: 'requester', ticketId: stale.ticketId } as const;
    await expect(h.desk.recovery.addEvidence({ caseId: stale.caseId, actor: requester, evidence })).rejects.toThrow();
    expect((await h.desk.recovery.get(stale.caseId)).status).toBe('expired');
    const history = await h.desk.recovery.history(stale.caseId);
    expect(history.filter((e) => e.type === 'recovery.expired')).toHaveLength(1);
  });
});
