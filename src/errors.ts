/**
 * The one error type the library throws. `code` is stable (UPPER_SNAKE) and declared once per
 * module in its `error-codes.ts`; the union of every module's codes is `HelpdeskErrorCode`
 * (`src/error-codes.ts`), and `docs/errors.md` lists each one (a test holds it to the tables).
 * Expected outcomes of a flow (a wrong password, a wrong code) are never thrown: they are states
 * of the flow, spelled with codes from the same tables.
 */
export class HelpdeskError<C extends string = string> extends Error {
  override readonly name = 'HelpdeskError';
  /** Stable machine-readable code, e.g. `INVALID_INPUT`. */
  readonly code: C;
  /** Structured context: zod issues, the status and command, `retryAfter`, ... */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: C, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/** A module's error-code table: code → default message. */
export type ErrorCodeTable = Readonly<Record<string, string>>;

/** What `defineErrorCodes` returns: the table, and `raise` to build an error from it. */
export interface ErrorCodes<T extends ErrorCodeTable> {
  /** The module's codes, each with its default message. */
  readonly codes: T;
  /** Builds (does not throw) an error with `code`; `message` defaults to the code's message in `codes`. */
  raise<C extends keyof T & string>(code: C, details?: Record<string, unknown>, message?: string): HelpdeskError<C>;
}

/** Declares a module's codes once; `raise` builds an error with the default message. */
export function defineErrorCodes<const T extends ErrorCodeTable>(codes: T): ErrorCodes<T> {
  return {
    codes,
    raise(code, details = {}, message) {
      return new HelpdeskError(code, message ?? codes[code] ?? code, details);
    },
  };
}

/**
 * Codes every module shares. They live here, not in the engine, so leaf modules (calendar,
 * messages, schemas) raise them without importing the command engine.
 */
export const commonErrors = defineErrorCodes({
  INVALID_INPUT: 'The input does not match the expected shape.',
  VERSION_CONFLICT: 'The record kept changing under concurrent writers; the command was not applied.',
  TRANSITION_NOT_ALLOWED: 'The command is not allowed in the current state.',
  NOT_FOUND: 'No such record.',
  RATE_LIMITED: 'Too many requests; try again later.',
  NON_JSON_STATE: 'A snapshot holds a value that is not plain JSON.',
  CONFIGURATION_INVALID: 'The helpdesk configuration is invalid.',
});

/**
 * True when `value` is a {@link HelpdeskError}, optionally with the given code (which narrows
 * `code`). Also recognises errors from another copy of the library (an ESM and a CJS copy loaded
 * side by side). The public export (`src/error-codes.ts`) is the same function, typed so that
 * `code` must be one of the library's codes.
 */
export function isHelpdeskError<C extends string = string>(value: unknown, code?: C): value is HelpdeskError<C> {
  const isOne =
    value instanceof HelpdeskError ||
    (value instanceof Error &&
      value.name === 'HelpdeskError' &&
      typeof (value as { code?: unknown }).code === 'string');
  return isOne && (code === undefined || (value as HelpdeskError).code === code);
}
