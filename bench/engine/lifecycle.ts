/**
 * A full ticket lifecycle — submit → agent reply asking for information (pending) →
 * requester reply (open) → solve — through the engine on memory storage, against the same
 * input and events through raw xstate `initialTransition()` / `transition()` in the same run.
 *
 * The baseline's events are not written by hand: one lifecycle runs through the engine while
 * the ticket machine records what the service hands to xstate (see record.ts), and the baseline
 * replays that tape. It therefore follows the service when events or the context grow (SLA, ...),
 * and the run refuses to report a ratio if the replay does not end in the engine's own state.
 */
import { isDeepStrictEqual } from 'node:util';
import { createMemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { toJson } from '../../src/_lib/json.js';
import { createHelpdesk, type Helpdesk } from '../../src/helpdesk.js';
import type { Storage } from '../../src/ports/storage.js';
import type { Clock } from '../../src/ports/clock.js';
import { replySchema, submitTicketSchema, ticketCommandSchema } from '../../src/tickets/schemas.js';
import { ticketMachine } from '../../src/tickets/ticket-machine.js';
import { recordMachine, replay } from './record.js';
import { formatMs, latencyOf, measure, type Latency, type Section } from './stats.js';

const T0 = Date.UTC(2026, 2, 2, 9, 0); // a Monday, 09:00 UTC: inside default business hours
const MINUTE = 60_000;
const agent = { role: 'agent', id: 'agent-1' } as const;
/**
 * Lifecycles per desk before a fresh one: the figure is the cost of a command, not of the
 * garbage collector walking an ever larger heap of stored tickets (see the memory rows).
 */
export const DESK_SIZE = 1_000;

/** A clock the benchmark sets before each command, so every lifecycle sees the same instants. */
export class SteppedClock implements Clock {
  at = T0;
  now(): number {
    return this.at;
  }
}

function submitInput(n: number) {
  return {
    requester: { id: `cust-${n}`, email: `cust${n}@example.test` },
    content: { organization: 'Fleet Ltd', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' },
    channel: 'web' as const,
  };
}

/** The four commands of the lifecycle; returns the ticket id. */
export async function lifecycle(desk: Helpdesk, clock: SteppedClock, n: number): Promise<string> {
  clock.at = T0;
  const { ticket } = await desk.tickets.submit(submitInput(n));
  clock.at = T0 + MINUTE;
  await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van is it?', askForInfo: true });
  clock.at = T0 + 2 * MINUTE;
  await desk.tickets.reply({
    ticketId: ticket.id,
    author: { role: 'requester', id: `cust-${n}` },
    body: 'Van 7, the blue one.',
  });
  clock.at = T0 + 3 * MINUTE;
  await desk.tickets.solve({ ticketId: ticket.id, actor: agent });
  return ticket.id;
}

export async function benchLifecycle(options: { time?: number } = {}): Promise<Section> {
  const clock = new SteppedClock();
  const storage = createMemoryStorage();
  const desk = createHelpdesk({ storage, clock });
  let n = 0;
  let current = desk;

  // Record one lifecycle, and check the replay lands where the engine did.
  let recordedId = '';
  const tape = await recordMachine(ticketMachine, async () => {
    recordedId = await lifecycle(desk, clock, n++);
  });
  const stored = await storage.load('ticket', recordedId);
  const replayed = replay(ticketMachine, tape);
  const storedState = stored?.state as { value: unknown; context: unknown } | undefined;
  const sameEnd =
    storedState !== undefined &&
    isDeepStrictEqual(toJson(replayed.value), storedState.value) &&
    isDeepStrictEqual(toJson(replayed.context), storedState.context);
  if (!sameEnd) throw new Error('lifecycle bench: the raw replay does not end in the state the engine stored');
  if (tape.inputs.length !== 1 || tape.events.length !== 3) {
    throw new Error(
      `lifecycle bench: expected 1 input and 3 events, recorded ${tape.inputs.length} and ${tape.events.length}`,
    );
  }

  // Where the rest goes: zod alone on the same inputs, and the time spent inside storage calls.
  const inputs = {
    submit: submitInput(0),
    ask: { ticketId: recordedId, author: agent, body: 'Which van is it?', askForInfo: true },
    answer: { ticketId: recordedId, author: { role: 'requester', id: 'cust-0' }, body: 'Van 7, the blue one.' },
    solve: { ticketId: recordedId, actor: agent },
  };
  const results = await measure(
    {
      engine: {
        fn: () => lifecycle(current, clock, n++),
        options: { beforeEach: () => void (n % DESK_SIZE === 0 && (current = createHelpdesk({ clock }))) },
      },
      raw: { fn: () => replay(ticketMachine, tape) },
      zod: {
        fn: () => {
          submitTicketSchema.parse(inputs.submit);
          replySchema.parse(inputs.ask);
          replySchema.parse(inputs.answer);
          ticketCommandSchema.parse(inputs.solve);
        },
      },
    },
    { time: options.time ?? 1_500 },
  );
  const storageTime = await storageShare(options.time ?? 1_500);
  const engine = results.engine!;
  const raw = results.raw!;
  const zod = results.zod!;
  const ratio = raw.median / engine.median;
  const rest = engine.median - raw.median - zod.median - storageTime.median;
  const share = (ms: number) => `${((ms / engine.median) * 100).toFixed(0)} % of the engine median`;

  return {
    title: 'Ticket lifecycle (submit → agent asks → requester answers → solve), memory storage',
    rows: [
      {
        benchmark: 'engine lifecycle vs raw xstate transition()',
        subject: engine,
        baseline: raw,
        ratio,
        target: '≥ 0.60',
        met: ratio >= 0.6,
        note: `${(4000 / engine.median).toFixed(0)} commands/s vs ${(4000 / raw.median).toFixed(0)} transitions/s`,
      },
      {
        benchmark: '  of which raw xstate (the baseline itself)',
        value: formatMs(raw.median),
        note: share(raw.median),
      },
      { benchmark: '  of which zod parsing of the 4 inputs', subject: zod, note: share(zod.median) },
      {
        benchmark: '  of which memory storage calls (copy, freeze, index, history, outbox)',
        subject: storageTime,
        note: share(storageTime.median),
      },
      {
        benchmark: '  of which the rest (restore, effects, mail rendering, ids, views, GC)',
        value: `≈ ${formatMs(rest)}`,
        note: share(rest),
      },
    ],
    notes: [`Replay checked: ${tape.events.length} recorded events end in the state and context the engine stored.`],
  };
}

/** Wraps every storage method to add up the time spent inside it. */
function timedStorage(inner: Storage, spent: { ms: number }): Storage {
  return new Proxy(inner, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const start = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          spent.ms += performance.now() - start;
        }
      };
    },
  });
}

/** Per lifecycle, the time spent inside storage calls, on a separate desk with a timed storage. */
async function storageShare(timeMs: number): Promise<Latency> {
  const clock = new SteppedClock();
  const spent = { ms: 0 };
  let desk = createHelpdesk({ clock });
  const samples: number[] = [];
  const end = performance.now() + timeMs;
  for (let n = 0; performance.now() < end || samples.length < 64; n++) {
    if (n % DESK_SIZE === 0) desk = createHelpdesk({ clock, storage: timedStorage(createMemoryStorage(), spent) });
    spent.ms = 0;
    await lifecycle(desk, clock, n);
    if (n >= 20) samples.push(spent.ms);
  }
  return latencyOf(samples);
}
