import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { isHelpdeskError } from '../../src/errors.js';
import { defaultRecoveryPolicy } from '../../src/recovery/policy.js';
import { recoveryMachine, type RecoveryEvent, type RecoveryInput } from '../../src/recovery/recovery-machine.js';
import {
  SECOND,
  agentA,
  agentB,
  cancelTokenFor,
  evidence,
  makeAcmeAdmin,
  makeRecoveryDesk,
  openInput,
} from './_harness.js';

// Model-based tests: the shortest paths through the pure machine (a main administrator's case,
// so four eyes apply), each replayed against a real desk; every step from each path's end too.

const T0 = new Date('2026-03-02T09:00:00Z').getTime();
const LABELS = [
  'evidence',
  'review:accept:A',
  'review:more:A',
  'approve:A',
  'approve:B',
  'reject:A',
  'cancel:requester',
  'cancel:owner',
  'timer',
] as const;
type Label = (typeof LABELS)[number];
type Snap = ReturnType<typeof recoveryMachine.resolveState>;

const input: RecoveryInput = {
  id: 'rcv_model',
  ticketId: 'tkt_model',
  ticketNumber: 10001,
  channel: 'web',
  lostFactor: 'phone',
  login: 'admin@acme',
  accountId: 'acc_model',
  accountIsMainAdmin: true,
  requesterEmail: 'boss@example.net',
  requesterName: null,
  locale: 'en',
  openedAt: T0,
  cancelTokenHashes: ['hash'],
  policy: defaultRecoveryPolicy,
};

/** When a label happens: one second after the last change, or exactly at the deadline for the timer. */
function timeOf(s: Snap, label: Label): number {
  if (label !== 'timer') return s.context.updatedAt + SECOND;
  if (s.value === 'awaiting_evidence' && s.context.evidenceDueAt !== null) return s.context.evidenceDueAt;
  if (s.value === 'approved' && s.context.waitingEndsAt !== null) return s.context.waitingEndsAt;
  return s.context.updatedAt + SECOND;
}

function concrete(s: Snap, label: Label): RecoveryEvent {
  const at = timeOf(s, label);
  const policy = defaultRecoveryPolicy;
  switch (label) {
    case 'evidence':
      return {
        type: 'addEvidence',
        at,
        actor: { role: 'requester' },
        evidence: { id: 'e', kind: 'other', description: 'd', attachments: [], addedAt: at, addedBy: 'requester' },
      };
    case 'review:accept:A':
      return { type: 'review', at, actor: agentA, outcome: 'accept', note: null, policy };
    case 'review:more:A':
      return { type: 'review', at, actor: agentA, outcome: 'request_more', note: null, policy };
    case 'approve:A':
      return { type: 'approve', at, actor: agentA, policy, cancelTokenHash: 'h' };
    case 'approve:B':
      return { type: 'approve', at, actor: agentB, policy, cancelTokenHash: 'h' };
    case 'reject:A':
      return { type: 'reject', at, actor: agentA, reason: 'r' };
    case 'cancel:requester':
      return { type: 'cancel', at, actor: { role: 'requester' } };
    case 'cancel:owner':
      return { type: 'cancel', at, actor: { role: 'owner' } };
    case 'timer':
      return s.value === 'awaiting_evidence' ? { type: 'timer.expireEvidence', at } : { type: 'timer.complete', at };
  }
}

type Labelled = RecoveryEvent & { label: Label };
const paths = getShortestPaths(recoveryMachine, {
  input,
  events: ((s: Snap) => LABELS.map((label) => ({ ...concrete(s, label), label }))) as never,
  serializeState: ((s: Snap) =>
    JSON.stringify([s.value, s.context.review?.agentId ?? null, s.context.approval !== null])) as never,
});

const replay = (labels: readonly Label[]): Snap => {
  let s = initialTransition(recoveryMachine, input)[0] as Snap;
  for (const label of labels) s = transition(recoveryMachine, s, concrete(s, label))[0] as Snap;
  return s;
};

const scenarios: Label[][] = [];
for (const path of paths) {
  const labels = path.steps.map((step) => (step.event as Labelled).label).filter((l): l is Label => l !== undefined);
  scenarios.push(labels);
  for (const label of LABELS) scenarios.push([...labels, label]);
}

describe('recovery machine, model-based over xstate/graph paths', () => {
  it('reaches every status', () => {
    const reached = new Set(paths.map((p) => String(p.state.value)));
    expect([...reached].sort()).toEqual(
      ['approved', 'awaiting_evidence', 'cancelled', 'completed', 'expired', 'rejected', 'under_review'].sort(),
    );
  });

  it.each(scenarios.map((labels) => [labels.join(' → ') || '(open)', labels] as const))(
    'the desk follows the machine: %s',
    async (_name, labels) => {
      const h = makeRecoveryDesk();
      await makeAcmeAdmin(h);
      const opened = await h.desk.recovery.open(openInput({ login: 'admin@acme' }));
      const caseId = opened.caseId;
      const requester = { role: 'requester', ticketId: opened.ticketId } as const;
      const ownerToken = await cancelTokenFor(h, 'boss@acme.example');
      let model = initialTransition(recoveryMachine, input)[0] as Snap;
      let accepted = 1; // the open
      for (const label of labels) {
        const event = concrete(model, label);
        const next = transition(recoveryMachine, model, event)[0] as Snap;
        const moves = next !== model;
        if (label === 'timer') {
          if (event.at > h.clock.now()) h.clock.set(event.at);
          await h.desk.runDueTimers();
        } else {
          if (event.at > h.clock.now()) h.clock.set(event.at);
          const run = () => {
            switch (label) {
              case 'evidence':
                return h.desk.recovery.addEvidence({ caseId, actor: requester, evidence });
              case 'review:accept:A':
                return h.desk.recovery.review({ caseId, actor: agentA, outcome: 'accept' });
              case 'review:more:A':
                return h.desk.recovery.review({ caseId, actor: agentA, outcome: 'request_more' });
              case 'approve:A':
                return h.desk.recovery.approve({ caseId, actor: agentA });
              case 'approve:B':
                return h.desk.recovery.approve({ caseId, actor: agentB });
              case 'reject:A':
                return h.desk.recovery.reject({ caseId, actor: agentA, reason: 'Not convincing.' });
              case 'cancel:requester':
                return h.desk.recovery.cancel({ caseId, actor: requester });
              case 'cancel:owner':
                return h.desk.recovery.cancel({ caseId, actor: { role: 'owner', token: ownerToken } });
            }
          };
          let refused: unknown = null;
          await run().catch((error: unknown) => (refused = error));
          if (moves) expect(refused, `${label} should be accepted`).toBeNull();
          else
            expect(
              isHelpdeskError(refused, 'TRANSITION_NOT_ALLOWED') || isHelpdeskError(refused, 'SECOND_AGENT_REQUIRED'),
              `${label} should be refused`,
            ).toBe(true);
        }
        if (moves) accepted++;
        model = next;
        const desk = await h.desk.recovery.get(caseId);
        expect(desk.status, labels.join(' → ')).toBe(model.value);
        expect(desk.review?.agentId ?? null).toBe(model.context.review?.agentId ?? null);
        expect(desk.approval?.agentId ?? null).toBe(model.context.approval?.agentId ?? null);
      }
      expect(await h.desk.recovery.history(caseId)).toHaveLength(accepted);
      expect(replay(labels).value).toBe(model.value);
    },
  );
});
