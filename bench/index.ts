/**
 * `npm run bench`: every benchmark, one table. Rows compare with a baseline measured in the
 * same process and run (medians, p99, ratios); see bench/README.md for what each row means.
 *
 *   npm run bench                               all groups
 *   npm run bench -- --only=lifecycle,sweep     some groups (lifecycle, login, sweep, memory, postgres)
 *   npm run bench -- --quick                    shorter runs, for a look while working
 *   npm run bench -- --readme                   also write the table into bench/README.md
 *
 * Not part of `npm test`: a benchmark never asserts a time in the test suite.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { ENGINE_GROUPS, engineSections } from './engine/index.js';
import { renderTable, type Row, type Section } from './engine/stats.js';
import { benchPostgresServer } from './postgres/server.js';

const args = process.argv.slice(2);
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : undefined;
const quick = args.includes('--quick');
const groups = [...ENGINE_GROUPS, 'postgres'];
for (const group of only ?? []) {
  if (!groups.includes(group)) throw new Error(`unknown group "${group}"; expected one of ${groups.join(', ')}`);
}

/**
 * The PostgreSQL benchmark (round trips per command, ...) is another engineer's
 * bench/postgres/index.ts. If it exports `benchPostgres(): Promise<{ title, rows, notes }>`
 * that is used; otherwise importing it runs it, and its printed lines become rows here.
 */
async function postgresSection(): Promise<Section> {
  const title = 'PostgreSQL adapter (bench/postgres/index.ts)';
  const file = new URL('./postgres/index.ts', import.meta.url);
  if (!existsSync(file)) return { title, rows: [], notes: ['skipped: bench/postgres/index.ts does not exist yet.'] };
  const printed: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => void printed.push(parts.map(String).join(' '));
  let mod: Record<string, unknown>;
  try {
    mod = (await import(file.href)) as Record<string, unknown>;
  } finally {
    console.log = log;
  }
  if (typeof mod.benchPostgres === 'function') {
    return (await (mod.benchPostgres as () => Promise<Section>)()) satisfies Section;
  }
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const line of printed.flatMap((p) => p.split('\n'))) {
    if (!line.trim()) continue;
    // "what   value  note" as printed by bench/postgres/index.ts
    const match = /^(\s*)(\S.*?)\s{2,}(\S+)(?:\s{2,}(.*))?$/.exec(line.trimEnd());
    if (match) {
      const indent = match[1] ? '  ' : '';
      rows.push({ benchmark: indent + match[2]!, value: match[3]!, ...(match[4] ? { note: match[4] } : {}) });
    } else notes.push(line.trim());
  }
  return { title, rows, notes };
}

function header(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return [
    `Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · Node ${process.version} · ${process.platform}/${process.arch} · ${cpus().length} × ${cpu}`,
    `Command: npm run bench${args.length ? ` -- ${args.join(' ')}` : ''} · load average at start: ${load}`,
  ].join('\n');
}

const head = header();
console.log(`${head}\n`);
const sections = await engineSections({
  ...(only ? { only } : {}),
  quick,
  onSection: (s) => console.error(`  done: ${s.title}`),
});
if (!only || only.has('postgres')) {
  sections.push(await postgresSection());
  // A real server when PG_URL (or DATABASE_URL) names one; otherwise a "skipped" note.
  sections.push(await benchPostgresServer({ rounds: quick ? 1 : 3 }));
}

const table = renderTable(sections);
console.log(`\n${table}`);

if (args.includes('--readme')) {
  const readme = new URL('./README.md', import.meta.url);
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error('bench/README.md has no bench:start / bench:end markers');
  const block = `${start}\n\n${head.replace(/\n/g, '  \n')}\n\n${table}\n\n${end}`;
  writeFileSync(readme, text.slice(0, from) + block + text.slice(to + end.length));
  console.log('\nbench/README.md updated.');
}
