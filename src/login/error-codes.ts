import { defineErrorCodes } from '../errors.js';

/**
 * Codes thrown by `desk.login.*` besides the engine's INVALID_INPUT and CONFIGURATION_INVALID.
 * Wrong credentials, wrong or expired codes and lockouts are not here: they are states and
 * errors of the flow's view, never exceptions.
 */
export const loginErrors = defineErrorCodes({
  FLOW_NOT_FOUND: 'No login flow with that id.',
  FLOW_EXPIRED: 'The login flow has expired; start again.',
  STEP_NOT_ALLOWED: 'This step is not allowed in the current state of the login flow.',
});
