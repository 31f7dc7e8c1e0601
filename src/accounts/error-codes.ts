import { defineErrorCodes } from '../errors.js';
import type { SecretOutcome } from '../security/secret-machine.js';

/**
 * Codes of `desk.accounts.*` besides the engine's INVALID_INPUT and CONFIGURATION_INVALID.
 * The TOKEN_* codes are returned in outcomes (`{ ok: false, code }`), not thrown: an expired
 * link is a state of the flow. They are listed here so `docs/errors.md` has every code.
 */
export const accountErrors = defineErrorCodes({
  ACCOUNT_NOT_FOUND: 'No account with that id or login.',
  ORGANIZATION_NOT_FOUND: 'No organisation with that id or name.',
  ORGANIZATION_EXISTS: 'An organisation with that name already exists.',
  USERNAME_TAKEN: 'That login is already in use in this organisation.',
  PHONE_NOT_FOUND: 'That phone number is not registered.',
  PHONE_ALREADY_REGISTERED: 'That phone number is already registered.',
  PERMISSION_DENIED: 'You do not have the permission for this.',
  SECOND_FACTOR_REQUIRED: 'This change needs a recent confirmation with a second factor.',
  MAIN_ADMIN_REQUIRED: 'An organisation must always keep its main administrator.',
  TOKEN_EXPIRED: 'The link or code has expired; request a new one.',
  TOKEN_USED: 'The link or code was already used; request a new one.',
  TOKEN_INVALID: 'The link or code is not valid.',
  TOO_MANY_ATTEMPTS: 'Too many wrong codes; request a new one.',
});

/** Why a link token or one-time code was refused, as returned in an outcome. */
export type TokenFailureCode = 'TOKEN_EXPIRED' | 'TOKEN_USED' | 'TOKEN_INVALID' | 'TOO_MANY_ATTEMPTS';

/** A refused token or code: a state of the flow, returned to the caller. */
export interface TokenFailure {
  ok: false;
  code: TokenFailureCode;
  message: string;
}

/** The outcome for a refused token or code, with the table's message. */
export function tokenFailure(code: TokenFailureCode): TokenFailure {
  return { ok: false, code, message: accountErrors.codes[code] };
}

/** The outcome for a secret the secret machine refused (`invalid` and `superseded` both read TOKEN_INVALID). */
export function tokenFailureOf(outcome: Exclude<SecretOutcome, 'accepted'>): TokenFailure {
  switch (outcome) {
    case 'expired':
      return tokenFailure('TOKEN_EXPIRED');
    case 'used':
      return tokenFailure('TOKEN_USED');
    case 'too_many_attempts':
      return tokenFailure('TOO_MANY_ATTEMPTS');
    default:
      return tokenFailure('TOKEN_INVALID');
  }
}
