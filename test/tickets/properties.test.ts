import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { TICKET_STATUSES } from '../../src/tickets/ticket-machine.js';
import { agent, HOUR, makeDesk, MINUTE, requester, ticketInput } from '../helpers.js';

type Command =
  | { kind: 'submit' }
  | { kind: 'reply'; ticket: number; role: 'agent' | 'requester'; askForInfo: boolean }
  | { kind: 'hold' | 'resume' | 'solve'; ticket: number; role: 'agent' | 'requester' }
  | { kind: 'advance'; ms: number }
  | { kind: 'sweep' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'submit' as const }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('reply' as const),
      ticket: fc.nat(5),
      role: fc.constantFrom('agent' as const, 'requester' as const),
      askForInfo: fc.boolean(),
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('hold' as const, 'resume' as const, 'solve' as const),
      ticket: fc.nat(5),
      role: fc.constantFrom('agent' as const, 'requester' as const),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: MINUTE, max: 100 * HOUR }) }),
    weight: 4,
  },
  { arbitrary: fc.constant({ kind: 'sweep' as const }), weight: 3 },
);

describe('ticket properties over random command and time sequences', () => {
  it('valid status, no lost ticket, unique increasing numbers, history = accepted commands, 72 h honoured exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), async (commands) => {
        const { desk, clock } = makeDesk();
        const ids: string[] = [];
        const numbers: number[] = [];
        const accepted = new Map<string, number>();
        const bump = (id: string) => accepted.set(id, (accepted.get(id) ?? 0) + 1);

        const sweep = async () => {
          const { fired, failed } = await desk.runDueTimers();
          expect(failed).toEqual([]);
          for (const f of fired) bump(f.id);
          // After a sweep nothing is left pending past its deadline.
          for (const id of ids) {
            const t = await desk.tickets.get(id);
            if (t.status === 'pending') expect(t.autoResolveAt!).toBeGreaterThan(clock.now());
          }
        };

        for (const c of commands) {
          if (c.kind === 'submit') {
            const { ticket } = await desk.tickets.submit(ticketInput());
            ids.push(ticket.id);
            numbers.push(ticket.number);
            bump(ticket.id);
            continue;
          }
          if (c.kind === 'advance') {
            clock.advance(c.ms);
            continue;
          }
          if (c.kind === 'sweep') {
            await sweep();
            continue;
          }
          const id = ids[c.ticket % Math.max(ids.length, 1)];
          if (id === undefined) continue;
          const actor = c.role === 'agent' ? agent : requester;
          const entriesBefore = (await desk.tickets.history(id)).length;
          try {
            const before = await desk.tickets.get(id);
            if (c.kind === 'reply') {
              const result = await desk.tickets.reply({
                ticketId: id,
                author: actor,
                body: 'b',
                askForInfo: c.askForInfo,
              });
              if (result.id !== id) {
                // Closed, or solved with its close due: the reply closes it first (a deadline passed unswept).
                if (before.status !== 'closed')
                  expect([before.status, before.closeAt! <= clock.now()]).toEqual(['solved', true]);
                ids.push(result.id);
                numbers.push(result.number);
                bump(result.id);
              }
            } else await desk.tickets[c.kind]({ ticketId: id, actor });
            bump(id);
            // A deadline that passed unswept fires first, in the command's commit, as of its due time
            // and no later than now: those that record what happened (auto-resolve, close, SLA
            // breach), and with them any other deadline due before the last of them, as the sweep would.
            const caught = (await desk.tickets.history(id))
              .slice(entriesBefore)
              .filter((entry) => entry.type.startsWith('ticket.timer.'));
            const dueOf = (entry: (typeof caught)[number]) => (entry.data as { dueAt: number }).dueAt;
            const recorded = caught.filter((entry) =>
              ['ticket.timer.autoResolve', 'ticket.timer.close', 'ticket.timer.slaBreach'].includes(entry.type),
            );
            if (caught.length > 0) expect(recorded.length).toBeGreaterThan(0);
            const lastRecorded = Math.max(...recorded.map(dueOf));
            for (const entry of caught) {
              expect(dueOf(entry)).toBeLessThanOrEqual(clock.now());
              expect(dueOf(entry)).toBeLessThanOrEqual(lastRecorded);
              bump(id);
            }
          } catch (error) {
            expect(isHelpdeskError(error, 'TRANSITION_NOT_ALLOWED')).toBe(true);
            // A refused command writes nothing, its caught-up deadlines neither.
            expect((await desk.tickets.history(id)).length).toBe(entriesBefore);
          }
        }
        await sweep();

        const all = (await desk.tickets.list({ limit: 500 })).tickets;
        expect(all.map((t) => t.id).sort()).toEqual([...ids].sort());
        for (const t of all) expect(TICKET_STATUSES).toContain(t.status);
        expect(new Set(numbers).size).toBe(numbers.length);
        expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
        for (const id of ids) {
          const history = await desk.tickets.history(id);
          expect(history.length).toBe(accepted.get(id));
          // Each auto-resolve closes one pending episode: never two in a row without a new pending.
          let pendingEpisodes = 0;
          let autoResolves = 0;
          for (const h of history) {
            const data = h.data as { from: string | null; to: string };
            if (data.to === 'pending' && data.from !== 'pending') pendingEpisodes++;
            if (h.type === 'ticket.timer.autoResolve') autoResolves++;
          }
          expect(autoResolves).toBeLessThanOrEqual(pendingEpisodes);
        }
      }),
      { numRuns: 120 },
    );
  });
});
