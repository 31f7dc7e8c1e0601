import { z } from 'zod';
import { parseInput } from '../engine/validate.js';
import { commonErrors, HelpdeskError } from '../errors.js';
import type { Json } from '../ports/json.js';
import { defaultSlaPolicy, resolveSlaPolicy, type DeepPartial, type SlaPolicy } from './sla-policy.js';
import type { TicketTimingPolicy } from './ticket-machine.js';
import type { StatusNoticePolicy, SurveyPolicy } from './people.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Ticket rules that a host may override through `createHelpdesk({ policy: { tickets } })`. */
export interface TicketPolicy extends TicketTimingPolicy {
  /**
   * The first ticket number; later ones count up from it. Default 10001. Set it before the first
   * ticket, or only raise it: lowered on a store with tickets, numbers are given out again.
   */
  firstTicketNumber: number;
  /** Which status notices the requester and followers get. Default: all of them. */
  notices: StatusNoticePolicy;
  /** The satisfaction survey after solving. Default: off, 24 h after solving when on. */
  survey: SurveyPolicy;
}

/** The defaults, from the Dutch source (72 h, calendar hours); docs/tickets.md, "Policy". */
export const defaultTicketPolicy: Readonly<TicketPolicy> = Object.freeze({
  autoResolveAfter: 72 * HOUR,
  autoResolveClock: 'calendar',
  reminderBefore: 24 * HOUR,
  closeSolvedAfter: 28 * DAY,
  firstTicketNumber: 10001,
  sla: defaultSlaPolicy,
  notices: Object.freeze({ solved: true, onHold: true, resumed: true, reopened: true }),
  survey: Object.freeze({ enabled: false, delay: 24 * HOUR }),
});

const duration = z.number().int().positive().finite();

/** The JSON shape of `policy.tickets`: every field optional; unknown keys are refused. */
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
  /** Switches each status notice to the requester and followers; each default true. */
  notices: z
    .strictObject({
      solved: z.boolean().optional(),
      onHold: z.boolean().optional(),
      resumed: z.boolean().optional(),
      reopened: z.boolean().optional(),
    })
    .optional(),
  /** The satisfaction survey: off by default; `delay` after solving (default 24 h). */
  survey: z.strictObject({ enabled: z.boolean().optional(), delay: duration.optional() }).optional(),
});

/** What a host may override in `policy.tickets` (the SLA part deeply partial). */
export type TicketPolicyOverrides = Omit<z.input<typeof ticketPolicySchema>, 'sla'> & { sla?: DeepPartial<SlaPolicy> };

/** Merges overrides over the defaults; bad values are `INVALID_INPUT`. */
export function resolveTicketPolicy(overrides: unknown = {}): TicketPolicy {
  const parsed = parseInput(ticketPolicySchema, overrides, 'ticket policy');
  const merged: TicketPolicy = { ...defaultTicketPolicy };
  for (const [key, value] of Object.entries(parsed)) {
    if (value !== undefined && key !== 'sla' && key !== 'notices' && key !== 'survey')
      Object.assign(merged, { [key]: value });
  }
  // Partial switches merge over the defaults, so `{ notices: { onHold: false } }` keeps the rest on.
  if (parsed.notices) merged.notices = { ...defaultTicketPolicy.notices, ...definedOf(parsed.notices) };
  if (parsed.survey) merged.survey = { ...defaultTicketPolicy.survey, ...definedOf(parsed.survey) };
  if (parsed.sla !== undefined) merged.sla = underSla(() => resolveSlaPolicy(parsed.sla as DeepPartial<SlaPolicy>));
  return merged;
}

/** Runs the SLA resolver with its issues' paths under `sla`, so a refusal names `policy.tickets.sla.…`. */
function underSla<T>(resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    const issues = error instanceof HelpdeskError ? error.details['issues'] : undefined;
    if (!Array.isArray(issues)) throw error;
    const under = issues.map((issue: { path?: unknown }) => ({
      ...issue,
      path: ['sla', ...(Array.isArray(issue.path) ? (issue.path as unknown[]) : [])],
    }));
    throw commonErrors.raise('INVALID_INPUT', { issues: under as Json }, (error as Error).message);
  }
}

function definedOf<T extends object>(value: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
