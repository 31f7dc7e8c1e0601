import { assign, setup } from 'xstate';
import { contextFromInput } from '../engine/machine-step.js';
import type { Channel } from '../tickets/channels.js';

/**
 * The statuses of a lost-factor recovery case. `completed`, `rejected`, `cancelled` and
 * `expired` are final.
 */
export const RECOVERY_STATUSES = [
  'awaiting_evidence',
  'under_review',
  'approved',
  'completed',
  'rejected',
  'cancelled',
  'expired',
] as const;
/** One of {@link RECOVERY_STATUSES}. */
export type RecoveryStatus = (typeof RECOVERY_STATUSES)[number];

/** The statuses a case never leaves: no command or deadline applies to them any more. */
export const FINAL_RECOVERY_STATUSES: ReadonlySet<RecoveryStatus> = new Set([
  'completed',
  'rejected',
  'cancelled',
  'expired',
]);

/** The second factor the user lost: the phone of the SMS code, or the email address. */
export const LOST_FACTORS = ['phone', 'email', 'authenticator'] as const;
/** One of {@link LOST_FACTORS}. */
export type LostFactor = (typeof LOST_FACTORS)[number];

/** What kind of proof of ownership an evidence item is. Metadata only: never a password or code. */
export const EVIDENCE_KINDS = [
  /** An identity document matching the account holder (the host stores the file). */
  'identity_document',
  /** An invoice, contract or purchase record of the account. */
  'purchase_record',
  /** Facts about the account only its owner knows: recent tickets, devices, settings. */
  'account_detail',
  /** A device serial or IMEI registered to the account. */
  'device',
  'other',
] as const;
/** One of {@link EVIDENCE_KINDS}. */
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** Who acts on a case, as the machine sees it. The service has checked the identity. */
export type RecoveryActor =
  | { role: 'agent'; id: string }
  /** The person recovering, identified by the case and its ticket. */
  | { role: 'requester' }
  /** The account holder: a cancel link from a notice, or a signed-in session of the account. */
  | { role: 'owner' }
  | { role: 'system' };

/** One item of proof of ownership, as stored on the case (metadata only; the host keeps the files). */
export interface RecoveryEvidence {
  id: string;
  kind: EvidenceKind;
  description: string;
  attachments: Array<{ name: string; contentType: string; size: number }>;
  addedAt: number;
  /** `requester` or `agent:<id>` (an agent entering what the requester sent through the ticket). */
  addedBy: string;
}

/** The rules a transition needs; the service passes the policy in force with each event. */
export interface RecoveryTimingPolicy {
  /** After approval, how long the owner can still cancel before the factor is removed. Default 24 h. */
  waitingPeriod: number;
  /** A case without (sufficient) evidence expires this long after it was opened or more was asked. Default 14 days. */
  evidenceTtl: number;
}

/** The machine's context: everything a case stores. Hosts read it through `RecoveryCaseView`, not directly. */
export interface RecoveryContext {
  id: string;
  ticketId: string;
  ticketNumber: number;
  channel: Channel;
  lostFactor: LostFactor;
  /** The login the requester named, canonicalised. */
  login: string;
  /** Null when no account has that login: the case looks the same to the requester but can never be approved. */
  accountId: string | null;
  /** A main administrator's recovery needs a second agent: the approver may not be the reviewer. */
  accountIsMainAdmin: boolean;
  requesterEmail: string;
  requesterName: string | null;
  locale: string;
  openedAt: number;
  updatedAt: number;
  /** While awaiting evidence: the case expires at this instant. */
  evidenceDueAt: number | null;
  evidence: RecoveryEvidence[];
  /** The agent who accepted the evidence. */
  review: { agentId: string; at: number; note: string | null } | null;
  approval: { agentId: string; at: number } | null;
  /** While approved: the factor is removed at this instant unless someone cancels. */
  waitingEndsAt: number | null;
  /** HMACs of the cancel links sent to the addresses on record (never the links themselves). */
  cancelTokenHashes: string[];
  endedAt: number | null;
  /** Why an agent rejected the case. */
  rejectReason: string | null;
  cancelledBy: 'requester' | 'owner' | 'agent' | null;
}

/** What a case starts from (`open` fills it in); the policy sets the first evidence deadline. */
export type RecoveryInput = Omit<
  RecoveryContext,
  | 'updatedAt'
  | 'evidenceDueAt'
  | 'evidence'
  | 'review'
  | 'approval'
  | 'waitingEndsAt'
  | 'endedAt'
  | 'rejectReason'
  | 'cancelledBy'
> & { policy: RecoveryTimingPolicy };

type Policy = { policy: RecoveryTimingPolicy };

/**
 * The events of a case. Commands carry the actor the service checked and `at` (the command's
 * clock reading); deadlines are the guarded `timer.*` events sent by the sweep.
 */
export type RecoveryEvent =
  | { type: 'addEvidence'; at: number; actor: RecoveryActor; evidence: RecoveryEvidence }
  | (Policy & {
      type: 'review';
      at: number;
      actor: RecoveryActor;
      outcome: 'accept' | 'request_more';
      note: string | null;
    })
  | (Policy & { type: 'approve'; at: number; actor: RecoveryActor; cancelTokenHash: string })
  | { type: 'reject'; at: number; actor: RecoveryActor; reason: string }
  | { type: 'cancel'; at: number; actor: RecoveryActor }
  | { type: 'timer.expireEvidence'; at: number }
  | { type: 'timer.complete'; at: number };

/** The notices a transition asks for; the service renders and queues them in the same commit. */
export type RecoveryStep = 'approved' | 'completed' | 'cancelled' | 'rejected' | 'expired';

/**
 * The effects a transition returns (named actions, never run by xstate): `notify` queues the
 * notices of a step, `completeRecovery` removes the lost factor. The service carries them out
 * in the step's commit, in this order.
 */
export type RecoveryEffect =
  { type: 'notify'; params: { step: RecoveryStep } } | { type: 'completeRecovery'; params: undefined };

const actorOf = (event: RecoveryEvent): RecoveryActor => ('actor' in event ? event.actor : { role: 'system' });
const byAgent = (event: RecoveryEvent) => actorOf(event).role === 'agent';
const byAnyoneButSystem = (event: RecoveryEvent) => ['requester', 'owner', 'agent'].includes(actorOf(event).role);
const beforeEvidenceDue = (context: RecoveryContext, event: RecoveryEvent) =>
  context.evidenceDueAt === null || event.at < context.evidenceDueAt;
const inWaitingPeriod = (context: RecoveryContext, event: RecoveryEvent) =>
  context.waitingEndsAt === null || event.at < context.waitingEndsAt;
const agentId = (event: RecoveryEvent): string | null => {
  const actor = actorOf(event);
  return actor.role === 'agent' ? actor.id : null;
};
const notify = (step: RecoveryStep) => ({ type: 'notify', params: { step } }) as const;

/**
 * The lost-factor recovery case. Pure: deadlines are context fields (`evidenceDueAt`,
 * `waitingEndsAt`) fired by `runDueTimers()` through the guarded `timer.expireEvidence` and
 * `timer.complete` events, so a late sweep is safe and a repeated one a no-op. Effects are
 * named actions the service carries out in the same commit: `notify` (mail and SMS to the
 * requester and every address on record) and `completeRecovery` (remove the old factor,
 * require enrolment at the next login, then revoke sessions).
 */
export const recoveryMachine = setup({
  types: {
    context: {} as RecoveryContext,
    events: {} as RecoveryEvent,
    input: {} as RecoveryInput,
  },
  actions: {
    /** Effect: notices about a step. */
    notify: (_, _params: { step: RecoveryStep }) => {},
    /** Effect: remove the lost factor, flag the account for enrolment, revoke its sessions. */
    completeRecovery: () => {},
    touch: assign({ updatedAt: ({ event }) => event.at }),
    addEvidence: assign(({ context, event }) =>
      event.type === 'addEvidence' ? { evidence: [...context.evidence, event.evidence], evidenceDueAt: null } : {},
    ),
    acceptReview: assign(({ event }) =>
      event.type === 'review' && event.actor.role === 'agent'
        ? { review: { agentId: event.actor.id, at: event.at, note: event.note } }
        : {},
    ),
    /** Support asks for more proof: the evidence clock starts again. */
    askForMore: assign(({ event }) =>
      event.type === 'review' ? { review: null, evidenceDueAt: event.at + event.policy.evidenceTtl } : {},
    ),
    approve: assign(({ context, event }) =>
      event.type === 'approve' && event.actor.role === 'agent'
        ? {
            approval: { agentId: event.actor.id, at: event.at },
            waitingEndsAt: event.at + event.policy.waitingPeriod,
            cancelTokenHashes: [...context.cancelTokenHashes, event.cancelTokenHash],
          }
        : {},
    ),
    /** A final status: no deadline is left (`waitingEndsAt` stays, for the record). */
    end: assign(({ event }) => ({ endedAt: event.at, evidenceDueAt: null })),
    markRejected: assign({ rejectReason: ({ event }) => (event.type === 'reject' ? event.reason : null) }),
    markCancelled: assign({
      cancelledBy: ({ event }) => {
        const role = actorOf(event).role;
        return role === 'requester' || role === 'owner' || role === 'agent' ? role : null;
      },
    }),
  },
  guards: {
    byAgent: ({ event }) => byAgent(event),
    byRequesterOrAgent: ({ event }) => ['requester', 'agent'].includes(actorOf(event).role),
    byAnyoneButSystem: ({ event }) => byAnyoneButSystem(event),
    reviewAccepts: ({ event }) => event.type === 'review' && event.actor.role === 'agent' && event.outcome === 'accept',
    reviewAsksForMore: ({ event }) =>
      event.type === 'review' && event.actor.role === 'agent' && event.outcome === 'request_more',
    /**
     * An agent approves accepted evidence of an existing account. For a main administrator the
     * approver must be a second agent, not the one who accepted the evidence (four eyes).
     */
    approvalAllowed: ({ context, event }) => {
      const approver = agentId(event);
      if (approver === null || context.review === null || context.accountId === null) return false;
      return !context.accountIsMainAdmin || approver !== context.review.agentId;
    },
    evidenceDue: ({ context, event }) => context.evidenceDueAt !== null && event.at >= context.evidenceDueAt,
    /** Evidence by the requester or an agent before the evidence deadline (`evidenceDueAt`). */
    evidenceInTime: ({ context, event }) =>
      ['requester', 'agent'].includes(actorOf(event).role) &&
      (context.evidenceDueAt === null || event.at < context.evidenceDueAt),
    /**
     * A cancel or a rejection before the evidence deadline. At or after it the case has expired,
     * sweep or no sweep (the sweep's `timer.expireEvidence` only records it).
     */
    cancelBeforeEvidenceDue: ({ context, event }) => byAnyoneButSystem(event) && beforeEvidenceDue(context, event),
    rejectBeforeEvidenceDue: ({ context, event }) => byAgent(event) && beforeEvidenceDue(context, event),
    /**
     * A cancel or a rejection inside the waiting period. At or after `waitingEndsAt` the recovery
     * is complete, sweep or no sweep (the sweep's `timer.complete` only records it): a late sweep
     * gives a stolen phone's cancel link no extra time.
     */
    cancelInWaitingPeriod: ({ context, event }) => byAnyoneButSystem(event) && inWaitingPeriod(context, event),
    rejectInWaitingPeriod: ({ context, event }) => byAgent(event) && inWaitingPeriod(context, event),
    /** Completion needs an approval and the whole waiting period behind it. */
    waitingOver: ({ context, event }) =>
      context.approval !== null && context.waitingEndsAt !== null && event.at >= context.waitingEndsAt,
  },
}).createMachine({
  id: 'recovery',
  /** The case as opened: the input, with the timing policy it runs under. */
  context: contextFromInput((input: RecoveryInput): RecoveryContext => {
    const { policy, ...rest } = input;
    return {
      ...rest,
      updatedAt: input.openedAt,
      evidenceDueAt: input.openedAt + policy.evidenceTtl,
      evidence: [],
      review: null,
      approval: null,
      waitingEndsAt: null,
      endedAt: null,
      rejectReason: null,
      cancelledBy: null,
    };
  }),
  initial: 'awaiting_evidence',
  states: {
    awaiting_evidence: {
      on: {
        // Not once the evidence deadline passed, sweep or no sweep: the case has expired then.
        addEvidence: { guard: 'evidenceInTime', target: 'under_review', actions: ['addEvidence', 'touch'] },
        reject: {
          guard: 'rejectBeforeEvidenceDue',
          target: 'rejected',
          actions: ['markRejected', 'end', 'touch', notify('rejected')],
        },
        cancel: {
          guard: 'cancelBeforeEvidenceDue',
          target: 'cancelled',
          actions: ['markCancelled', 'end', 'touch', notify('cancelled')],
        },
        'timer.expireEvidence': {
          guard: 'evidenceDue',
          target: 'expired',
          actions: ['end', 'touch', notify('expired')],
        },
      },
    },
    under_review: {
      on: {
        addEvidence: { guard: 'byRequesterOrAgent', actions: ['addEvidence', 'touch'] },
        review: [
          { guard: 'reviewAccepts', actions: ['acceptReview', 'touch'] },
          { guard: 'reviewAsksForMore', target: 'awaiting_evidence', actions: ['askForMore', 'touch'] },
        ],
        approve: { guard: 'approvalAllowed', target: 'approved', actions: ['approve', 'touch', notify('approved')] },
        reject: { guard: 'byAgent', target: 'rejected', actions: ['markRejected', 'end', 'touch', notify('rejected')] },
        cancel: {
          guard: 'byAnyoneButSystem',
          target: 'cancelled',
          actions: ['markCancelled', 'end', 'touch', notify('cancelled')],
        },
      },
    },
    approved: {
      on: {
        // The waiting period: every address on record was told, and the owner can still stop it.
        cancel: {
          guard: 'cancelInWaitingPeriod',
          target: 'cancelled',
          actions: ['markCancelled', 'end', 'touch', notify('cancelled')],
        },
        reject: {
          guard: 'rejectInWaitingPeriod',
          target: 'rejected',
          actions: ['markRejected', 'end', 'touch', notify('rejected')],
        },
        'timer.complete': {
          guard: 'waitingOver',
          target: 'completed',
          actions: ['end', 'touch', 'completeRecovery', notify('completed')],
        },
      },
    },
    completed: { type: 'final' },
    rejected: { type: 'final' },
    cancelled: { type: 'final' },
    expired: { type: 'final' },
  },
});
