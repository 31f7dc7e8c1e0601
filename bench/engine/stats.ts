/** Shared pieces of the benchmarks: latency statistics, tinybench glue and the one results table. */
import { Bench, type Fn, type FnOptions } from 'tinybench';

/** Median and p99 of one measured task, in milliseconds. */
export interface Latency {
  median: number;
  p99: number;
  samples: number;
}

/** One line of the results table. Empty cells are left blank. */
export interface Row {
  benchmark: string;
  /** The library (engine, sweep, adapter) figure. */
  subject?: Latency;
  /** The same work through raw xstate (or another baseline) in the same run. */
  baseline?: Latency;
  /** A figure that is not a latency (bytes, round trips); shown in the median column. */
  value?: string;
  ratio?: number;
  target?: string;
  /** true = target met, false = missed, undefined = no target. */
  met?: boolean;
  note?: string;
}

/** A benchmark group: the rows it produced, or a note saying why it was skipped. */
export interface Section {
  title: string;
  rows: Row[];
  notes: string[];
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function latencyOf(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99), samples: sorted.length };
}

/**
 * Runs tasks in one tinybench instance (same process, same run, one after the other) and
 * returns median and p99 per task. Tasks are run `rounds` times in alternating order and
 * their samples pooled, so a slow phase of a shared, noisy machine hits every task alike.
 */
export async function measure(
  tasks: Record<string, { fn: Fn; options?: FnOptions }>,
  options: { time?: number; warmupTime?: number; rounds?: number } = {},
): Promise<Record<string, Latency>> {
  const rounds = options.rounds ?? 2;
  const pooled: Record<string, number[]> = {};
  const names = Object.keys(tasks);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    const bench = new Bench({
      time: options.time ?? 1_000,
      warmupTime: options.warmupTime ?? 200,
      iterations: 32,
      retainSamples: true,
    });
    for (const name of order) bench.add(name, tasks[name]!.fn, tasks[name]!.options);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state === 'errored') throw result.error;
      if (result.state !== 'completed') throw new Error(`benchmark task ${task.name} ended ${result.state}`);
      const into = (pooled[task.name] ??= []);
      for (const value of result.latency.samples ?? []) into.push(value);
    }
  }
  return Object.fromEntries(names.map((name) => [name, latencyOf(pooled[name] ?? [])]));
}

/** Times an async function `samples` times after `warmup` untimed runs, with a setup outside the timing. */
export async function sample(
  samples: number,
  run: () => Promise<unknown>,
  options: { warmup?: number; before?: () => Promise<void> | void } = {},
): Promise<Latency> {
  const times: number[] = [];
  for (let i = 0; i < (options.warmup ?? 2) + samples; i++) {
    await options.before?.();
    const start = performance.now();
    await run();
    const elapsed = performance.now() - start;
    if (i >= (options.warmup ?? 2)) times.push(elapsed);
  }
  return latencyOf(times);
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 1) return `${(ms * 1000).toFixed(1)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes.toFixed(0)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(2)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const HEADER = [
  'benchmark',
  'median · value',
  'p99',
  'baseline median',
  'baseline p99',
  'ratio',
  'target',
  '',
] as const;

/** Renders the sections as one Markdown table (readable in a terminal and in bench/README.md). */
export function renderTable(sections: readonly Section[]): string {
  const lines: string[][] = [];
  for (const section of sections) {
    lines.push([`**${section.title}**`, '', '', '', '', '', '', '']);
    for (const row of section.rows) {
      lines.push([
        row.benchmark,
        row.value ?? (row.subject ? formatMs(row.subject.median) : ''),
        row.subject ? formatMs(row.subject.p99) : '',
        row.baseline ? formatMs(row.baseline.median) : '',
        row.baseline ? formatMs(row.baseline.p99) : '',
        row.ratio === undefined ? '' : row.ratio.toFixed(2),
        row.target ?? '',
        row.met === undefined ? (row.note ?? '') : `${row.met ? 'ok' : 'MISSED'}${row.note ? ` — ${row.note}` : ''}`,
      ]);
    }
    for (const note of section.notes) lines.push([`_${note}_`, '', '', '', '', '', '', '']);
  }
  const widths = HEADER.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [
    fmt(HEADER),
    `|${widths.map((w, i) => (i === 0 || i === widths.length - 1 ? ':' : '-') + '-'.repeat(w) + (i === 0 || i === widths.length - 1 ? '-' : ':')).join('|')}|`,
    ...lines.map(fmt),
  ].join('\n');
}
