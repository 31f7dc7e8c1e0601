export { ManualClock } from './manual-clock.js';
export { CapturingMailer, CapturingSms, type Captured } from './capturing-senders.js';
export { storageConformanceCases, type ConformanceCase, type ConformanceTarget } from './storage-conformance.js';
