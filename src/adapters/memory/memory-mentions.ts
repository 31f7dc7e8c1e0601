import type { SortedIds } from '../../_lib/sorted-ids.js';
import type { StoredEvent } from '../../ports/event-store.js';
import type { HistoryEntry } from '../../ports/history-store.js';
import type { MentionPage, PositionedOutboxMessage, RecordCursor } from '../../ports/privacy-store.js';
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

/**
 * The memory store's `scanMentions`: its maps filtered in (kind, id) order. Nothing is locked in
 * memory, so nothing is ever skipped. Still reads every record after the cursor until the page is
 * full, but only in process (no copy, no serialisation of the records that do not match).
 */
export function scanMemoryMentions(
  source: MemoryMentionSource,
  after: RecordCursor | null,
  limit: number,
  needles: readonly string[],
): MentionPage {
  const records: StoredRecord[] = [];
  const matches = mentionTest(needles);
  if (needles.length === 0 || limit <= 0) return { records, skipped: [] };
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
      if (!hit) continue;
      records.push(record);
      if (records.length >= limit) return { records, skipped: [] };
    }
  }
  return { records, skipped: [] };
}

/** The memory store's `scanOutboxMentions`: its queue read in pages, filtered. */
export function scanMemoryOutboxMentions(
  scan: (after: number, limit: number) => PositionedOutboxMessage[],
  after: number,
  limit: number,
  needles: readonly string[],
): PositionedOutboxMessage[] {
  const out: PositionedOutboxMessage[] = [];
  if (needles.length === 0 || limit <= 0) return out;
  const matches = mentionTest(needles);
  for (let cursor = after; ;) {
    const page = scan(cursor, 500);
    for (const item of page) {
      if (matches(item.message.payload)) out.push(item);
      if (out.length >= limit) return out;
    }
    const last = page[page.length - 1];
    if (!last || page.length < 500) return out;
    cursor = last.position;
  }
}

/** The memory store's `scanEventMentions`: the log from `after` (seq = index + 1), filtered. */
export function scanMemoryEventMentions(
  events: readonly StoredEvent[],
  after: number,
  limit: number,
  needles: readonly string[],
): StoredEvent[] {
  const out: StoredEvent[] = [];
  if (needles.length === 0 || limit <= 0) return out;
  const matches = mentionTest(needles);
  for (let i = Math.max(0, Math.floor(after)); i < events.length && out.length < limit; i++) {
    const event = events[i]!;
    if (matches(event.subject.id) || matches(event.data)) out.push(event);
  }
  return out;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
