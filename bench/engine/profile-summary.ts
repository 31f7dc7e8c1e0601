/**
 * Summarises a V8 `.cpuprofile` (from bench/engine/profile.ts or `node --cpu-prof`): self time
 * by file area and by function, and by step of the command pipeline (each sample goes to the
 * outermost pipeline step on its stack: the time of a step includes what it calls), as shares.
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
/** Pipeline steps, outermost first wins; the storage chain goes to its innermost layer. */
const STEPS: Array<[string, (name: string, url: string) => boolean]> = [
  ['zod (parseInput)', (name) => name === 'parseInput'],
  [
    'xstate step (machine actions and SLA arithmetic included)',
    (name) => name === 'stepMachine' || name === 'initialStep',
  ],
  ['copy and freeze of the state (frozenCopy)', (name) => name === 'frozenCopy'],
  ['views (committedView)', (name) => name === 'committedView' || name === 'viewOf'],
  ['mails (notices, rendering, queueing)', (name) => name === 'queueMessage' || name === 'sendTicketNotices'],
  ['domain events from history (toCommit)', (name) => name === 'eventsFromHistory'],
  ['restore from the stored form (fromRecord)', (name) => name === 'fromRecord'],
  ['caller and access checks', (_, url) => url.includes('/tickets/access.')],
  ['submit shape and host fields', (_, url) => url.includes('submit-shape') || url.includes('/tickets/fields.')],
];
function stepOf(stack: ProfileNode[]): string {
  const leaf = stack[stack.length - 1]!.callFrame.functionName;
  if (leaf === '(garbage collector)' || leaf === '(program)' || leaf === '(idle)') return leaf;
  const urls = stack.map((n) => n.callFrame.url);
  if (urls.some((u) => u.includes('/adapters/memory/'))) return 'memory storage';
  if (urls.some((u) => u.includes('sending-budget'))) return 'sending budget (storage wrapper)';
  if (urls.some((u) => u.includes('outbox-secrets'))) return 'outbox sealing (storage wrapper)';
  for (const node of stack) {
    const found = STEPS.find(([, match]) => match(node.callFrame.functionName, node.callFrame.url));
    if (found) return found[0];
  }
  return `other: ${areaOf(stack[stack.length - 1]!.callFrame.url, leaf)}`;
}
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const steps = new Map<string, number>();
for (const [id, us] of selfUs) {
  const stack: ProfileNode[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) stack.unshift(byId.get(at)!);
  const step = stepOf(stack);
  steps.set(step, (steps.get(step) ?? 0) + us);
}

const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
console.log(`total sampled ${(total / 1000).toFixed(0)} ms\n\nself time by area:`);
for (const [area, us] of [...areas].sort((a, b) => b[1] - a[1])) console.log(`${pct(us)}  ${area}`);
const gc = steps.get('(garbage collector)') ?? 0;
console.log('\nby pipeline step (share of all samples · share of the samples outside GC):');
for (const [step, us] of [...steps].sort((a, b) => b[1] - a[1])) {
  console.log(
    `${pct(us)} · ${(((step === '(garbage collector)' ? Number.NaN : us) / (total - gc)) * 100).toFixed(1).padStart(5)} %  ${step}`,
  );
}
console.log(`\nself time by function (top ${topArg ?? 40}):`);
for (const [key, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 40))) {
  console.log(`${pct(us)}  ${key}`);
}
