import { PerformanceObserver } from 'node:perf_hooks';
import { benchSweep } from './engine/sweep.js';
let gcMs = 0; let n = 0;
new PerformanceObserver((list) => { for (const e of list.getEntries()) { gcMs += e.duration; n++; } }).observe({ entryTypes: ['gc'] });
const s = await benchSweep({ sizes: [10_000, 1_000_000], samples: 9 });
for (const r of s.rows) console.log(r.benchmark, (r as any).subject?.median, (r as any).ratio ?? '');
console.log('gc total ms', gcMs.toFixed(0), 'events', n);
