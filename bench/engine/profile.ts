/**
 * A loop of ticket lifecycles under the V8 CPU profiler (what bench/PROFILE.md was measured with):
 *
 *   npx tsx bench/engine/profile.ts [count] [out.cpuprofile]
 *   npx tsx bench/engine/profile-summary.ts out.cpuprofile
 *
 * Same lifecycle and desk size as the lifecycle row (a fresh desk every 1,000 lifecycles). The
 * profiler starts after a warm-up, so module loading and compilation stay out of the figures.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createHelpdesk } from '../../src/helpdesk.js';
import { DESK_SIZE, lifecycle, SteppedClock } from './lifecycle.js';

const count = Number(process.argv[2] ?? 6_000);
const out = process.argv[3] ?? 'lifecycle.cpuprofile';
const clock = new SteppedClock();
let desk = createHelpdesk({ clock });
for (let n = 0; n < 1_000; n++) await lifecycle(desk, clock, n);

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const start = performance.now();
for (let n = 0; n < count; n++) {
  if (n % DESK_SIZE === 0) desk = createHelpdesk({ clock });
  await lifecycle(desk, clock, n);
}
const elapsed = performance.now() - start;
const { profile } = await session.post('Profiler.stop');
writeFileSync(out, JSON.stringify(profile));
console.log(`${count} lifecycles, ${((elapsed / count) * 1000).toFixed(1)} µs each (mean, GC included, profiler on)`);
