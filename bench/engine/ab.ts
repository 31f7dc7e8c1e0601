/**
 * In-process A/B of two versions of the library on the lifecycle row: lifecycle by lifecycle,
 * alternating A, B and the raw xstate replay (rotating which goes first), with a fresh desk of
 * each every 1,000 lifecycles; prints the medians of each run and the ratios. This is how each
 * cut in bench/PROFILE.md was measured.
 *
 *   git archive <commit> | tar -x -C /tmp/ab-old && ln -s "$PWD/node_modules" /tmp/ab-old/node_modules
 *   npx tsx bench/engine/ab.ts /tmp/ab-old . [lifecycles per run = 3000] [runs = 3]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Helpdesk } from '../../src/helpdesk.js';
import { DESK_SIZE, lifecycle, SteppedClock } from './lifecycle.js';
import { recordMachine, replay } from './record.js';
import { percentile } from './stats.js';

type Make = (options: { clock: SteppedClock }) => Helpdesk;
type Machine = Parameters<typeof replay>[0];

async function load(root: string): Promise<{ make: Make; machine: Machine }> {
  const url = (path: string) => pathToFileURL(resolve(root, path)).href;
  const { createHelpdesk } = (await import(url('src/helpdesk.ts'))) as { createHelpdesk: Make };
  const { ticketMachine } = (await import(url('src/tickets/ticket-machine.ts'))) as { ticketMachine: Machine };
  return { make: createHelpdesk, machine: ticketMachine };
}

const [rootA, rootB = '.', perRun = '3000', runCount = '3'] = process.argv.slice(2);
if (!rootA) throw new Error('usage: ab.ts <root A> [root B] [lifecycles per run] [runs]');
const versions = [await load(rootA), await load(rootB)];
const makers = versions.map((v) => v.make);
const clock = new SteppedClock();
const tapeDesk = makers[1]!({ clock });
const tape = await recordMachine(versions[1]!.machine, async () => void (await lifecycle(tapeDesk, clock, 0)));
if (tape.events.length !== 3) throw new Error(`expected 3 recorded events, got ${tape.events.length}`);

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
for (let run = 0; run < Number(runCount); run++) {
  const desks = makers.map((make) => make({ clock }));
  const times: number[][] = [[], [], []];
  for (let n = 0; n < Number(perRun) + 200; n++) {
    if (n % DESK_SIZE === 0) for (let i = 0; i < 2; i++) desks[i] = makers[i]!({ clock });
    for (let k = 0; k < 3; k++) {
      const which = (n + k) % 3;
      const start = performance.now();
      // The raw replay alternates between the two versions' machines, so neither gets more JIT warmth.
      if (which === 2) replay(versions[n % 2]!.machine, tape);
      else await lifecycle(desks[which]!, clock, n);
      if (n >= 200) times[which]!.push(performance.now() - start); // the first 200: warm-up
    }
  }
  const [a, b, raw] = times.map(median) as [number, number, number];
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  console.log(
    `run ${run + 1}: A ${us(a)}, B ${us(b)}, raw ${us(raw)} · B/A ${(b / a).toFixed(3)} · ratio A ${(raw / a).toFixed(3)}, B ${(raw / b).toFixed(3)}`,
  );
}
