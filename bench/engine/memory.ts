/**
 * Memory per stored ticket in the memory adapter: heap growth after a forced garbage
 * collection, divided by the number of tickets, for tickets as submitted (record, one history
 * entry, the confirmation mail) and after the whole lifecycle (four history entries, two mails).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createMemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { createHelpdesk, type Helpdesk } from '../../src/helpdesk.js';
import type { Storage } from '../../src/ports/storage.js';
import { formatBytes, type Section } from './stats.js';

const T0 = Date.UTC(2026, 2, 2, 9, 0);
const agent = { role: 'agent', id: 'agent-1' } as const;

/** `global.gc` without asking for `--expose-gc` on the command line. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

async function heapPerTicket(
  count: number,
  fill: (desk: Helpdesk, n: number, clock: { at: number }) => Promise<void>,
): Promise<number> {
  const gc = collector();
  const clock = { at: T0 };
  let storage: Storage | null = createMemoryStorage();
  let desk: Helpdesk | null = createHelpdesk({ storage, clock: { now: () => clock.at } });
  // Warm the code paths first so compiled code and caches are in the "before" figure.
  await fill(createHelpdesk({ clock: { now: () => clock.at } }), -1, clock);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let n = 0; n < count; n++) await fill(desk, n, clock);
  desk = null; // keep only the storage
  gc();
  const after = process.memoryUsage().heapUsed;
  if ((await storage.list('ticket', { where: {}, limit: count + 1 })).length !== count)
    throw new Error('memory bench: lost tickets');
  storage = null;
  return (after - before) / count;
}

async function submit(desk: Helpdesk, n: number, clock: { at: number }) {
  clock.at = T0;
  return desk.tickets.submit({
    requester: { id: `cust-${n}`, email: `cust${n}@example.test` },
    content: { organization: 'Fleet Ltd', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' },
  });
}

export async function benchMemory(options: { count?: number } = {}): Promise<Section> {
  const count = options.count ?? 20_000;
  const submitted = await heapPerTicket(count, async (desk, n, clock) => {
    await submit(desk, n, clock);
  });
  const lifecycle = await heapPerTicket(count, async (desk, n, clock) => {
    const { ticket } = await submit(desk, n, clock);
    clock.at += 60_000;
    await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van is it?', askForInfo: true });
    clock.at += 60_000;
    await desk.tickets.reply({ ticketId: ticket.id, author: { role: 'requester', id: `cust-${n}` }, body: 'Van 7.' });
    clock.at += 60_000;
    await desk.tickets.solve({ ticketId: ticket.id, actor: agent });
  });
  return {
    title: `Memory per stored ticket, memory storage (${count.toLocaleString('en')} tickets, heap after GC)`,
    rows: [
      { benchmark: 'submitted (record + 1 history entry + 1 mail)', value: formatBytes(submitted) },
      { benchmark: 'after the lifecycle (record + 4 history entries + 2 mails)', value: formatBytes(lifecycle) },
    ],
    notes: [],
  };
}
