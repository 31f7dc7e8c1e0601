import type { Json } from '../ports/json.js';
import { SLA_METRICS } from './sla-policy.js';
import type { TicketContext, TicketEvent, TicketTimingPolicy } from './ticket-machine.js';

/**
 * The timer events due on a ticket at `now`, earliest first, each with its due time and detail.
 * Each event is dated at its due time, not at `now`: a sweep that runs late records what happened
 * when it happened (solved at 72:00, closed 28 days after that), so a late sweep changes no
 * outcome and a chain of deadlines comes out right in one run.
 * A reminder is pointless once the auto-resolve itself is due, and an SLA warning once the breach is.
 */
export function dueTimers(
  ctx: TicketContext,
  now: number,
  policy: TicketTimingPolicy,
): Array<[number, TicketEvent, Record<string, Json>]> {
  type Timer = { type: 'timer.reminder' | 'timer.autoResolve' | 'timer.close' | 'timer.survey' };
  type SlaTimer = { type: 'timer.slaWarning' | 'timer.slaBreach'; metric: (typeof SLA_METRICS)[number] };
  const candidates: Array<[number | null, Timer | SlaTimer, Record<string, Json>]> = [
    // A reminder is pointless once the auto-resolve itself is due; likewise an SLA warning once breached.
    [ctx.autoResolveAt !== null && ctx.autoResolveAt <= now ? null : ctx.reminderAt, { type: 'timer.reminder' }, {}],
    [ctx.autoResolveAt, { type: 'timer.autoResolve' }, {}],
    [ctx.closeAt, { type: 'timer.close' }, {}],
    [ctx.surveyAt ?? null, { type: 'timer.survey' }, {}],
  ];
  for (const metric of SLA_METRICS) {
    const clock = ctx.sla[metric];
    if (!clock || clock.paused || clock.fulfilledAt !== null || clock.breachedAt !== null) continue;
    const breachDue = clock.dueAt !== null && clock.dueAt <= now;
    // A warning due with the breach (`warnBefore: 0`, "at the breach") still fires, just before it.
    const warnsAtBreach = clock.warnAt !== null && clock.warnAt === clock.dueAt;
    // The warning's detail names the breach it warns of (`breachAt`: the target's due time).
    if (!breachDue || warnsAtBreach)
      candidates.push([clock.warnAt, { type: 'timer.slaWarning', metric }, { metric, breachAt: clock.dueAt }]);
    candidates.push([clock.dueAt, { type: 'timer.slaBreach', metric }, { metric }]);
  }
  return candidates
    .filter((c): c is [number, Timer | SlaTimer, Record<string, Json>] => c[0] !== null && c[0] <= now)
    .sort((a, b) => a[0] - b[0])
    .map(([dueAt, timer, data]) => [dueAt, { ...timer, at: dueAt, policy } as TicketEvent, data]);
}

/** Whether one of the `only` deadlines is due on the ticket at `now` (a command's catch-up has work). */
export function isDue(
  ctx: TicketContext,
  now: number,
  policy: TicketTimingPolicy,
  only: ReadonlySet<TicketEvent['type']>,
): boolean {
  return dueTimers(ctx, now, policy).some(([, event]) => only.has(event.type));
}

/** One step of a ticket: the next state, its history entry and mails (`apply` in `service.ts`). */
type StepTicket<T> = (ticket: T, event: TicketEvent, data: Record<string, Json>) => T;

/**
 * Fires the ticket's due deadlines, earliest first, each dated at its due time. With `only` (a
 * command's catch-up) it fires nothing unless one of those events is due, and then everything due
 * up to the last of them. Stops after 12: a chain is at most a few long.
 */
export function fireDue<T extends { snapshot: { context: TicketContext } }>(
  ticket: T,
  now: number,
  policy: TicketTimingPolicy,
  step: StepTicket<T>,
  only?: ReadonlySet<TicketEvent['type']>,
): { ticket: T; fired: Array<[number, TicketEvent, Record<string, Json>]> } {
  const fired: Array<[number, TicketEvent, Record<string, Json>]> = [];
  for (let i = 0; i < 12; i++) {
    const list = dueTimers(ticket.snapshot.context, now, policy);
    // A catch-up fires once one of its deadlines is due, and then every deadline due before it
    // too, in order: the sweep would have (a survey due a day after the solve goes out before the
    // close 28 days later, not lost to it).
    const due = !only || list.some(([, e]) => only.has(e.type)) ? list[0] : undefined;
    if (!due) break;
    const [dueAt, event, data] = due;
    ticket = step(ticket, event, { dueAt, ...data });
    fired.push(due);
  }
  return { ticket, fired };
}
