/**
 * The one error type the library throws. `code` is stable (UPPER_SNAKE) and
 * declared once per module in its `error-codes.ts`; every code is listed in
 * `docs/errors.md`. Expected outcomes of a flow (a wrong password, a wrong
 * code) are never thrown: they are states of the flow.
 */
export class HelpdeskError extends Error {
  override readonly name = 'HelpdeskError';
  /** Stable machine-readable code, e.g. `INVALID_INPUT`. */
  readonly code: string;
  /** Structured context: zod issues, the status and command, `retryAfter`, ... */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/**
 * True when `value` is a {@link HelpdeskError}, optionally with the given code. Also recognises
 * errors from another copy of the library (an ESM and a CJS copy loaded side by side).
 */
export function isHelpdeskError(value: unknown, code?: string): value is HelpdeskError {
  const isOne =
    value instanceof HelpdeskError ||
    (value instanceof Error &&
      value.name === 'HelpdeskError' &&
      typeof (value as { code?: unknown }).code === 'string');
  return isOne && (code === undefined || (value as HelpdeskError).code === code);
}

/** A module's error-code table: code → default message. */
export type ErrorCodeTable = Readonly<Record<string, string>>;

/** Declares a module's codes once; `raise` builds an error with the default message. */
export function defineErrorCodes<const T extends ErrorCodeTable>(codes: T) {
  return {
    codes,
    raise(code: keyof T & string, details: Record<string, unknown> = {}, message?: string): HelpdeskError {
      return new HelpdeskError(code, message ?? codes[code] ?? code, details);
    },
  };
}
