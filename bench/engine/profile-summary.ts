/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and by area
 * (xstate, zod, memory storage, engine, tickets, messages, GC, ...), as shares of the samples.
 *
 *   npx tsx bench/engine/profile-summary.ts <file.cpuprofile> [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

/** The area a script belongs to, from its URL. */
function areaOf(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)' || name === '(idle)') return name;
  if (url === '') return 'native (V8 builtins)';
  if (url.includes('node_modules/xstate')) return 'xstate';
  if (url.includes('node_modules/zod')) return 'zod';
  if (url.includes('node_modules/')) return 'other node_modules: ' + /node_modules\/([^/]+)/.exec(url)![1];
  const src = /\/src\/(.+)$/.exec(url);
  if (src) {
    const path = src[1]!;
    if (path.startsWith('adapters/memory/')) return 'src/adapters/memory';
    if (path.startsWith('_lib/')) return 'src/_lib/' + path.slice(5);
    return 'src/' + path.split('/')[0];
  }
  if (url.includes('/bench/')) return 'bench';
  if (url.startsWith('node:')) return 'node internals';
  return 'other';
}

const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const fns = new Map<string, number>();
const areas = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber, columnNumber } = byId.get(id)!.callFrame;
  const short = url.replace(/^.*\/(src|node_modules|bench)\//, '$1/');
  const key = `${functionName || '(anonymous)'}  ${short}:${lineNumber + 1}:${columnNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const area = areaOf(url, functionName);
  areas.set(area, (areas.get(area) ?? 0) + us);
}
const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
console.log(`total sampled ${(total / 1000).toFixed(0)} ms\n\nself time by area:`);
for (const [area, us] of [...areas].sort((a, b) => b[1] - a[1])) console.log(`${pct(us)}  ${area}`);
console.log(`\nself time by function (top ${topArg ?? 40}):`);
for (const [key, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 40))) {
  console.log(`${pct(us)}  ${key}`);
}
