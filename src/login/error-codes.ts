import { defineErrorCodes } from '../errors.js';

/**
 * Codes thrown by `desk.login.*` besides the common INVALID_INPUT and CONFIGURATION_INVALID.
 * Wrong credentials, wrong or expired codes and lockouts are not here: they are the flow's
 * outcomes ({@link loginOutcomes}), returned in its view, never thrown.
 */
export const loginErrors = defineErrorCodes({
  FLOW_NOT_FOUND: 'No login flow with that id.',
  FLOW_EXPIRED: 'The login flow has expired; start again.',
  STEP_NOT_ALLOWED: 'This step is not allowed in the current state of the login flow.',
});

/**
 * The expected outcomes of a login step: why the last step did not move the flow forward (or
 * why it ended). They are `error.code` of the flow's view, never thrown; spelled in the same
 * UPPER_SNAKE vocabulary as the thrown codes so a host branches on one kind of code.
 */
export const loginOutcomes = defineErrorCodes({
  /** Also for an unknown identifier: the answer never tells whether the account exists. */
  WRONG_PASSWORD: 'The username or password is wrong.',
  /** Also when no code was sent (an unknown number). */
  WRONG_CODE: 'The code is wrong.',
  /** Only the right code past its lifetime reads as expired. */
  CODE_EXPIRED: 'The code has expired; ask for a new one.',
  ACCOUNT_NOT_ACTIVATED: 'The account is not activated yet; follow the link in the activation mail.',
  ACCOUNT_DISABLED: 'The account is disabled.',
  TEMPORARY_PASSWORD_EXPIRED: 'The temporary password can no longer be used; ask the administrator for a new one.',
  PHONE_REQUIRED: 'Your organisation requires an SMS code, and no phone number is on record.',
  /** `retryAfter`: when the lock ends. */
  LOCKED: 'Too many failed attempts; try again later.',
  TOO_MANY_ATTEMPTS: 'Too many wrong codes; start again.',
  /** `reason`: `too_short`, `too_long`, `equals_identifier`, `too_common`, `equals_temporary`. */
  PASSWORD_REJECTED: 'The new password does not meet the password rules.',
  /** `retryAfter`: when the cooldown ends. */
  RESEND_TOO_SOON: 'Wait a little before asking for a new code.',
  RESEND_LIMIT: 'No more codes can be sent in this login; start again.',
  /** `retryAfter`: when the number's SMS budget frees a slot. */
  SMS_LIMIT: 'Too many SMS were sent to this number; try again later.',
});

/** Why the last step of a login flow did not move on (or why the flow ended): the view's `error.code`. */
export type LoginErrorCode = keyof typeof loginOutcomes.codes;
