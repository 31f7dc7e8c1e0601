// The sessions module: what `createHelpdesk` and tests outside this folder import.
import { DEVICE_KIND } from './devices.js';
import { STEP_UP_LINK_KIND } from './login-intent.js';
import { SESSION_KIND } from './session-record.js';

export { createSessionService, type SessionModule } from './service.js';
export type { SessionService, SessionView } from './session-service.js';
export { sessionErrors } from './error-codes.js';
export { defaultSessionPolicy, resolveSessionPolicy } from './policy.js';
export type { SessionPolicy, SessionPolicyOverrides } from './policy.js';
export type { SessionGrant } from './issuer.js';
export type { DeviceGrant, DeviceView } from './devices.js';
export { SESSION_KIND, DEVICE_KIND, STEP_UP_LINK_KIND };

/** Every record kind the sessions module writes. */
export const SESSION_RECORD_KINDS = [SESSION_KIND, DEVICE_KIND, STEP_UP_LINK_KIND] as const;
