import { defineErrorCodes } from '../errors.js';

/** Codes of `desk.recovery.*` besides the engine's INVALID_INPUT, TRANSITION_NOT_ALLOWED and VERSION_CONFLICT. */
export const recoveryErrors = defineErrorCodes({
  RECOVERY_NOT_FOUND: 'No recovery case with that id.',
  RECOVERY_FORBIDDEN:
    'You cannot act on this recovery case: the ticket, the cancel link or the account does not match.',
  SECOND_AGENT_REQUIRED:
    "A main administrator's recovery needs the approval of a second agent, not the one who accepted the evidence.",
});
