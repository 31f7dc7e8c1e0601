import { z } from 'zod';
import { parseInput } from '../engine/validate.js';
import { defaultSlaPolicy, resolveSlaPolicy, type DeepPartial, type SlaPolicy } from './sla-policy.js';
import type { TicketTimingPolicy } from './ticket-machine.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Ticket rules that a host may override through `createHelpdesk({ policy: { tickets } })`. */
export interface TicketPolicy extends TicketTimingPolicy {
  /** The first ticket number; later ones count up from it. Default 10001. */
  firstTicketNumber: number;
}

/** The defaults, from the Dutch source (72 h, calendar hours) and DESIGN §4. */
export const defaultTicketPolicy: Readonly<TicketPolicy> = Object.freeze({
  autoResolveAfter: 72 * HOUR,
  autoResolveClock: 'calendar',
  reminderBefore: 24 * HOUR,
  closeSolvedAfter: 28 * DAY,
  firstTicketNumber: 10001,
  sla: defaultSlaPolicy,
});

const duration = z.number().int().positive().finite();

export const ticketPolicySchema = z.strictObject({
  autoResolveAfter: duration.optional(),
  autoResolveClock: z.enum(['calendar', 'business']).optional(),
  reminderBefore: duration.nullable().optional(),
  closeSolvedAfter: duration.nullable().optional(),
  firstTicketNumber: z
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER / 2)
    .optional(),
  /** Merged over the default SLA policy (see docs/sla.md). */
  sla: z.record(z.string(), z.unknown()).optional(),
});

export type TicketPolicyOverrides = Omit<z.input<typeof ticketPolicySchema>, 'sla'> & { sla?: DeepPartial<SlaPolicy> };

/** Merges overrides over the defaults; bad values are `INVALID_INPUT`. */
export function resolveTicketPolicy(overrides: unknown = {}): TicketPolicy {
  const parsed = parseInput(ticketPolicySchema, overrides, 'ticket policy');
  const merged: TicketPolicy = { ...defaultTicketPolicy };
  for (const [key, value] of Object.entries(parsed)) {
    if (value !== undefined && key !== 'sla') Object.assign(merged, { [key]: value });
  }
  if (parsed.sla !== undefined) merged.sla = resolveSlaPolicy(parsed.sla as DeepPartial<SlaPolicy>);
  return merged;
}
