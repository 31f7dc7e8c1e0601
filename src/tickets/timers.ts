import type { Json } from '../ports/json.js';
import { SLA_METRICS } from './sla-policy.js';
import type { TicketContext, TicketEvent, TicketTimingPolicy } from './ticket-machine.js';

/**
 * The timer events due on a ticket at `now`, earliest first, each with its due time and detail.
 * A reminder is pointless once the auto-resolve itself is due, and an SLA warning once the breach is.
 */
export function dueTimers(
  ctx: TicketContext,
  now: number,
  policy: TicketTimingPolicy,
): Array<[number, TicketEvent, Record<string, Json>]> {
  const base = { at: now, policy };
  const candidates: Array<[number | null, TicketEvent, Record<string, Json>]> = [
    // A reminder is pointless once the auto-resolve itself is due; likewise an SLA warning once breached.
    [
      ctx.autoResolveAt !== null && ctx.autoResolveAt <= now ? null : ctx.reminderAt,
      { type: 'timer.reminder', ...base },
      {},
    ],
    [ctx.autoResolveAt, { type: 'timer.autoResolve', ...base }, {}],
    [ctx.closeAt, { type: 'timer.close', ...base }, {}],
    [ctx.surveyAt ?? null, { type: 'timer.survey', ...base }, {}],
  ];
  for (const metric of SLA_METRICS) {
    const clock = ctx.sla[metric];
    if (!clock || clock.paused || clock.fulfilledAt !== null || clock.breachedAt !== null) continue;
    const breachDue = clock.dueAt !== null && clock.dueAt <= now;
    if (!breachDue) candidates.push([clock.warnAt, { type: 'timer.slaWarning', metric, ...base }, { metric }]);
    candidates.push([clock.dueAt, { type: 'timer.slaBreach', metric, ...base }, { metric }]);
  }
  return candidates
    .filter((c): c is [number, TicketEvent, Record<string, Json>] => c[0] !== null && c[0] <= now)
    .sort((a, b) => a[0] - b[0]);
}
