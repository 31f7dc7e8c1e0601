import type { Json } from '../../ports/json.js';
import type { StoredEvent } from '../../ports/event-store.js';
import type { OutboxMessage } from '../../ports/outbox-store.js';
import type { StoredRecord } from '../../ports/record-store.js';
import { parseJson, toNumber } from './_sql.js';

// Rows as the adapter's SELECTs return them (json columns as text), back into port shapes.

/** A `records` row (RECORD_COLUMNS) as a stored record. */
export function recordOf(row: any): StoredRecord {
  return {
    kind: row.kind,
    id: row.id,
    version: Number(row.version),
    state: parseJson(row.state) as Json,
    indexes: parseJson(row.indexes) as Record<string, string>,
    nextDueAt: toNumber(row.next_due_at),
  };
}

/** An `outbox` row (OUTBOX_COLUMNS) as an outbox message. */
export function outboxMessageOf(row: any): OutboxMessage {
  return {
    id: row.id,
    channel: row.channel,
    payload: parseJson(row.payload) as Json,
    idempotencyKey: row.idempotency_key,
    availableAt: Number(row.available_at),
    status: row.status,
    attempts: Number(row.attempts),
    claimedUntil: toNumber(row.claimed_until),
    lastError: row.last_error ?? null,
    deliveredAt: toNumber(row.delivered_at),
  };
}

/** An `events` row (`data` as text) as a stored event. */
export function eventOf(row: any): StoredEvent {
  return {
    seq: Number(row.seq),
    id: row.id,
    type: row.type,
    version: Number(row.version),
    at: Number(row.at),
    subject: { kind: row.subject_kind, id: row.subject_id },
    data: parseJson(row.data) as Json,
  };
}
