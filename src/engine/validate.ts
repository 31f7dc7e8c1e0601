import type { z } from 'zod';
import { commonErrors } from '../errors.js';

/** Parses input with a zod schema; a failure is `INVALID_INPUT` with the zod issues and a readable message. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const summary = issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(input)'}: ${issue.message}`)
    .join('; ');
  throw commonErrors.raise('INVALID_INPUT', { issues }, `Invalid ${what}: ${summary}`);
}
