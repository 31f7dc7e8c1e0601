// helpdesk-core/http: what a web host needs around the desk, on Web-standard Request/Response
// only (no framework): errors as HTTP answers, browser-safe views, and the mailed links parsed.

export { toHttpError, toHttpResponse } from './http-error.js';
export type { HttpError, HttpErrorBody, HttpErrorOptions } from './http-error.js';
export { HTTP_ERROR_RULES, INTERNAL_ERROR_CODE, INTERNAL_ERROR_MESSAGE } from './error-status.js';
export type { HttpErrorRule } from './error-status.js';
export { requesterTicketView, agentTicketView } from './ticket-views.js';
export type { RequesterTicketView, AgentTicketView, AgentSlaClockView } from './ticket-views.js';
export { browserLoginFlowView, requesterCaseView, agentCaseView } from './flow-views.js';
export type {
  BrowserLoginFlowView,
  BrowserLoginFlowError,
  BrowserLoginFactor,
  RequesterCaseView,
  AgentCaseView,
} from './flow-views.js';
export { parseLink, DEFAULT_LINK_PATHS } from './links.js';
export type { LinkKind, LinkPaths, ParsedLink, ParseLinkOptions } from './links.js';
