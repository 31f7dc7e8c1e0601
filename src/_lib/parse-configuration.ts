import type { z } from 'zod';
import { commonErrors, HelpdeskError } from '../errors.js';
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
  return refuseIssue(field, parsed.error.issues[0]!, hint);
}

/** The zod issue a refusal names: where it is below `field`, and what is wrong (never the value). */
interface Issue {
  readonly code?: unknown;
  readonly path?: readonly PropertyKey[];
  readonly keys?: readonly string[];
  readonly message?: unknown;
}

function refuseIssue(field: string, issue: Issue, hint?: string): never {
  const path = issue.path ?? [];
  const named = issue.code === 'unrecognized_keys' && issue.keys?.[0] !== undefined ? [...path, issue.keys[0]] : path;
  const at = [field, ...named.map(String)].join('.');
  const what = typeof issue.message === 'string' ? issue.message : 'invalid value';
  return refuseConfiguration(at, hint === undefined ? `${at}: ${what}` : `${at}: ${what} (${hint}).`);
}

/**
 * Runs a policy section's resolver (`resolveTicketPolicy`, ...), which refuses bad overrides with
 * INVALID_INPUT as a public function, and refuses them at `createHelpdesk` with CONFIGURATION_INVALID
 * naming the field below `field` instead (`policy.tickets.autoResolveAfter`), as every other option is.
 */
export function asConfiguration<T>(field: string, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (!(error instanceof HelpdeskError) || error.code !== 'INVALID_INPUT') throw error;
    const issues = error.details['issues'];
    const first: unknown = Array.isArray(issues) ? issues[0] : undefined;
    return refuseIssue(field, typeof first === 'object' && first !== null ? (first as Issue) : {});
  }
}

/** `defaults` with every field `overrides` gives; a field given as `undefined` keeps its default. */
export function withDefaults<T extends object>(defaults: T, overrides: Partial<T>): T {
  const out = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
