import type { z } from 'zod';
import { commonErrors, isHelpdeskError } from '../errors.js';

/** Parses input with a zod schema; a failure is `INVALID_INPUT` with the zod issues and a readable message. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  let result: ReturnType<S['safeParse']>;
  try {
    result = schema.safeParse(input) as ReturnType<S['safeParse']>;
  } catch (error) {
    // A schema's own refusal (a HelpdeskError raised in a refinement) passes through. Anything
    // else is zod tripping over a hostile value after its type check failed (e.g. zod 4 still runs
    // a length check on `{ length: Object.create(null) }`, whose comparison throws a TypeError):
    // the input is invalid, and the caller gets INVALID_INPUT, never a raw error.
    if (isHelpdeskError(error)) throw error;
    const message = 'Expected a value of the documented shape.';
    throw commonErrors.raise(
      'INVALID_INPUT',
      { issues: [{ code: 'custom', path: [], message }] },
      `Invalid ${what}: ${message}`,
    );
  }
  if (result.success) return result.data as z.output<S>;
  const issues = result.error.issues;
  const summary = issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(input)'}: ${issue.message}`)
    .join('; ');
  throw commonErrors.raise('INVALID_INPUT', { issues }, `Invalid ${what}: ${summary}`);
}
