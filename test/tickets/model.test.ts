import { describe, expect, it } from 'vitest';
import { getShortestPaths } from 'xstate/graph';
import { isHelpdeskError } from '../../src/errors.js';
import { defaultTicketPolicy } from '../../src/tickets/policy.js';
import { initialTransition, transition } from 'xstate';
import { ticketMachine, type TicketEvent, type TicketInput } from '../../src/tickets/ticket-machine.js';
import { agent, HOUR, makeDesk, requester, ticketInput } from '../helpers.js';

const T0 = new Date('2026-03-02T09:00:00Z').getTime();
const policy = {
  autoResolveAfter: defaultTicketPolicy.autoResolveAfter,
  reminderBefore: defaultTicketPolicy.reminderBefore,
  closeSolvedAfter: defaultTicketPolicy.closeSolvedAfter,
};

const input: TicketInput = {
  id: 'model',
  number: 10001,
  title: 'Acme - Tracker offline',
  content: { organization: 'Acme', subject: 'Tracker offline', description: 'x' } as TicketInput['content'],
  requesterId: requester.id,
  requesterEmail: 'cust@example.test',
  locale: 'en',
  organizationId: null,
  channel: 'web',
  priority: 'normal',
  assigneeId: null,
  createdAt: T0,
  followUpOf: null,
};

type Snap = ReturnType<typeof ticketMachine.resolveState>;

/** The events a host can cause in a state: commands an hour after the last change, and every due timer. */
function eventsFor(snapshot: Snap): TicketEvent[] {
  const ctx = snapshot.context;
  const at = ctx.updatedAt + HOUR;
  const events: TicketEvent[] = [
    { type: 'reply', at, actor: agent, askForInfo: true, policy },
    { type: 'reply', at, actor: agent, askForInfo: false, policy },
    { type: 'reply', at, actor: requester, askForInfo: false, policy },
    { type: 'hold', at, actor: agent },
    { type: 'hold', at, actor: requester },
    { type: 'resume', at, actor: agent },
    { type: 'solve', at, actor: agent, policy },
    { type: 'solve', at, actor: requester, policy },
    { type: 'assign', at, actor: agent, assigneeId: 'agent-2' },
  ];
  if (ctx.reminderAt !== null) events.push({ type: 'timer.reminder', at: ctx.reminderAt });
  if (ctx.autoResolveAt !== null) events.push({ type: 'timer.autoResolve', at: ctx.autoResolveAt, policy });
  if (ctx.closeAt !== null) events.push({ type: 'timer.close', at: ctx.closeAt });
  return events;
}

const serialize = (s: Snap) =>
  JSON.stringify([
    s.value,
    s.context.assigneeId !== null,
    s.context.reminderAt !== null,
    s.context.autoResolveAt !== null,
    s.context.closeAt !== null,
  ]);

const paths = getShortestPaths(ticketMachine, {
  input,
  events: eventsFor as never,
  serializeState: serialize as never,
});

/** Abstract events: the graph gives their order; concrete times come from the replayed state. */
type Step = { type: TicketEvent['type']; role?: 'agent' | 'requester'; askForInfo?: boolean };
const stepOf = (e: TicketEvent): Step => ({
  type: e.type,
  ...('actor' in e && e.actor.role !== 'system' ? { role: e.actor.role } : {}),
  ...(e.type === 'reply' ? { askForInfo: e.askForInfo } : {}),
});
const concrete = (snapshot: Snap, step: Step): TicketEvent =>
  eventsFor(snapshot).find((e) => JSON.stringify(stepOf(e)) === JSON.stringify(step))!;

// Every shortest path to a state, then every event from there: all transitions and refusals are covered.
const scenarios: Step[][] = [];
for (const path of paths) {
  const steps = path.steps
    .map((s) => s.event as TicketEvent)
    .filter((e) => !e.type.startsWith('xstate.'))
    .map(stepOf);
  scenarios.push(steps);
  for (const event of eventsFor(path.state as Snap)) {
    // Refused commands are replayed too: the service must refuse them and change nothing.
    if (path.state.can(event) || !event.type.startsWith('timer.')) scenarios.push([...steps, stepOf(event)]);
  }
}

describe('model-based: paths of the ticket machine (xstate/graph), replayed through desk.tickets', () => {
  it('covers every status', () => {
    expect(new Set(paths.map((p) => p.state.value))).toEqual(
      new Set(['new', 'open', 'pending', 'on_hold', 'solved', 'closed']),
    );
    expect(scenarios.length).toBeGreaterThan(50);
  });

  for (const steps of scenarios) {
    const name = steps.map((s) => s.type + (s.role ? `(${s.role}${s.askForInfo ? ', asks' : ''})` : '')).join(' → ');
    it(name || '(submitted)', async () => {
      const { desk, clock } = makeDesk();
      const { ticket } = await desk.tickets.submit(ticketInput());
      const id = ticket.id;
      let model = initialTransition(ticketMachine, { ...input, id, createdAt: clock.now() })[0] as Snap;
      for (const step of steps) {
        const event = concrete(model, step);
        clock.set(Math.max(clock.now(), event.at));
        const [next] = transition(ticketMachine, model, event);
        const accepted = next !== model;
        const run = (): Promise<unknown> => {
          const actor = {
            role: step.role ?? 'agent',
            id: step.role === 'requester' ? requester.id : agent.id,
          } as typeof agent;
          switch (event.type) {
            case 'reply':
              return desk.tickets.reply({ ticketId: id, author: actor, body: 'text', askForInfo: event.askForInfo });
            case 'hold':
              return desk.tickets.hold({ ticketId: id, actor });
            case 'resume':
              return desk.tickets.resume({ ticketId: id, actor });
            case 'solve':
              return desk.tickets.solve({ ticketId: id, actor });
            case 'assign':
              return desk.tickets.assign({ ticketId: id, actor, assigneeId: 'agent-2' });
            default:
              return desk.runDueTimers().then(({ fired }) => expect(fired.map((f) => f.event)).toContain(event.type));
          }
        };
        const before = await desk.tickets.get(id);
        if (model.value === 'closed' && event.type === 'reply' && step.role === 'requester') {
          // Closed is final: the reply becomes a follow-up ticket linked to this one.
          const followUp = (await run()) as { followUpOf: string | null; status: string };
          expect([followUp.followUpOf, followUp.status]).toEqual([id, 'new']);
          expect((await desk.tickets.get(id)).followUps).toHaveLength(1);
          continue;
        }
        if (accepted) await run();
        else {
          expect(isHelpdeskError(await run().catch((e: unknown) => e), 'TRANSITION_NOT_ALLOWED')).toBe(true);
          expect(await desk.tickets.get(id)).toEqual(before);
        }
        model = next;
        const view = await desk.tickets.get(id);
        expect(view.status).toBe(model.value);
        const { autoResolveAt, reminderAt, closeAt, assigneeId, solvedReason } = model.context;
        expect([view.autoResolveAt, view.reminderAt, view.closeAt, view.assigneeId, view.solvedReason]).toEqual([
          autoResolveAt,
          reminderAt,
          closeAt,
          assigneeId,
          solvedReason,
        ]);
      }
    });
  }
});
