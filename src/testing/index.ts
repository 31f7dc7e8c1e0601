export { ManualClock } from './manual-clock.js';
export { CapturingMailer, CapturingSms, type Captured } from './capturing-senders.js';
export {
  storageConformanceCases,
  type ConformanceCase,
  type ConformanceTarget,
  type StorageConformanceOptions,
} from './storage-conformance.js';
export {
  storableTextCases,
  unstorableTextCases,
  STORABLE_TEXT_SAMPLES,
  UNSTORABLE_TEXT_SAMPLES,
} from './storage-text-conformance.js';
export { eventConformanceCases, type EventConformanceTarget } from './event-conformance.js';
export { outboxConformanceCases } from './outbox-conformance.js';
export {
  mailerConformanceCases,
  smsSenderConformanceCases,
  type ReceivedDelivery,
  type SenderConformanceTarget,
} from './sender-conformance.js';
export { privacyConformanceCases } from './privacy-conformance.js';
export { deleteConformanceCases } from './delete-conformance.js';
