import type { SortedIds } from '../../_lib/sorted-ids.js';
import type { StoredEvent } from '../../ports/event-store.js';
import type { HistoryEntry } from '../../ports/history-store.js';
import type {
  EventMentionPage,
  MentionPage,
  OutboxMentionPage,
  PositionedOutboxMessage,
  RecordCursor,
} from '../../ports/privacy-store.js';
import type { StoredRecord } from '../../ports/record-store.js';
import { mentionTest } from '../../privacy/mention-test.js';

/** The `/iu` mention test the memory scans apply (defined beside the erasure, which must agree with it). */
export { mentionTest };

/** What {@link scanMemoryMentions} reads of the memory store. */
export interface MemoryMentionSource {
  byKind: ReadonlyMap<string, SortedIds>;
  record(kind: string, id: string): StoredRecord | undefined;
  history(kind: string, id: string): readonly HistoryEntry[] | undefined;
}

/** Rows one mention scan looks at, at most: each call costs the same bounded work whatever matches. */
export const MEMORY_MENTION_WINDOW = 1_000;

/**
 * The memory store's `scanMentions`: its maps filtered in (kind, id) order, over at most
 * {@link MEMORY_MENTION_WINDOW} records after the cursor. Nothing is locked in memory, so nothing
 * is ever skipped.
 */
export function scanMemoryMentions(
  source: MemoryMentionSource,
  after: RecordCursor | null,
  limit: number,
  needles: readonly string[],
): MentionPage {
  const records: StoredRecord[] = [];
  if (needles.length === 0 || limit <= 0) return { records, skipped: [], next: null };
  const matches = mentionTest(needles);
  let seen = 0;
  const kinds = [...source.byKind.keys()].filter((kind) => after === null || kind >= after.kind).sort(byCodePoint);
  for (const kind of kinds) {
    const from = after !== null && kind === after.kind ? after.id : undefined;
    for (const id of source.byKind.get(kind)!.from(from)) {
      const record = source.record(kind, id);
      if (!record) continue;
      const history = source.history(kind, id) ?? [];
      const hit =
        matches(id) ||
        matches(record.state) ||
        matches(record.indexes) ||
        history.some((entry) => matches(entry.actor) || matches(entry.data));
      if (hit) records.push(record);
      if (records.length >= limit || ++seen >= MEMORY_MENTION_WINDOW)
        return { records, skipped: [], next: { kind, id } };
    }
  }
  return { records, skipped: [], next: null };
}

/** The memory store's `scanOutboxMentions`: at most {@link MEMORY_MENTION_WINDOW} messages of its queue, filtered. */
export function scanMemoryOutboxMentions(
  scan: (after: number, limit: number) => PositionedOutboxMessage[],
  after: number,
  limit: number,
  needles: readonly string[],
): OutboxMentionPage {
  const messages: PositionedOutboxMessage[] = [];
  if (needles.length === 0 || limit <= 0) return { messages, next: null };
  const matches = mentionTest(needles);
  const window = scan(after, MEMORY_MENTION_WINDOW);
  for (const item of window) {
    if (matches(item.message.payload) || matches(item.message.lastError)) messages.push(item);
    if (messages.length >= limit) return { messages, next: item.position };
  }
  const last = window[window.length - 1];
  return { messages, next: last && window.length === MEMORY_MENTION_WINDOW ? last.position : null };
}

/** The memory store's `scanEventMentions`: at most {@link MEMORY_MENTION_WINDOW} events from `after` (seq = index + 1), filtered. */
export function scanMemoryEventMentions(
  events: readonly StoredEvent[],
  after: number,
  limit: number,
  needles: readonly string[],
): EventMentionPage {
  const out: StoredEvent[] = [];
  if (needles.length === 0 || limit <= 0) return { events: out, next: null };
  const matches = mentionTest(needles);
  const from = Math.max(0, Math.floor(after));
  const to = Math.min(events.length, from + MEMORY_MENTION_WINDOW);
  for (let i = from; i < to; i++) {
    const event = events[i]!;
    if (matches(event.subject.id) || matches(event.data)) out.push(event);
    if (out.length >= limit) return { events: out, next: event.seq };
  }
  return { events: out, next: to < events.length ? to : null };
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
