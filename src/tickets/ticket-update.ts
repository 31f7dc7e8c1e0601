import type { z } from 'zod';
import type { CoreDeps } from '../engine/deps.js';
import { runCommand } from '../engine/unit-of-work.js';
import { parseInput } from '../engine/validate.js';
import type { BusinessCalendar } from '../calendar/index.js';
import type { Json } from '../ports/json.js';
import { acting, requireSee, requireSupport } from './access.js';
import { parseTicketFields } from './fields.js';
import type { GuestAccess } from './guest-access.js';
import type { TicketPolicy } from './policy.js';
import { committedView, ticketAggregate, type CatchUp, type TicketView } from './records.js';
import { updateTicketSchema, type UpdateTicketInput } from './schemas.js';
import type { TicketShapeChange, TicketStatus } from './ticket-machine.js';

/**
 * `desk.tickets.update`: an agent (or the host) moves a ticket to another group, replaces its
 * tags or changes the host's fields. One machine event (`update`: refused on a closed ticket) and
 * one history entry `ticket.update` naming what changed, from what to what.
 */
export function createTicketUpdate(
  deps: CoreDeps,
  policy: TicketPolicy,
  fieldsSchema: z.ZodType,
  guests: GuestAccess | null,
  catchUp: CatchUp,
) {
  const calendar: BusinessCalendar = policy.sla.calendar;
  return async function update(input: UpdateTicketInput): Promise<TicketView> {
    const p = parseInput(updateTicketSchema, input, 'ticket update');
    const done = await runCommand(
      deps.storage,
      () => deps.clock.now(),
      async (uow) => {
        const who = await acting(uow, p.auth, p.actor, guests);
        const loaded = await ticketAggregate.load(uow, p.ticketId);
        requireSee(who.caller, loaded.snapshot.context);
        requireSupport(who.caller, 'update');
        // A close that passed unswept happens first: an update is then refused, as after a sweep.
        const ticket = await catchUp(uow, loaded);
        const ctx = ticket.snapshot.context;
        const change: TicketShapeChange = {};
        const changes: Record<string, Json> = {};
        if (p.groupId !== undefined && p.groupId !== (ctx.groupId ?? null)) {
          change.groupId = p.groupId;
          changes.groupId = { from: ctx.groupId ?? null, to: p.groupId };
        }
        if (p.tags !== undefined) {
          const before = ctx.tags ?? [];
          const added = p.tags.filter((tag) => !before.includes(tag));
          const removed = before.filter((tag) => !p.tags!.includes(tag));
          if (added.length + removed.length > 0) {
            change.tags = p.tags;
            changes.tags = { added, removed };
          }
        }
        if (p.fields !== undefined) {
          // A patch: given keys replace the stored ones, and the whole set is validated again.
          const patch = p.fields;
          const isRecord = typeof patch === 'object' && patch !== null && !Array.isArray(patch);
          const merged = isRecord ? { ...ctx.fields, ...(patch as Record<string, unknown>) } : patch;
          const fields = parseTicketFields(fieldsSchema, merged);
          const names = [...new Set([...Object.keys(ctx.fields ?? {}), ...Object.keys(fields)])].filter(
            (name) => JSON.stringify(ctx.fields?.[name]) !== JSON.stringify(fields[name]),
          );
          if (names.length > 0) {
            change.fields = fields;
            changes.fields = names.sort(); // names only: values may be personal data
          }
        }
        const event = { type: 'update' as const, at: uow.now, actor: who.actor, policy, ...change };
        return ticketAggregate.apply(uow, ticket, event, {
          history: (stepped) => {
            const status = stepped.snapshot.value as TicketStatus;
            return { type: 'ticket.update', actor: who.history, data: { from: status, to: status, ...changes } };
          },
        }).next;
      },
    );
    return committedView(done, deps.clock.now(), calendar);
  };
}
