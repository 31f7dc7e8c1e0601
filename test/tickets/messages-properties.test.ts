import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, ticketInput } from '../helpers.js';
import { makeAccountDesk, personalAuth } from './_callers.js';

// Properties of the conversation over random sequences of replies, notes, time and sweeps.

type Step =
  | { kind: 'reply'; side: 'agent' | 'requester'; askForInfo: boolean }
  | { kind: 'note' }
  | { kind: 'advance'; ms: number }
  | { kind: 'sweep' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('reply' as const),
    side: fc.constantFrom('agent' as const, 'requester' as const),
    askForInfo: fc.boolean(),
  }),
  { arbitrary: fc.constant({ kind: 'note' as const }), weight: 2 },
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: MINUTE, max: 80 * HOUR }) }),
  fc.constant({ kind: 'sweep' as const }),
);

const agent = { role: 'agent', id: 'agent-1' } as const;

describe('conversation properties over random replies, notes and time', () => {
  it('a note changes nothing but the conversation; the requester never sees one; seqs run 1..n', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const h = makeAccountDesk();
        const alice = await personalAuth(h, 'alice');
        const { desk } = h;
        const { ticket } = await desk.tickets.submit({ auth: alice, content: ticketInput().content });
        let expected = 1;
        for (const s of steps) {
          if (s.kind === 'advance') h.clock.advance(s.ms);
          else if (s.kind === 'sweep') await desk.runDueTimers();
          else if (s.kind === 'note') {
            const before = await desk.tickets.get(ticket.id);
            const outbox = (await desk.outbox({ limit: 10_000 })).length;
            const after = await desk.tickets.addNote({ ticketId: ticket.id, auth: agent, body: `note ${expected}` });
            expected++;
            // Status, clocks, SLA, counters, updatedAt: all as they were; only the version moves.
            expect({ ...after, version: 0 }).toEqual({ ...before, version: 0 });
            expect(after.version).toBe(before.version + 1);
            expect((await desk.outbox({ limit: 10_000 })).length).toBe(outbox);
          } else {
            const auth = s.side === 'agent' ? agent : alice;
            const status = (await desk.tickets.get(ticket.id)).status;
            if (status === 'closed') continue; // a reply to a closed ticket opens a follow-up
            await desk.tickets.reply({
              ticketId: ticket.id,
              auth,
              body: `reply ${expected}`,
              askForInfo: s.askForInfo,
            });
            expected++;
          }
        }
        const all = await desk.tickets.messages(ticket.id, { auth: agent, limit: 500 });
        expect(all.messages.map((m) => m.seq)).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
        const mine = await desk.tickets.messages(ticket.id, { auth: alice, limit: 500 });
        expect(mine.messages.every((m) => m.visibility === 'public')).toBe(true);
        expect(mine.messages.map((m) => m.id)).toEqual(
          all.messages.filter((m) => m.visibility === 'public').map((m) => m.id),
        );
      }),
      { numRuns: 25 },
    );
  });
});
