import { z } from 'zod';

// Data schemas are strict: a key the catalogue does not name (a body, a token) fails validation.
const id = z.string().min(1);
const ms = z.number().int();
const status = z.string().min(1);
const permissions = z.array(z.string());
const change = <T extends z.ZodType>(value: T) => z.strictObject({ from: value, to: value });

/**
 * The domain events, version 1: type → zod schema of `data`. Events carry ids and changes,
 * never secrets (codes, tokens, passwords, hashes) and never free text: a message's body is the
 * host's content, so `ticket.message_added` says how long it is, not what it says — a feed that
 * reaches webhooks, logs and search indexes must not become a second copy of the conversation.
 */
export const EVENT_DATA_SCHEMAS = {
  'ticket.created': z.strictObject({
    number: z.number().int(),
    channel: z.string(),
    priority: z.string(),
    followUpOf: id.nullable(),
  }),
  'ticket.status_changed': change(status),
  'ticket.message_added': z.strictObject({
    authorRole: z.string(),
    askForInfo: z.boolean(),
    messageLength: z.number().int().nonnegative(),
  }),
  'ticket.assigned': z.strictObject({ assigneeId: id.nullable() }),
  'ticket.priority_changed': z.strictObject({ to: z.string() }),
  'ticket.merged': z.strictObject({ intoId: id }),
  'ticket.follow_up_linked': z.strictObject({ followUpId: id }),
  // What an agent changed: group ids, tag labels and the names of host fields, never their values.
  'ticket.updated': z.strictObject({
    groupId: change(id.nullable()).optional(),
    tags: z.strictObject({ added: z.array(z.string()), removed: z.array(z.string()) }).optional(),
    fields: z.array(z.string()).optional(),
  }),
  'ticket.sla_warning': z.strictObject({ metric: z.string(), dueAt: ms }),
  'ticket.sla_breached': z.strictObject({ metric: z.string(), dueAt: ms }),
  // ── tickets: people ── (who follows by id and kind, never an address; a rating's score, never its comment)
  'ticket.follower_added': z.strictObject({ kind: z.enum(['cc', 'agent']), followerId: id }),
  'ticket.follower_removed': z.strictObject({ kind: z.enum(['cc', 'agent']), followerId: id }),
  'ticket.survey_sent': z.strictObject({}),
  'ticket.rated': z.strictObject({ score: z.enum(['good', 'bad']), withComment: z.boolean() }),
  'account.registered': z.strictObject({ accountKind: z.enum(['personal', 'business']), isMainAdmin: z.boolean() }),
  'account.activated': z.strictObject({}),
  'account.password_changed': z.strictObject({ reason: z.string() }),
  'account.password_reset': z.strictObject({ via: z.string() }),
  'account.disabled': change(status),
  'account.enabled': change(status),
  'account.permissions_changed': change(permissions),
  // ── accounts: factors ── (the factor's type and id, never its label, secret, address or phone)
  'account.factor_enrolment_started': z.strictObject({ factor: z.string(), factorId: id }),
  // `factorId` is absent for the phone a recovered account verifies at login (it is not a stored factor).
  'account.factor_enrolled': z.strictObject({ factor: z.string(), factorId: id.optional() }),
  'account.factor_renamed': z.strictObject({ factorId: id }),
  // `caseId` is the recovery case that removed the lost factor, null when the owner removed it (`factorId` then).
  'account.factor_removed': z.strictObject({ factor: z.string(), factorId: id.optional(), caseId: id.nullable() }),
  'account.email_change_requested': z.strictObject({}),
  'account.email_changed': z.strictObject({ wasVerified: z.boolean() }),
  'account.sessions_revoked': z.strictObject({ reason: z.string(), caseId: id.nullable() }),
  'login.succeeded': z.strictObject({ flowId: id, amr: z.array(z.string()) }),
  'login.step_up_confirmed': z.strictObject({ flowId: id, amr: z.array(z.string()) }),
  'login.locked': z.strictObject({ flowId: id, until: ms.nullable() }),
  'organization.created': z.strictObject({ mainAdminAccountId: id }),
  'organization.settings_changed': z.strictObject({ setting: z.string(), from: z.unknown(), to: z.unknown() }),
  'organization.factors_changed': z.strictObject({ allowed: z.array(z.string()), secondFactorRequired: z.boolean() }),
  'phone.registered': z.strictObject({ organizationId: id.nullable(), permissions }),
  'phone.permissions_changed': change(permissions),
  'recovery.opened': z.strictObject({
    ticketId: id,
    channel: z.string(),
    lostFactor: z.string(),
    accountFound: z.boolean(),
  }),
  'recovery.evidence_added': change(status),
  'recovery.reviewed': change(status),
  'recovery.approved': change(status),
  'recovery.rejected': change(status),
  'recovery.cancelled': change(status),
  'recovery.expired': change(status),
  'recovery.completed': change(status),
  'notice.suppressed': z.strictObject({ channel: z.string(), template: z.string().nullable(), reason: z.string() }),
  // Who erased whom (as the pseudonym), never the erased data; the reason stays in history only.
  'privacy.erased': z.strictObject({
    pseudonym: id,
    actor: z.strictObject({ role: z.string(), id: id.optional() }),
  }),
} as const;

/** A catalogue event type. */
export type EventType = keyof typeof EVENT_DATA_SCHEMAS;

/** Every catalogue event type, in catalogue order. */
export const EVENT_TYPES = Object.keys(EVENT_DATA_SCHEMAS) as EventType[];

/** The version every event of this catalogue carries; a breaking change of a `data` shape is a new version. */
export const EVENT_VERSION = 1;

const subjectSchema = z.strictObject({ kind: z.string().min(1), id });

/** The envelope of every event, whatever its type. */
const envelope = {
  id,
  version: z.literal(EVENT_VERSION),
  at: ms,
  subject: subjectSchema,
  seq: z.number().int().positive(),
};

/** One zod schema per event type (envelope + data), for hosts that validate what they receive. */
export const EVENT_SCHEMAS = Object.fromEntries(
  EVENT_TYPES.map((type) => [
    type,
    z.strictObject({ ...envelope, type: z.literal(type), data: EVENT_DATA_SCHEMAS[type] }),
  ]),
) as unknown as { [T in EventType]: z.ZodObject };

/** Any catalogue event as read from the feed: a union keyed by `type`. */
export const domainEventSchema = z.discriminatedUnion(
  'type',
  EVENT_TYPES.map((type) => EVENT_SCHEMAS[type]) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

/** A domain event of type `T` as read from the feed. */
export interface DomainEvent<T extends EventType = EventType> {
  id: string;
  type: T;
  version: typeof EVENT_VERSION;
  at: number;
  subject: { kind: string; id: string };
  seq: number;
  data: z.output<(typeof EVENT_DATA_SCHEMAS)[T]>;
}
