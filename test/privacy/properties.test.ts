import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { agent, dpo, hits, makePrivacyDesk, registerPerson, storeStrings } from './_harness.js';

const PEOPLE = ['anna', 'bela', 'csilla'] as const;

/** One step of a random workload: someone files a ticket, or an agent replies to one. */
const stepArb = fc.oneof(
  fc.record({
    op: fc.constant('file' as const),
    who: fc.integer({ min: 0, max: PEOPLE.length - 1 }),
    words: fc.integer({ min: 0, max: 9999 }),
  }),
  fc.record({ op: fc.constant('reply' as const), ticket: fc.nat(), ask: fc.boolean() }),
);

describe('erasure property', () => {
  it('after erasing a random subject of a random workload, the store holds nothing of them and everything of the others', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: PEOPLE.length - 1 }),
        async (steps, victim) => {
          const h = makePrivacyDesk();
          const people = [];
          for (const name of PEOPLE) people.push(await registerPerson(h, name));
          const tickets: string[] = [];
          const texts = PEOPLE.map(() => [] as string[]);
          for (const step of steps) {
            if (step.op === 'file') {
              const person = people[step.who]!;
              const text = `${PEOPLE[step.who]}-problem-${step.words}`;
              texts[step.who]!.push(text);
              const submitted = await h.desk.tickets.submit({
                requester: { id: person.accountId, email: person.email },
                content: { organization: 'Acme', subject: 'Help', description: text },
              });
              tickets.push(submitted.ticket.id);
            } else if (tickets.length > 0) {
              const ticketId = tickets[step.ticket % tickets.length]!;
              await h.desk.tickets.reply({ ticketId, author: agent, body: 'Agent answer', askForInfo: step.ask });
            }
          }
          await h.desk.dispatchOutbox();
          const storage = h.storage as MemoryStorage;
          const before = await storeStrings(storage);

          await h.desk.privacy.erase({
            subject: { accountId: people[victim]!.accountId },
            actor: dpo,
            reason: 'property',
          });

          const after = await storeStrings(storage);
          people.forEach((person, i) => {
            const traces = [person.accountId, person.email, ...texts[i]!];
            for (const trace of traces) {
              if (i === victim) expect(hits(after, trace), trace).toEqual([]);
              else expect(hits(after, trace).length, trace).toBe(hits(before, trace).length);
            }
          });
        },
      ),
      { numRuns: 10 },
    );
  });
});
