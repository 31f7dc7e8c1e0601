export type { Clock } from './clock.js';
export type { IdGenerator } from './id-generator.js';
export type { RandomSource } from './random-source.js';
export type { Mailer, MailMessage, DeliveryContext } from './mailer.js';
export type { SmsSender, SmsMessage } from './sms-sender.js';
export type { Json } from './json.js';
export type { RecordStore, StoredRecord, ListQuery } from './record-store.js';
export type { HistoryStore, HistoryEntry, HistoryEntryInput } from './history-store.js';
export type {
  OutboxStore,
  OutboxMessage,
  OutboxMessageInput,
  OutboxChannel,
  OutboxStatus,
  OutboxClaim,
} from './outbox-store.js';
export type { DeadlineIndex, DueRecord } from './deadline-index.js';
export type { SequenceStore } from './sequence-store.js';
export type { IdempotencyStore, IdempotencyRecord } from './idempotency-store.js';
export type {
  Storage,
  Commit,
  CommitResult,
  RecordWrite,
  BatchRead,
  BatchReadResult,
  BatchReadResults,
} from './storage.js';
export type { PasswordHasher } from './password-hasher.js';
export type { SessionRevoker, SessionRevocationReason } from './session-revoker.js';
export type { EventStore, EventInput, StoredEvent, EventSubject, EventPage } from './event-store.js';
export type {
  PrivacyStore,
  RecordCursor,
  HistoryRedaction,
  PositionedOutboxMessage,
  MentionScan,
  MentionPage,
  OutboxMentionPage,
  EventMentionPage,
} from './privacy-store.js';
