import type { z } from 'zod';
import { isHelpdeskError } from '../errors.js';

/** The most issues a refusal carries: a million wrong entries are not a million issues in `details`. */
export const MAX_ISSUES = 20;

/**
 * `schema.safeParse(input)`, except that zod itself throwing on a hostile value (zod 4 still runs
 * a length check on `{ length: Object.create(null) }`, and the comparison throws a TypeError; a
 * revoked Proxy throws when zod describes it) reads as a failed parse with one issue, so callers
 * answer INVALID_INPUT instead of leaking a raw error. A schema's own refusal (a HelpdeskError
 * raised in a refinement) passes through.
 *
 * A failure's issues are read here, inside the guard (zod 4 builds them lazily), at most
 * {@link MAX_ISSUES}, and without the `input` an issue may hold: a refusal must never echo a
 * password, code or token given next to the wrong value.
 */
export function safeParseHostile<S extends z.ZodType>(schema: S, input: unknown): ReturnType<S['safeParse']> {
  try {
    const result = schema.safeParse(input);
    if (result.success) return result as ReturnType<S['safeParse']>;
    const issues = result.error.issues.slice(0, MAX_ISSUES).map(withoutInput);
    return { success: false, error: { issues } } as unknown as ReturnType<S['safeParse']>;
  } catch (error) {
    if (isHelpdeskError(error)) throw error;
    const issues = [{ code: 'custom', path: [], message: 'Expected a value of the documented shape.' }];
    return { success: false, error: { issues } } as unknown as ReturnType<S['safeParse']>;
  }
}

/** The issue without the value it was about (and its nested issues likewise, for unions). */
function withoutInput(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  const { input: _input, ...rest } = issue as z.core.$ZodIssue & { input?: unknown };
  const nested = (rest as { errors?: z.core.$ZodIssue[][] }).errors;
  const path = rest.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
  return (
    nested
      ? { ...rest, path, errors: nested.map((list) => list.slice(0, MAX_ISSUES).map(withoutInput)) }
      : { ...rest, path }
  ) as z.core.$ZodIssue;
}
