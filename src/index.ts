// helpdesk-core — the public entry point. What is not listed here (or in a subpath entry) is internal.
export { createHelpdesk } from './helpdesk.js';
export type { Helpdesk, HelpdeskOptions, HelpdeskPolicy } from './helpdesk.js';
export { HelpdeskError, commonErrors } from './errors.js';
export { isHelpdeskError, ERROR_CODES, type HelpdeskErrorCode } from './error-codes.js';
/** @deprecated Renamed `commonErrors`: the shared codes are not the engine's. */
export { commonErrors as engineErrors } from './errors.js';
export type { DispatchOptions, DispatchResult, OutboxPolicy } from './engine/dispatcher.js';
export { createWorker, WORKER_LOOPS } from './engine/worker.js';
export type {
  RunningWorker,
  WorkerOptions,
  WorkerTasks,
  WorkerBounds,
  BoundedCall,
  WorkerErrorInfo,
  WorkerLoopName,
  WorkerLoopStats,
} from './engine/worker.js';
export type { SendingBudgetPolicy } from './engine/sending-budget.js';
export { formatDateTime, smsSegments } from './messages/index.js';
export type { SmsSegments } from './messages/index.js';
export type { SweepOptions, SweepResult, FiredTimer } from './engine/timers.js';
export { LOCALES, DEFAULT_LOCALE } from './messages/locales.js';
export type { Locale } from './messages/locales.js';
export { systemClock } from './ports/clock.js';
export { webCryptoRandom } from './ports/random-source.js';
export { createPbkdf2Hasher } from './security/pbkdf2-hasher.js';
export type { Pbkdf2HasherOptions } from './security/pbkdf2-hasher.js';
export type * from './ports/index.js';
export type { TicketService, SubmitResult, TicketPage } from './tickets/ticket-service.js';
export type { TicketOptions } from './tickets/options.js';
export type { TicketView } from './tickets/records.js';
export type { TicketCaller, AgentCaller } from './tickets/access.js';
export type { TicketMessage, MessagePage } from './tickets/messages.js';
export type { TicketStatus } from './tickets/ticket-machine.js';
export type { Priority } from './tickets/priorities.js';
export type { Channel } from './tickets/channels.js';
export {
  readEvents,
  readEventsSchema,
  domainEventSchema,
  EVENT_SCHEMAS,
  EVENT_TYPES,
  EVENT_VERSION,
} from './events/index.js';
export type { DomainEvent, EventType, EventFeedPage, ReadEventsInput } from './events/index.js';
export { signWebhook, verifyWebhook } from './webhooks/index.js';
export type {
  WebhookSender,
  WebhookDelivery,
  WebhookHeaders,
  SignWebhookInput,
  VerifyWebhookOptions,
  WebhookVerification,
} from './webhooks/index.js';
export type { SealingKey, SealingKeyring } from './security/sealing.js';
export type { SessionService, SessionView } from './sessions/session-service.js';
export type { SessionGrant } from './sessions/issuer.js';
export type { DeviceGrant, DeviceView } from './sessions/devices.js';
export type { SessionPolicy, SessionPolicyOverrides } from './sessions/policy.js';
export type {
  FactorService,
  FactorView,
  FactorType,
  EnrolFactorResult,
  ConfirmFactorResult,
  FactorPolicyOverrides,
  EnrolFactorInput,
  ConfirmFactorInput,
  ListFactorsInput,
  RenameFactorInput,
  RemoveFactorInput,
  SetOrganizationFactorsInput,
  ChangeEmailInput,
  ConfirmEmailChangeInput,
} from './factors/index.js';
export type { RevokeSessionInput, ForgetDeviceInput } from './sessions/schemas.js';
export type { ChooseFactorInput } from './login/schemas.js';

// ── privacy ──
export { privacyExportSchema, type PrivacyExport } from './privacy/export-schema.js';
export {
  privacyExportInputSchema,
  privacyEraseInputSchema,
  type PrivacyService,
  type PrivacyEraseInput,
  type PrivacyEraseResult,
  type PrivacyExportInput,
} from './privacy/service.js';
export type { ErasureCounts } from './privacy/erasure-job.js';
export type { DependentRecords, PersonalDataHandler, RecordLookup } from './privacy/handlers.js';
export type { RetentionPolicyOverrides, RetentionRule } from './privacy/retention.js';
export type { PrivacySubject } from './privacy/subject.js';

// ── tickets: people ──
export type { TicketFollower, TicketSatisfaction, SurveyPolicy, StatusNoticePolicy } from './tickets/people.js';
export type { FollowInput, RateInput } from './tickets/schemas.js';
// ── tickets: shape ──
export type { GuestCaller, MailCaller } from './tickets/caller.js';
export type { UpdateTicketInput } from './tickets/schemas.js';
export { OPEN_TICKET_STATUSES } from './tickets/groups.js';
// ── host: types TypeDoc found referenced by the public API but not exported ──
export type { RateSlot } from './security/rate-limiter.js';
// ── docs ──
export type { ErrorCodes, ErrorCodeTable } from './errors.js';
export type { RecordDelete } from './ports/record-store.js';
export type { FactorPolicy, EmailChangeStarted } from './factors/index.js';
export type { WebhookHeaderSource } from './webhooks/index.js';
