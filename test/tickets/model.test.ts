import { describe, expect, it } from 'vitest';
import { getShortestPaths } from 'xstate/graph';
import { isHelpdeskError } from '../../src/errors.js';
import { defaultTicketPolicy } from '../../src/tickets/policy.js';
import { initialTransition, transition } from 'xstate';
import { ticketMachine, type TicketEvent, type TicketInput } from '../../src/tickets/ticket-machine.js';
import { agent, HOUR, makeDesk, requester, ticketInput } from '../helpers.js';

const T0 = new Date('2026-03-02T09:00:00Z').getTime();
const policy = defaultTicketPolicy;

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
  sla: defaultTicketPolicy.sla,
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
    { type: 'hold', at, actor: agent, policy },
    { type: 'hold', at, actor: requester, policy },
    { type: 'resume', at, actor: agent, policy },
    { type: 'solve', at, actor: agent, policy },
    { type: 'solve', at, actor: requester, policy },
    { type: 'assign', at, actor: agent, assigneeId: 'agent-2', policy },
    // Sorting: an agent moves the ticket to a group; a requester may not.
    { type: 'update', at, actor: agent, groupId: 'fleet', policy },
    { type: 'update', at, actor: requester, tags: ['x'], policy },
  ];
  if (ctx.reminderAt !== null) events.push({ type: 'timer.reminder', at: ctx.reminderAt, policy });
  if (ctx.autoResolveAt !== null) events.push({ type: 'timer.autoResolve', at: ctx.autoResolveAt, policy });
  if (ctx.closeAt !== null) events.push({ type: 'timer.close', at: ctx.closeAt, policy });
  for (const metric of ['firstResponse', 'nextResponse', 'resolution'] as const) {
    const clock = ctx.sla[metric];
    if (clock?.warnAt != null) events.push({ type: 'timer.slaWarning', metric, at: clock.warnAt, policy });
    if (clock?.dueAt != null && clock.breachedAt === null && !clock.paused && clock.fulfilledAt === null) {
      events.push({ type: 'timer.slaBreach', metric, at: clock.dueAt, policy });
    }
  }
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
type Step = { type: TicketEvent['type']; role?: 'agent' | 'requester'; askForInfo?: boolean; metric?: string };
const stepOf = (e: TicketEvent): Step => ({
  type: e.type,
  ...('metric' in e ? { metric: e.metric } : {}),
  ...('actor' in e && e.actor.role !== 'system' ? { role: e.actor.role } : {}),
  ...(e.type === 'reply' ? { askForInfo: e.askForInfo } : {}),
});
const concrete = (snapshot: Snap, step: Step): TicketEvent =>
  eventsFor(snapshot).find((e) => JSON.stringify(stepOf(e)) === JSON.stringify(step))!;

// Every shortest path to a state, then every event from there: all transitions and refusals are covered.
// (The graph keeps one representative snapshot per serialized state, so the end state is replayed
// from the steps rather than taken from the path.)
const scenarios: Step[][] = [];
for (const path of paths) {
  const steps = path.steps
    .map((s) => s.event as TicketEvent)
    .filter((e) => !e.type.startsWith('xstate.'))
    .map(stepOf);
  let end = initialTransition(ticketMachine, input)[0] as Snap;
  for (const step of steps) end = transition(ticketMachine, end, concrete(end, step))[0] as Snap;
  scenarios.push(steps);
  for (const event of eventsFor(end)) {
    // Refused commands are replayed too: the service must refuse them and change nothing.
    if (end.can(event) || !event.type.startsWith('timer.')) scenarios.push([...steps, stepOf(event)]);
  }
}

async function expectSame(desk: ReturnType<typeof makeDesk>['desk'], id: string, model: Snap) {
  const view = await desk.tickets.get(id);
  expect(view.status).toBe(model.value);
  const { autoResolveAt, reminderAt, closeAt, assigneeId, solvedReason, sla, timeInStatus } = model.context;
  expect(view.groupId).toBe(model.context.groupId ?? null);
  expect({
    autoResolveAt: view.autoResolveAt,
    reminderAt: view.reminderAt,
    closeAt: view.closeAt,
    assigneeId: view.assigneeId,
    solvedReason: view.solvedReason,
    sla: view.sla,
    timeInStatus: view.timeInStatus,
  }).toEqual({
    autoResolveAt,
    reminderAt,
    closeAt,
    assigneeId,
    solvedReason,
    sla,
    timeInStatus,
  });
}

describe('model-based: paths of the ticket machine (xstate/graph), replayed through desk.tickets', () => {
  it('covers every status', () => {
    expect(new Set(paths.map((p) => p.state.value))).toEqual(
      new Set(['new', 'open', 'pending', 'on_hold', 'solved', 'closed']),
    );
    expect(scenarios.length).toBeGreaterThan(50);
  });

  for (const steps of scenarios) {
    const name = steps
      .map(
        (s) =>
          s.type + (s.role ? `(${s.role}${s.askForInfo ? ', asks' : ''})` : '') + (s.metric ? `(${s.metric})` : ''),
      )
      .join(' → ');
    it(name || '(submitted)', async () => {
      // makeDesk's secrets.pepper reaches the ticket service, so guest tokens are issued.
      const { desk, clock } = makeDesk();
      const { ticket, guestToken } = await desk.tickets.submit(ticketInput());
      const id = ticket.id;
      // The requester is a guest of the contact form: its replies come with the ticket's token.
      const guest = { role: 'guest', token: guestToken! } as const;
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
              return step.role === 'requester'
                ? desk.tickets.reply({ ticketId: id, auth: guest, body: 'text', askForInfo: event.askForInfo })
                : desk.tickets.reply({ ticketId: id, author: actor, body: 'text', askForInfo: event.askForInfo });
            case 'update':
              return step.role === 'requester'
                ? desk.tickets.update({ ticketId: id, actor, tags: ['x'] })
                : desk.tickets.update({ ticketId: id, actor, groupId: 'fleet' });
            case 'hold':
              return desk.tickets.hold({ ticketId: id, actor });
            case 'resume':
              return desk.tickets.resume({ ticketId: id, actor });
            case 'solve':
              return desk.tickets.solve({ ticketId: id, actor });
            case 'assign':
              return desk.tickets.assign({ ticketId: id, actor, assigneeId: 'agent-2' });
            default:
              return desk.runDueTimers();
          }
        };
        if (event.type.startsWith('timer.')) {
          // The sweep fires every timer due by now, in order, each as of its due time: the model must
          // accept each of them.
          const { fired } = (await run()) as Awaited<ReturnType<typeof desk.runDueTimers>>;
          expect(fired.map((f) => f.event + (f.data?.metric ?? ''))).toContain(event.type + (step.metric ?? ''));
          for (const f of fired) {
            const timer = { type: f.event, at: f.dueAt, policy, ...(f.data ?? {}) } as TicketEvent;
            const [after] = transition(ticketMachine, model, timer);
            expect(after, `the model refuses ${f.event}`).not.toBe(model);
            model = after;
          }
          await expectSame(desk, id, model);
          continue;
        }
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
        await expectSame(desk, id, model);
        // An internal note after any step: the model does not move, and neither does the ticket.
        await desk.tickets.addNote({ ticketId: id, actor: agent, body: 'note' });
        await expectSame(desk, id, model);
      }
    });
  }
});
