/**
 * The engine benchmarks on memory storage, in one process:
 *   - a ticket lifecycle through the engine next to raw xstate `transition()` (ratio, target ≥ 0.6);
 *   - a login with an SMS code through the engine next to raw `transition()` on the login machine;
 *   - the timer sweep for 1,000 due records among 10k, 100k and 1M (within 1.5× of each other);
 *   - memory per stored ticket, and a status change with 10k vs 1M stored tickets (within 1.5×).
 *
 *   npx tsx bench/engine/index.ts          (or `npm run bench` for everything, PostgreSQL included)
 *
 * Not part of `npm test`: a benchmark never asserts a time in the test suite.
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { benchLifecycle } from './lifecycle.js';
import { benchLogin } from './login.js';
import { benchMemory, benchStatusChange } from './memory.js';
import { benchMessages } from './messages.js';
import { renderTable, type Section } from './stats.js';
import { benchSweep } from './sweep.js';

export interface EngineBenchOptions {
  /** Which groups to run; default all. */
  only?: ReadonlySet<string>;
  /** Shorter runs (fewer samples, 10k and 100k only for the sweep) for a quick look. */
  quick?: boolean;
  /** Called after each group, e.g. to print progress. */
  onSection?: (section: Section) => void;
}

export const ENGINE_GROUPS = ['lifecycle', 'login', 'sweep', 'memory', 'messages'] as const;

export async function engineSections(options: EngineBenchOptions = {}): Promise<Section[]> {
  const wanted = (group: string) => !options.only || options.only.has(group);
  const quick = options.quick ?? false;
  const sections: Section[] = [];
  const add = (section: Section) => {
    sections.push(section);
    options.onSection?.(section);
  };
  if (wanted('lifecycle')) add(await benchLifecycle({ time: quick ? 500 : 2_000 }));
  if (wanted('login')) add(await benchLogin({ time: quick ? 500 : 2_000 }));
  if (wanted('sweep')) {
    add(await benchSweep(quick ? { sizes: [10_000, 100_000], samples: 5 } : { samples: 15 }));
  }
  if (wanted('memory')) {
    add(await benchMemory({ count: quick ? 5_000 : 20_000 }));
    add(await benchStatusChange({ time: quick ? 500 : 2_000 }));
  }
  if (wanted('messages')) add(await benchMessages({ time: quick ? 500 : 2_000 }));
  return sections;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Absolute times follow the machine's load (the ratios much less): print it with the table.
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  const atStart = load();
  const table = renderTable(await engineSections({ quick: process.argv.includes('--quick') }));
  console.log(`Load average at start: ${atStart} · at end: ${load()}\n\n${table}`);
}
