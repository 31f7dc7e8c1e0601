// helpdesk-core/testing — manual clock, capturing senders, the storage conformance suite.
export * from './testing/index.js';
// ── docs ──
export type { OutboxConformanceTarget } from './testing/outbox-conformance.js';
