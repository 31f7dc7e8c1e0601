import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { RECOVERY_STATUSES } from '../../src/recovery/index.js';
import {
  DAY,
  HOUR,
  SECOND,
  agentA,
  agentB,
  cancelTokenFor,
  evidence,
  makeAcmeAdmin,
  makeAlice,
  makeRecoveryDesk,
} from './_harness.js';

type Command =
  | { kind: 'evidence' }
  | { kind: 'review'; agent: 'A' | 'B'; outcome: 'accept' | 'request_more' }
  | { kind: 'approve'; agent: 'A' | 'B' }
  | { kind: 'reject'; agent: 'A' | 'B' }
  | { kind: 'cancel'; by: 'requester' | 'owner' | 'agent' }
  | { kind: 'wait'; ms: number; sweep: boolean };

const agentArb = fc.constantFrom('A' as const, 'B' as const);
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.constant({ kind: 'evidence' as const }),
  fc.record({
    kind: fc.constant('review' as const),
    agent: agentArb,
    outcome: fc.constantFrom('accept' as const, 'request_more' as const),
  }),
  fc.record({ kind: fc.constant('approve' as const), agent: agentArb }),
  fc.record({ kind: fc.constant('reject' as const), agent: agentArb }),
  fc.record({
    kind: fc.constant('cancel' as const),
    by: fc.constantFrom('requester' as const, 'owner' as const, 'agent' as const),
  }),
  fc.record({
    kind: fc.constant('wait' as const),
    ms: fc.constantFrom(SECOND, HOUR, 24 * HOUR - SECOND, 24 * HOUR, 7 * DAY, 14 * DAY - SECOND, 14 * DAY),
    // A late sweep: time passes and no timer runs before the next command.
    sweep: fc.boolean(),
  }),
);

describe('recovery properties over random command and time sequences', () => {
  it('keeps a valid status, never completes without the approvals and the whole waiting period, is never stopped at or after its deadline however late the sweep, and writes one history entry per accepted command', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(commandArb, { maxLength: 14 }), async (mainAdmin, commands) => {
        const h = makeRecoveryDesk();
        const target = mainAdmin ? await makeAcmeAdmin(h) : { ...(await makeAlice(h)), login: 'alice' };
        const opened = await h.desk.recovery.open({
          login: target.login,
          lostFactor: 'phone',
          requester: { email: 'someone@example.net' },
        });
        const caseId = opened.caseId;
        const requester = { role: 'requester', ticketId: opened.ticketId } as const;
        const token = await cancelTokenFor(h, target.email);
        const agent = (a: 'A' | 'B') => (a === 'A' ? agentA : agentB);
        let accepted = 1;
        for (const command of commands) {
          if (command.kind === 'wait') {
            h.clock.advance(command.ms);
            if (!command.sweep) continue;
            const { fired, failed } = await h.desk.runDueTimers();
            expect(failed).toEqual([]);
            accepted += fired.filter((f) => f.kind === 'recovery_case' && f.event.startsWith('timer.')).length;
            continue;
          }
          const run = () => {
            switch (command.kind) {
              case 'evidence':
                return h.desk.recovery.addEvidence({ caseId, actor: requester, evidence });
              case 'review':
                return h.desk.recovery.review({ caseId, actor: agent(command.agent), outcome: command.outcome });
              case 'approve':
                return h.desk.recovery.approve({ caseId, actor: agent(command.agent) });
              case 'reject':
                return h.desk.recovery.reject({ caseId, actor: agent(command.agent), reason: 'No.' });
              case 'cancel':
                return h.desk.recovery.cancel({
                  caseId,
                  actor:
                    command.by === 'owner' ? { role: 'owner', token } : command.by === 'agent' ? agentA : requester,
                });
            }
          };
          const before = await h.desk.recovery.get(caseId);
          try {
            await run();
            accepted++;
          } catch (error) {
            expect(
              isHelpdeskError(error, 'TRANSITION_NOT_ALLOWED') || isHelpdeskError(error, 'SECOND_AGENT_REQUIRED'),
            ).toBe(true);
            expect(await h.desk.recovery.get(caseId)).toEqual(before); // nothing stored on refusal
          }
          const view = await h.desk.recovery.get(caseId);
          expect(RECOVERY_STATUSES).toContain(view.status);
        }
        const view = await h.desk.recovery.get(caseId);
        expect(RECOVERY_STATUSES).toContain(view.status);
        if (view.status === 'cancelled' || view.status === 'rejected') {
          // Stopped only inside its window, however late the sweep: never at or after the deadline.
          if (view.waitingEndsAt !== null) expect(view.endedAt!).toBeLessThan(view.waitingEndsAt);
          else if (view.evidenceDueAt !== null && view.review === null) {
            expect(view.endedAt!).toBeLessThan(view.evidenceDueAt);
          }
        }
        const account = await h.desk.accounts.getAccount(target.accountId);
        if (view.status === 'completed') {
          expect(view.review).not.toBeNull();
          expect(view.approval).not.toBeNull();
          if (mainAdmin) expect(view.approval!.agentId).not.toBe(view.review!.agentId);
          expect(view.endedAt!).toBeGreaterThanOrEqual(view.approval!.at + 24 * HOUR);
          expect(account.phone).toBeNull();
          expect(account.mustEnrolFactor).toBe(true);
        } else {
          expect(account.phone).not.toBeNull();
          expect(account.mustEnrolFactor).toBe(false);
        }
        expect(await h.desk.recovery.history(caseId)).toHaveLength(accepted);
      }),
      { numRuns: 150 },
    );
  });
});
