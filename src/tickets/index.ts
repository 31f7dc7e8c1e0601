// helpdesk-core/tickets — the ticket lifecycle: machine, schemas, priorities and pure helpers.
export { ticketMachine, TICKET_STATUSES } from './ticket-machine.js';
export type { TicketStatus, TicketContext, TicketEvent, TicketActor, TicketTimingPolicy } from './ticket-machine.js';
export { PRIORITIES, prioritySchema, priorityDefinitions, comparePriorities } from './priorities.js';
export { statusDefinitions, statusLabel, STATUS_DEFINITIONS } from './statuses.js';
export { statusLabels, statusDefinition } from './statuses.js';
export type { StatusDefinition } from './statuses.js';
export type { Priority, PriorityDefinition, ChannelAdvice } from './priorities.js';
export { suggestPriority, priorityChannelAdvice, impactFactsSchema } from './suggest-priority.js';
export type { ImpactFacts } from './suggest-priority.js';
export { CHANNELS, channelSchema } from './channels.js';
export type { Channel } from './channels.js';
export {
  ticketContentSchema,
  parseTicketContent,
  buildTicketTitle,
  parseTicketTitle,
  completenessReport,
  RECOMMENDED_FIELDS,
} from './content.js';
export type {
  TicketContent,
  TicketContentInput,
  TicketAttachment,
  RecommendedField,
  CompletenessReport,
} from './content.js';
export { formatTicketReference, parseTicketReference } from './reference.js';
export { normalizeSubject, isNearDuplicateSubject } from './similarity.js';
export { defaultTicketPolicy, ticketPolicySchema } from './policy.js';
export type { TicketPolicy, TicketPolicyOverrides } from './policy.js';
export {
  submitTicketSchema,
  replySchema,
  ticketCommandSchema,
  assignSchema,
  setPrioritySchema,
  mergeSchema,
  listTicketsSchema,
  ticketActorSchema,
  addNoteSchema,
  listMessagesSchema,
  readOptionsSchema,
} from './schemas.js';
export type {
  SubmitTicketInput,
  ReplyInput,
  TicketCommandInput,
  AssignInput,
  SetPriorityInput,
  MergeInput,
  ListTicketsInput,
  AddNoteInput,
  ListMessagesInput,
  ReadOptions,
} from './schemas.js';
export { agentCallerSchema, guestCallerSchema, mailCallerSchema, ticketCallerSchema } from './caller.js';
export type { AgentCaller, GuestCaller, MailCaller, TicketCaller } from './caller.js';
export { messageAttachmentSchema, MESSAGE_KIND } from './messages.js';
export type { TicketMessage, MessagePage, MessageAttachment, MessageVisibility } from './messages.js';
export type { TicketService, SubmitResult, TicketPage } from './ticket-service.js';
export type { TicketOptions } from './options.js';
// ── tickets: people ──
export { followSchema, rateSchema } from './schemas.js';
export type { FollowInput, RateInput } from './schemas.js';
export type { TicketFollower, TicketSatisfaction, SurveyPolicy, StatusNoticePolicy } from './people.js';
export type { TicketPeopleService } from './ticket-service.js';
export type { TicketView } from './records.js';
export { ticketErrors } from './error-codes.js';
export {
  defaultSlaPolicy,
  resolveSlaPolicy,
  slaPolicySchema,
  slaTargetSchema,
  slaDueAt,
  SLA_METRICS,
} from './sla-policy.js';
export type { SlaPolicy, SlaTarget, SlaMetric, SlaPriorityTargets } from './sla-policy.js';
export { ticketMetrics } from './sla.js';
export type { SlaClock, SlaBreach, TicketSla, TicketMetrics, DualDuration } from './sla.js';
export {
  addBusinessTime,
  businessTimeBetween,
  isWithinBusinessHours,
  parseCalendar,
  calendarSchema,
} from '../calendar/index.js';
export type { BusinessCalendar, BusinessCalendarInput, WorkingInterval, Holiday, Weekday } from '../calendar/index.js';
// ── tickets: shape ──
export { updateTicketSchema } from './schemas.js';
export type { UpdateTicketInput } from './schemas.js';
export { groupIdSchema, tagSchema, tagsSchema, MAX_TAGS, OPEN_TICKET_STATUSES } from './groups.js';
export { fleetFieldsSchema, parseTicketFields, MAX_FIELDS_BYTES } from './fields.js';
export type { FleetFields } from './fields.js';
export { driverSchema, vehicleSchema } from './content.js';
// ── docs: types the public ones refer to ──
export type { WithPolicy, TicketShapeChange, TicketInput, TicketNotification } from './ticket-machine.js';
export type { DeepPartial } from './sla-policy.js';
