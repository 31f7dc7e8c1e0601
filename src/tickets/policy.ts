import { z } from 'zod';
import { parseInput } from '../engine/validate.js';
import type { TicketTimingPolicy } from './ticket-machine.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Ticket rules that a host may override through `createHelpdesk({ policy: { tickets } })`. */
export interface TicketPolicy extends TicketTimingPolicy {
  /** The first ticket number; later ones count up from it. Default 10001. */
  firstTicketNumber: number;
}

/** The defaults, from the Dutch source (72 h) and DESIGN §4. */
export const defaultTicketPolicy: Readonly<TicketPolicy> = Object.freeze({
  autoResolveAfter: 72 * HOUR,
  reminderBefore: 24 * HOUR,
  closeSolvedAfter: 28 * DAY,
  firstTicketNumber: 10001,
});

const duration = z.number().int().positive().finite();

export const ticketPolicySchema = z.strictObject({
  autoResolveAfter: duration.optional(),
  reminderBefore: duration.nullable().optional(),
  closeSolvedAfter: duration.nullable().optional(),
  firstTicketNumber: z
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER / 2)
    .optional(),
});

export type TicketPolicyOverrides = z.input<typeof ticketPolicySchema>;

/** Merges overrides over the defaults; bad values are `INVALID_INPUT`. */
export function resolveTicketPolicy(overrides: unknown = {}): TicketPolicy {
  const parsed = parseInput(ticketPolicySchema, overrides, 'ticket policy');
  const merged = { ...defaultTicketPolicy };
  for (const [key, value] of Object.entries(parsed)) if (value !== undefined) Object.assign(merged, { [key]: value });
  return merged;
}
