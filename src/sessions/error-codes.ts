import { defineErrorCodes } from '../errors.js';

/**
 * Codes of `desk.sessions.*` besides the common INVALID_INPUT. SESSION_INVALID is one answer
 * for a forged, rewritten, expired, revoked or unknown token, so a caller learns nothing about
 * which sessions exist.
 */
export const sessionErrors = defineErrorCodes({
  SESSION_INVALID: 'The session is not valid; sign in again.',
  SESSION_NOT_FOUND: 'No session with that id for this user.',
});

/** SESSION_INVALID, with no detail of why. */
export const sessionInvalid = () => sessionErrors.raise('SESSION_INVALID', {}, sessionErrors.codes.SESSION_INVALID);
