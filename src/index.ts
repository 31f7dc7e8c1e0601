// helpdesk-core — the public entry point. What is not listed here (or in a subpath entry) is internal.
export { createHelpdesk } from './helpdesk.js';
export type { Helpdesk, HelpdeskOptions, HelpdeskPolicy } from './helpdesk.js';
export { HelpdeskError, isHelpdeskError } from './errors.js';
export { engineErrors } from './engine/error-codes.js';
export type { DispatchResult, OutboxPolicy } from './engine/dispatcher.js';
export type { SweepOptions, SweepResult, FiredTimer } from './engine/timers.js';
export { LOCALES, DEFAULT_LOCALE } from './messages/locales.js';
export type { Locale } from './messages/locales.js';
export { systemClock } from './ports/clock.js';
export { webCryptoRandom } from './ports/random-source.js';
export { createPbkdf2Hasher } from './security/pbkdf2-hasher.js';
export type { Pbkdf2HasherOptions } from './security/pbkdf2-hasher.js';
export type * from './ports/index.js';
export type { TicketService, SubmitResult, TicketPage } from './tickets/ticket-service.js';
export type { TicketView } from './tickets/records.js';
export type { TicketStatus } from './tickets/ticket-machine.js';
export type { Priority } from './tickets/priorities.js';
export type { Channel } from './tickets/channels.js';
