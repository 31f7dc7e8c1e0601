/**
 * A ticket with 10,000 messages next to one with 10: each message is its own record, so adding
 * one (load the ticket, write the message and the ticket's counter, one commit) must cost the
 * same for both. Wire into `engineSections` as a group (the lead's `bench/engine/index.ts`).
 *
 *   npx tsx bench/engine/messages.ts
 */
import { pathToFileURL } from 'node:url';
import { createMemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { createHelpdesk, type Helpdesk } from '../../src/helpdesk.js';
import { measure, renderTable, type Section } from './stats.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const agent = { role: 'agent', id: 'agent-1' } as const;
const content = { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' };

async function ticketWith(desk: Helpdesk, messages: number): Promise<string> {
  const { ticket } = await desk.tickets.submit({ requester: { id: 'cust-1', email: 'c@example.test' }, content });
  // The description is message 1; the rest alternate public replies and internal notes.
  for (let i = 2; i <= messages; i++) {
    if (i % 2 === 0) await desk.tickets.reply({ ticketId: ticket.id, auth: agent, body: `Reply ${i}` });
    else await desk.tickets.addNote({ ticketId: ticket.id, auth: agent, body: `Note ${i}` });
  }
  return ticket.id;
}

/** Adding a note (load + commit) to a ticket with `sizes[0]` vs `sizes[1]` messages. */
export async function benchMessages(options: { time?: number; sizes?: [number, number] } = {}): Promise<Section> {
  const [small, large] = options.sizes ?? [10, 10_000];
  const desk = createHelpdesk({ storage: createMemoryStorage(), clock: { now: () => T0 } });
  const seedStart = performance.now();
  const ids = [await ticketWith(desk, small), await ticketWith(desk, large)] as const;
  const seedMs = performance.now() - seedStart;
  const label = (n: number) => `${n.toLocaleString('en')} messages`;
  const note = (ticketId: string) => async () => {
    await desk.tickets.addNote({ ticketId, auth: agent, body: 'One more remark.' });
  };
  const latency = await measure(
    { [label(small)]: { fn: note(ids[0]) }, [label(large)]: { fn: note(ids[1]) } },
    { time: options.time ?? 2_000, rounds: 4 },
  );
  const ratio = latency[label(large)]!.median / latency[label(small)]!.median;
  return {
    title: 'Ticket messages: add a note (load + commit), memory storage',
    rows: [
      { benchmark: `add a note, ticket with ${label(small)}`, subject: latency[label(small)]! },
      {
        benchmark: `add a note, ticket with ${label(large)}`,
        subject: latency[label(large)]!,
        ratio,
        target: `≤ 1.50 × ${label(small)}`,
        met: ratio <= 1.5,
      },
    ],
    notes: [
      `Each message is a record of its own (kind ticket-message); the ticket keeps a counter. Seeding took ${(seedMs / 1000).toFixed(1)} s (not timed).`,
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(renderTable([await benchMessages({ time: process.argv.includes('--quick') ? 500 : 2_000 })]));
}
