/**
 * The timer sweep: `desk.runDueTimers()` on memory storage when 1,000 records are due among
 * 10k, 100k and 1M. The memory adapter keeps deadlines in a min-heap, so a sweep should cost
 * O(due · log n): the three medians should stay within 1.5× of each other.
 *
 * The due records are real pending tickets made by the engine (submit + an agent reply asking
 * for information) whose 72 h have run out, so each one goes through the ticket service's
 * timer handler (auto-resolve, mail, history). The other records are stored stand-ins with
 * a compact state — half with a deadline in the far future, half with none — because the sweep
 * must never read them; full-size states for 1M tickets would only measure the heap limit.
 */
import { createMemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { createHelpdesk } from '../../src/helpdesk.js';
import type { Json } from '../../src/ports/json.js';
import type { Storage } from '../../src/ports/storage.js';
import { latencyOf, sample, type Row, type Section } from './stats.js';

const T0 = Date.UTC(2026, 2, 2, 9, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DUE = 1_000;
/** When the sweep runs: well past the 72 h (calendar or business) of the pending tickets. */
const SWEEP_AT = T0 + 30 * DAY;

interface Template {
  state: { value: Json; context: Record<string, Json> };
  indexes: Record<string, string>;
}

/** A pending ticket as the engine stores it, to copy for every due record. */
async function pendingTemplate(): Promise<Template> {
  const storage = createMemoryStorage();
  const desk = createHelpdesk({ storage, clock: { now: () => T0 } });
  const { ticket } = await desk.tickets.submit({
    requester: { id: 'cust-1', email: 'cust1@example.test' },
    content: { organization: 'Fleet Ltd', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' },
  });
  await desk.tickets.reply({
    ticketId: ticket.id,
    author: { role: 'agent', id: 'agent-1' },
    body: 'Which van is it?',
    askForInfo: true,
  });
  const record = await storage.load('ticket', ticket.id);
  if (!record || record.nextDueAt === null || record.nextDueAt > SWEEP_AT) {
    throw new Error('sweep bench: the pending ticket has no deadline before the sweep time');
  }
  return { state: record.state as Template['state'], indexes: { ...record.indexes } };
}

const idOf = (n: number) => `tkt_${String(n).padStart(8, '0')}`;

/** Stores `total` records, of which DUE (spread evenly) are pending tickets due before SWEEP_AT. */
async function seed(storage: Storage, total: number, template: Template): Promise<string[]> {
  const every = Math.floor(total / DUE);
  const dueIds: string[] = [];
  const batch = 10_000;
  for (let start = 0; start < total; start += batch) {
    const writes = [];
    for (let n = start; n < Math.min(total, start + batch); n++) {
      const id = idOf(n);
      if (n % every === 0 && dueIds.length < DUE) {
        dueIds.push(id);
        writes.push(dueWrite(id, n, template, 0));
      } else {
        writes.push({
          kind: 'ticket',
          id,
          expectedVersion: 0,
          state: { value: 'open', context: { id, number: 10_001 + n } },
          indexes: { status: 'open', requester: `cust-${n % 5_000}` },
          nextDueAt: n % 2 === 0 ? SWEEP_AT + 365 * DAY + n : null,
        });
      }
    }
    if ((await storage.commit({ writes, history: [], outbox: [], idempotency: [] })) === null) {
      throw new Error('sweep bench: seeding commit refused');
    }
  }
  return dueIds;
}

function dueWrite(id: string, n: number, template: Template, expectedVersion: number) {
  return {
    kind: 'ticket',
    id,
    expectedVersion,
    state: { ...template.state, context: { ...template.state.context, id, number: 10_001 + n } },
    indexes: { ...template.indexes, number: String(10_001 + n) },
    // Due at the sweep, whatever deadline fields the context carries.
    nextDueAt: T0 + HOUR,
  };
}

/** Puts the due records back to pending-and-due after a sweep solved them. */
async function rearm(storage: Storage, dueIds: readonly string[], template: Template): Promise<void> {
  const writes = [];
  for (const id of dueIds) {
    const current = await storage.load('ticket', id);
    writes.push(dueWrite(id, Number(id.slice(4)), template, current?.version ?? 0));
  }
  if ((await storage.commit({ writes, history: [], outbox: [], idempotency: [] })) === null) {
    throw new Error('sweep bench: re-arming commit refused');
  }
}

export async function benchSweep(options: { sizes?: number[]; samples?: number } = {}): Promise<Section> {
  const sizes = options.sizes ?? [10_000, 100_000, 1_000_000];
  const samples = options.samples ?? 15;
  const rounds = 3;
  const template = await pendingTemplate();

  interface Store {
    total: number;
    dueIds: string[];
    storage: Storage;
    sweep: () => Promise<void>;
    seedMs: number;
    timers: number;
  }
  const prepare = async (total: number): Promise<Store> => {
    const storage = createMemoryStorage();
    const seedStart = performance.now();
    const dueIds = await seed(storage, total, template);
    const seedMs = performance.now() - seedStart;
    const desk = createHelpdesk({ storage, clock: { now: () => SWEEP_AT } });
    const store: Store = { total, dueIds, storage, seedMs, timers: 0, sweep: async () => {} };
    store.sweep = async () => {
      const result = await desk.runDueTimers();
      store.timers = result.fired.length;
      const records = new Set(result.fired.map((f) => f.id));
      if (records.size !== DUE || result.failed.length > 0) {
        throw new Error(`sweep bench: ${records.size} records fired, ${result.failed.length} failed; expected ${DUE}`);
      }
    };
    return store;
  };
  const take = async (store: Store, count: number, warmup: number) => {
    const latency = await sample(count, store.sweep, {
      warmup,
      before: () => rearm(store.storage, store.dueIds, template),
    });
    return latency;
  };
  // One untimed pass first, so the first size is not the one that pays for the JIT.
  await take(await prepare(sizes[0] ?? 10_000), 3, 2);
  const stores: Store[] = [];
  for (const total of sizes) stores.push(await prepare(total));
  // Rounds alternate the sizes (forwards, then backwards), so a noisy phase of a shared machine
  // lands on every size alike; each size's samples are pooled over the rounds.
  const pooled = new Map<Store, number[]>(stores.map((store) => [store, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? stores : [...stores].reverse();
    for (const store of order) {
      const times: number[] = [];
      for (let i = 0; i < 1 + Math.ceil(samples / rounds); i++) {
        await rearm(store.storage, store.dueIds, template);
        const start = performance.now();
        await store.sweep();
        if (i > 0) times.push(performance.now() - start); // the first of a round warms the store up again
      }
      pooled.get(store)!.push(...times);
    }
  }
  const results = stores.map((store) => ({
    total: store.total,
    latency: latencyOf(pooled.get(store)!),
    seedMs: store.seedMs,
    timers: store.timers,
  }));
  const base = results[0]!;
  const rows: Row[] = results.map((r) => {
    const ratio = r.latency.median / base.latency.median;
    return {
      benchmark: `sweep, ${DUE.toLocaleString('en')} due among ${r.total.toLocaleString('en')}`,
      subject: r.latency,
      ...(r === base
        ? { note: `${((r.latency.median / DUE) * 1000).toFixed(1)} µs per due ticket` }
        : {
            ratio,
            target: `≤ 1.50 × ${base.total.toLocaleString('en')}`,
            met: ratio <= 1.5,
            note: `${((r.latency.median / DUE) * 1000).toFixed(1)} µs per due ticket`,
          }),
    };
  });
  return {
    title: 'Timer sweep (desk.runDueTimers()), memory storage',
    rows,
    notes: [
      `${base.timers.toLocaleString('en')} timer events per sweep (each due ticket: timer handler, history, mail); ratio = median / median at ${base.total.toLocaleString('en')}; ${rounds} rounds alternating the sizes, samples pooled.`,
      `Seeding took ${results.map((r) => `${(r.seedMs / 1000).toFixed(1)} s`).join(', ')} (not timed in the rows).`,
    ],
  };
}
