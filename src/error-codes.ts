import { accountErrors } from './accounts/error-codes.js';
import { postgresErrors } from './adapters/postgres/error-codes.js';
import { commonErrors, isHelpdeskError as isAnyHelpdeskError, type HelpdeskError } from './errors.js';
import { loginErrors, loginOutcomes } from './login/error-codes.js';
import { recoveryErrors } from './recovery/error-codes.js';
import { ticketErrors } from './tickets/error-codes.js';
import { sessionErrors } from './sessions/error-codes.js';
import { privacyErrors } from './privacy/error-codes.js';

/**
 * Every error code of the library, by module: the one vocabulary of thrown errors and of the
 * expected outcomes a flow returns. `docs/errors.md` lists each (a test holds it to this table).
 */
export const ERROR_CODES = {
  common: commonErrors.codes,
  tickets: ticketErrors.codes,
  accounts: accountErrors.codes,
  login: loginErrors.codes,
  loginOutcomes: loginOutcomes.codes,
  recovery: recoveryErrors.codes,
  postgres: postgresErrors.codes,
  sessions: sessionErrors.codes,
  privacy: privacyErrors.codes,
} as const;

/** Any code the library raises or returns. */
export type HelpdeskErrorCode = {
  [M in keyof typeof ERROR_CODES]: keyof (typeof ERROR_CODES)[M] & string;
}[keyof typeof ERROR_CODES];

/**
 * True when `value` is a {@link HelpdeskError}, optionally with the given code, which narrows
 * `value.code`. Also recognises errors from another copy of the library (an ESM and a CJS copy
 * loaded side by side).
 *
 * ```ts
 * if (isHelpdeskError(e, 'RATE_LIMITED')) retryAt(Number(e.details.retryAfter)); // `details` values are `unknown`
 * ```
 */
export const isHelpdeskError: <C extends HelpdeskErrorCode = HelpdeskErrorCode>(
  value: unknown,
  code?: C,
) => value is HelpdeskError<C> = isAnyHelpdeskError;
