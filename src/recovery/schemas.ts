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
export type RecoveryActorInput = z.input<typeof recoveryActorSchema>;
/** An actor after parsing. */
export type ParsedRecoveryActor = z.output<typeof recoveryActorSchema>;

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
export type OpenRecoveryInput = z.input<typeof openRecoverySchema>;

/** Proof of ownership: metadata only. Never put a password, code or token here. */
export const evidenceSchema = z.strictObject({
  kind: z.enum(EVIDENCE_KINDS),
  description: text(2_000),
  attachments: z.array(attachmentSchema).max(20).default([]),
});

export const addEvidenceSchema = z.strictObject({
  caseId: caseIdSchema,
  actor: recoveryActorSchema,
  evidence: evidenceSchema,
});
export type AddEvidenceInput = z.input<typeof addEvidenceSchema>;

export const reviewSchema = z.strictObject({
  caseId: caseIdSchema,
  actor: recoveryActorSchema,
  /** `accept`: the evidence proves ownership; `request_more`: back to awaiting evidence, with a new deadline. */
  outcome: z.enum(['accept', 'request_more']),
  note: text(2_000).optional(),
});
export type ReviewInput = z.input<typeof reviewSchema>;

export const approveSchema = z.strictObject({ caseId: caseIdSchema, actor: recoveryActorSchema });
export type ApproveInput = z.input<typeof approveSchema>;

export const rejectSchema = z.strictObject({ caseId: caseIdSchema, actor: recoveryActorSchema, reason: text(2_000) });
export type RejectInput = z.input<typeof rejectSchema>;

export const cancelSchema = z.strictObject({ caseId: caseIdSchema, actor: recoveryActorSchema });
export type CancelInput = z.input<typeof cancelSchema>;

export const requesterViewSchema = z.strictObject({ caseId: caseIdSchema, ticketId: id });
export type RequesterViewInput = z.input<typeof requesterViewSchema>;

export const listRecoverySchema = z.strictObject({
  status: z.enum(RECOVERY_STATUSES).optional(),
  ticketId: id.optional(),
  accountId: id.optional(),
  cursor: identifierString().max(300).optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
export type ListRecoveryInput = z.input<typeof listRecoverySchema>;
