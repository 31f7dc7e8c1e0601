import type { z } from 'zod';
import { safeParseHostile } from '../_lib/safe-parse.js';
import { commonErrors } from '../errors.js';

/** Parses input with a zod schema; a failure is `INVALID_INPUT` with the zod issues and a readable message. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  // Hostile values on which zod itself throws read as a failed parse (see safeParseHostile).
  const result = safeParseHostile(schema, input);
  if (result.success) return result.data as z.output<S>;
  const issues = result.error.issues;
  const summary = issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(input)'}: ${issue.message}`)
    .join('; ');
  throw commonErrors.raise('INVALID_INPUT', { issues }, `Invalid ${what}: ${summary}`);
}
