import type { z } from 'zod';
import { isHelpdeskError } from '../errors.js';

/**
 * `schema.safeParse(input)`, except that zod itself throwing on a hostile value after its type
 * check failed (zod 4 still runs a length check on `{ length: Object.create(null) }`, and the
 * comparison throws a TypeError) reads as a failed parse with one issue, so callers answer
 * INVALID_INPUT instead of leaking a raw error. A schema's own refusal (a HelpdeskError raised in
 * a refinement) passes through.
 */
export function safeParseHostile<S extends z.ZodType>(schema: S, input: unknown): ReturnType<S['safeParse']> {
  try {
    return schema.safeParse(input) as ReturnType<S['safeParse']>;
  } catch (error) {
    if (isHelpdeskError(error)) throw error;
    const issues = [{ code: 'custom', path: [], message: 'Expected a value of the documented shape.', input }];
    return { success: false, error: { issues } } as unknown as ReturnType<S['safeParse']>;
  }
}
