import { z } from 'zod';
import { identifierString, multiLineText, singleLineText } from '../_lib/text.js';
import { emailSchema } from '../accounts/identifiers.js';
import { authContextSchema } from '../accounts/principal.js';
import { identifierSchema } from '../login/schemas.js';
import { LOCALES } from '../messages/locales.js';
import { channelSchema } from '../tickets/channels.js';
import { attachmentSchema } from '../tickets/content.js';
import { EVIDENCE_KINDS, LOST_FACTORS, RECOVERY_STATUSES } from './recovery-machine.js';

// Ids, keys, tokens and cursors are refused when they hold NUL, broken Unicode or controls;
// names are one line (they reach mail greetings); descriptions, notes and reasons keep their lines.
const id = identifierString().trim().min(1).max(200);
const line = (max: number) => singleLineText().trim().min(1).max(max);
const text = (max: number) => multiLineText().trim().min(1).max(max);

/** A case id as returned by `open` (`rcv_…`). */
export const caseIdSchema = id;

/** An agent of the helpdesk (the host decides who is one). */
export const recoveryAgentSchema = z.strictObject({ role: z.literal('agent'), id });

/**
 * Who acts on a case:
 * - `agent`: support staff, by id;
 * - `requester`: the person recovering, identified by the case and its ticket (`ticketId`);
 * - `owner`: the account holder, by the cancel `token` from a notice sent to an address on
 *   record, or by `auth`, the AuthContext of a signed-in session of the account.
 */
export const recoveryActorSchema = z.union([
  recoveryAgentSchema,
  z.strictObject({ role: z.literal('requester'), ticketId: id }),
  z.strictObject({ role: z.literal('owner'), token: identifierString().min(16).max(200) }),
  z.strictObject({ role: z.literal('owner'), auth: authContextSchema }),
]);
/** Who acts on a case, as a host passes it: see {@link recoveryActorSchema}. */
export type RecoveryActorInput = z.input<typeof recoveryActorSchema>;
/** An actor after parsing. */
export type ParsedRecoveryActor = z.output<typeof recoveryActorSchema>;

/** Parses the input of `desk.recovery.open` (the login, the lost factor and where replies to the requester must go); unknown keys are refused with INVALID_INPUT. */
export const openRecoverySchema = z
  .strictObject({
    /** The login of the account to recover (`alice` or `bob@acme`). Only its format is checked. */
    login: identifierSchema,
    lostFactor: z.enum(LOST_FACTORS),
    /** How the request came in: `web`/`email` (a helpdesk ticket), `sales` (a sales manager), `contact_form`, ... */
    channel: channelSchema.default('web'),
    /** Link an existing helpdesk ticket; without it the service opens one through the ticket service. */
    ticketId: id.optional(),
    /** Where replies to the requester go. Required unless `ticketId` is given (then the ticket's requester). */
    requester: z
      .strictObject({
        email: emailSchema,
        name: line(200).optional(),
        locale: z.enum(LOCALES).optional(),
      })
      .optional(),
    /** The requester's own account of what happened; goes into the new ticket. */
    description: text(5_000).optional(),
    /** An agent filing on the requester's behalf (a sales manager: channel `sales`). */
    filedBy: recoveryAgentSchema.optional(),
    /** A repeated open with the same key (per requester address) returns the first case. */
    // The ticket it opens is keyed `recovery:<key>`, and ticket keys are at most 200 characters.
    idempotencyKey: identifierString().min(1).max(191).optional(),
  })
  .refine((input) => input.ticketId !== undefined || input.requester !== undefined, {
    error: 'Give the requester (email) or an existing ticketId.',
    path: ['requester'],
  })
  .refine((input) => input.channel !== 'sales' || input.filedBy !== undefined, {
    error: 'A request through a sales manager names the agent who files it (filedBy).',
    path: ['filedBy'],
  });
/** The input of `desk.recovery.open`: the login, the lost factor and where replies to the requester must go. See {@link openRecoverySchema} for the rules each field must meet. */
export type OpenRecoveryInput = z.input<typeof openRecoverySchema>;

/** Proof of ownership: metadata only. Never put a password, code or token here. */
export const evidenceSchema = z.strictObject({
  kind: z.enum(EVIDENCE_KINDS),
  description: text(2_000),
  attachments: z.array(attachmentSchema).max(20).default([]),
});

/** Parses the input of `desk.recovery.addEvidence` (a piece of evidence added to a case by its requester or an agent); unknown keys are refused with INVALID_INPUT. */
export const addEvidenceSchema = z.strictObject({
  caseId: caseIdSchema,
  actor: recoveryActorSchema,
  evidence: evidenceSchema,
});
/** The input of `desk.recovery.addEvidence`: a piece of evidence added to a case by its requester or an agent. See {@link addEvidenceSchema} for the rules each field must meet. */
export type AddEvidenceInput = z.input<typeof addEvidenceSchema>;

/** Parses the input of `desk.recovery.review` (an agent's review of the evidence); unknown keys are refused with INVALID_INPUT. */
export const reviewSchema = z.strictObject({
  caseId: caseIdSchema,
  actor: recoveryActorSchema,
  /** `accept`: the evidence proves ownership; `request_more`: back to awaiting evidence, with a new deadline. */
  outcome: z.enum(['accept', 'request_more']),
  note: text(2_000).optional(),
});
/** The input of `desk.recovery.review`: an agent's review of the evidence. See {@link reviewSchema} for the rules each field must meet. */
export type ReviewInput = z.input<typeof reviewSchema>;

/** Parses the input of `desk.recovery.approve` (the case an agent approves; the waiting period starts); unknown keys are refused with INVALID_INPUT. */
export const approveSchema = z.strictObject({ caseId: caseIdSchema, actor: recoveryActorSchema });
/** The input of `desk.recovery.approve`: the case an agent approves; the waiting period starts. See {@link approveSchema} for the rules each field must meet. */
export type ApproveInput = z.input<typeof approveSchema>;

/** Parses the input of `desk.recovery.reject` (the case an agent rejects, with the reason); unknown keys are refused with INVALID_INPUT. */
export const rejectSchema = z.strictObject({ caseId: caseIdSchema, actor: recoveryActorSchema, reason: text(2_000) });
/** The input of `desk.recovery.reject`: the case an agent rejects, with the reason. See {@link rejectSchema} for the rules each field must meet. */
export type RejectInput = z.input<typeof rejectSchema>;

/** Parses the input of `desk.recovery.cancel` (the case its owner (cancel link or session) or an agent cancels); unknown keys are refused with INVALID_INPUT. */
export const cancelSchema = z.strictObject({ caseId: caseIdSchema, actor: recoveryActorSchema });
/** The input of `desk.recovery.cancel`: the case its owner (cancel link or session) or an agent cancels. See {@link cancelSchema} for the rules each field must meet. */
export type CancelInput = z.input<typeof cancelSchema>;

/** Parses the input of `desk.recovery.getForRequester` (the case id and its ticket id, which together must match); unknown keys are refused with INVALID_INPUT. */
export const requesterViewSchema = z.strictObject({ caseId: caseIdSchema, ticketId: id });
/** The input of `desk.recovery.getForRequester`: the case id and its ticket id, which together must match. See {@link requesterViewSchema} for the rules each field must meet. */
export type RequesterViewInput = z.input<typeof requesterViewSchema>;

/** Parses the input of `desk.recovery.list` (filters and paging of the case list); unknown keys are refused with INVALID_INPUT. */
export const listRecoverySchema = z.strictObject({
  status: z.enum(RECOVERY_STATUSES).optional(),
  ticketId: id.optional(),
  accountId: id.optional(),
  cursor: identifierString().max(300).optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
/** The input of `desk.recovery.list`: filters and paging of the case list. See {@link listRecoverySchema} for the rules each field must meet. */
export type ListRecoveryInput = z.input<typeof listRecoverySchema>;
