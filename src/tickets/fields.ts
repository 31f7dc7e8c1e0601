import { z } from 'zod';
import { toJson } from '../_lib/json.js';
import { safeParseHostile } from '../_lib/safe-parse.js';
import { commonErrors, isHelpdeskError } from '../errors.js';
import type { Json } from '../ports/json.js';
import { driverSchema, vehicleSchema } from './content.js';

// The host's own ticket fields (`createHelpdesk({ tickets: { fields } })`). The schema is the
// host's, so what it outputs is checked again here: only plain JSON is stored.

/**
 * The default field set: the fleet fields of the Dutch source (driver, vehicle). Unknown keys are
 * refused. The same facts may still come as `content.driver` / `content.vehicle` (kept for
 * existing hosts); `fields` is where a host's own set lives.
 */
export const fleetFieldsSchema = z.strictObject({
  /** The affected driver: a name and/or a link to the driver's record. */
  driver: driverSchema.optional(),
  /** The affected vehicle: VIN, year, make, model and/or a link to its record. */
  vehicle: vehicleSchema.optional(),
});

/** The parsed default fields. */
export type FleetFields = z.output<typeof fleetFieldsSchema>;

/** A ticket's stored fields must stay small: they are loaded with every command on the ticket. */
export const MAX_FIELDS_BYTES = 16_384;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function invalidFields(path: string, message: string, issues: unknown[] = []) {
  return commonErrors.raise('INVALID_INPUT', { field: path, issues }, `Invalid fields: ${path}: ${message}`);
}

/** Refuses a key that could reach an object's prototype when the stored JSON is read back. */
function checkKeys(value: unknown, path: string, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 64) return;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) throw invalidFields(`${path}.${key}`, 'this key is not allowed.');
    checkKeys((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
  }
}

/**
 * Parses a ticket's fields with the host's schema (default {@link fleetFieldsSchema}) and checks
 * the output is plain JSON of at most {@link MAX_FIELDS_BYTES}. INVALID_INPUT naming the field
 * (`details.field`, e.g. `fields.vehicle.vin`) otherwise. Whether unknown keys are stripped or
 * refused is the schema's choice (`z.object` strips, `z.strictObject` refuses).
 */
export function parseTicketFields(schema: z.ZodType, input: unknown): Record<string, Json> {
  let result: ReturnType<typeof safeParseHostile>;
  try {
    result = safeParseHostile(schema, input ?? {});
  } catch (error) {
    // A host refinement or transform that throws is the host's bug; it reads as a refused value.
    if (isHelpdeskError(error)) throw error;
    throw invalidFields('fields', 'the host schema refused the value.');
  }
  if (!result.success) {
    const issues = result.error.issues;
    const first = issues[0];
    const path = ['fields', ...(first?.path ?? []).map(String)].join('.');
    throw invalidFields(path, first?.message ?? 'invalid', issues);
  }
  const output: unknown = result.data;
  if (output === null || typeof output !== 'object' || Array.isArray(output))
    throw invalidFields('fields', 'the host schema must output an object.');
  checkKeys(output, 'fields');
  let json: Json;
  try {
    json = toJson(output, '$fields');
  } catch (error) {
    const path = isHelpdeskError(error) ? String((error.details as { path?: unknown }).path ?? 'fields') : 'fields';
    throw invalidFields(path.replace(/^\$/, ''), 'not plain JSON (a date, a function, a class instance …).');
  }
  if (JSON.stringify(json).length > MAX_FIELDS_BYTES)
    throw invalidFields('fields', `more than ${MAX_FIELDS_BYTES} characters of JSON.`);
  return json as Record<string, Json>;
}
