import type { z } from 'zod';
import { commonErrors } from '../errors.js';
import { safeParseHostile } from './safe-parse.js';

/** Raises CONFIGURATION_INVALID naming the option (`field`, e.g. `policy.outbox.batchSize`). */
export function refuseConfiguration(field: string, message: string): never {
  throw commonErrors.raise('CONFIGURATION_INVALID', { field }, message);
}

/**
 * Parses an option with a zod schema; a failure is CONFIGURATION_INVALID naming the field of the
 * first issue below `field` (an unknown key is named itself, e.g. `worker.intervalMs`), with `hint`
 * (when given) saying what is expected. The value itself is never echoed: it may be a secret.
 * Shared by `createHelpdesk`'s checks, the worker's and the factor policy's.
 */
export function parseConfiguration<S extends z.ZodType>(
  schema: S,
  value: unknown,
  field: string,
  hint?: string,
): z.output<S> {
  const parsed = safeParseHostile(schema, value);
  if (parsed.success) return parsed.data as z.output<S>;
  const issue = parsed.error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const at = [field, ...path.map(String)].join('.');
  return refuseConfiguration(at, hint === undefined ? `${at}: ${issue.message}` : `${at}: ${issue.message} (${hint}).`);
}

/** `defaults` with every field `overrides` gives; a field given as `undefined` keeps its default. */
export function withDefaults<T extends object>(defaults: T, overrides: Partial<T>): T {
  const out = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
