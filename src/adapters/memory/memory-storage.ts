import { refuseMalformedCommit } from '../../_lib/commit-shape.js';
import { flatString } from '../../_lib/flat-string.js';
import { frozenCopy, frozenCopyAmong } from '../../_lib/json.js';
import { pageLimit, refuseNonStringFilter } from '../../_lib/list-query.js';
import { repeats } from '../../_lib/repeats.js';
import { SortedIds } from '../../_lib/sorted-ids.js';
import type { DueRecord } from '../../ports/deadline-index.js';
import type { EventPage, StoredEvent } from '../../ports/event-store.js';
import type { HistoryEntry } from '../../ports/history-store.js';
import type { Json } from '../../ports/json.js';
import type { OutboxChannel, OutboxClaim, OutboxMessage, OutboxStatus } from '../../ports/outbox-store.js';
import type { ListQuery, StoredRecord } from '../../ports/record-store.js';
import type {
  HistoryRedaction,
  MentionPage,
  MentionScan,
  PositionedOutboxMessage,
  PrivacyStore,
  RecordCursor,
} from '../../ports/privacy-store.js';
import type { Commit, CommitResult, Storage } from '../../ports/storage.js';
import { deletesClash } from './memory-deletes.js';
import { scanMemoryEventMentions, scanMemoryMentions, scanMemoryOutboxMentions } from './memory-mentions.js';
import { DeadlineHeaps } from './deadline-heaps.js';
import { KindMap } from './kind-map.js';
import { MemoryOutbox } from './memory-outbox.js';
import { ValueIndexes } from './value-index.js';
import { appendHistory, historyEntry, LastIndexes, NO_INDEXES, storedEvent } from './stored-shapes.js';

/** A record's key in the lease map and in a commit's duplicate check. */
const keyOf = (kind: string, id: string) => `${kind}\u0000${id}`;
/** Scope and key apart: its length ends the scope, so no U+0000 inside either can make two pairs one. */
const idempotencyKeyOf = (scope: string, key: string) => `${scope.length}:${scope}\u0000${key}`;

/** How many of a history's latest entries a commit extending it shares actors with. */
const ACTORS_LOOKED_BACK = 4;
/** How many of a commit's history entries seed the shared actors (a few: each copy compares with all). */
const HISTORIES_SEEDED = 4;

/**
 * The embedded default storage. Every method does its whole read-check-write
 * without an `await` in between, so interleaved async callers see each commit
 * as atomic. Stored state is deep-frozen and never aliases a caller's object.
 * The deadline index is a min-heap with lazy deletion: a sweep pops only due
 * entries, so it costs O(due · log n), not O(n). Record indexes are B+trees
 * (O(log n) per change) and the outbox keeps queue order (see MemoryOutbox).
 */
export class MemoryStorage implements Storage, PrivacyStore, MentionScan {
  /** Stored records, frozen. */
  private readonly records = new KindMap<StoredRecord>();
  /** Records claimed by a sweep (`claimDue`), by `keyOf`, until when; a write ends the claim. */
  private readonly leases = new Map<string, number>();
  private readonly byKind = new Map<string, SortedIds>();
  /** kind → index key → value → ids. Nested so a lookup builds and hashes no new string. */
  private readonly byIndex = new ValueIndexes();
  private readonly deadlines = new DeadlineHeaps();
  /** A record's current deadline, for the heaps' compaction: undefined when the record is gone. */
  private readonly dueOf = (kind: string, id: string) => this.records.get(kind, id)?.nextDueAt;
  /** A claim ending at `leaseEnd`: the record's deadline when that claim lapsed uncommitted, else null. */
  private readonly lapsed = (leaseEnd: number, kind: string, id: string): number | null => {
    const key = keyOf(kind, id);
    if (this.leases.get(key) !== leaseEnd) return null; // committed (the write pushed its deadline), or re-claimed
    return this.records.get(kind, id)?.nextDueAt ?? null; // the lease stays: a sweep with an earlier now still sees it
  };
  private readonly lastIndexes = new LastIndexes();
  private readonly histories = new KindMap<HistoryEntry[]>();
  private readonly outbox = new MemoryOutbox();
  private readonly sequences = new Map<string, number>();
  private readonly idempotency = new Map<string, Json>();
  /** The event log; an event's seq is its index + 1, so a read by cursor is a slice. */
  private readonly events: StoredEvent[] = [];
  /** The subject of the last stored event, shared by the next events that name the same one. */
  private lastSubject: StoredEvent['subject'] | undefined = undefined;

  async load(kind: string, id: string): Promise<StoredRecord | null> {
    return this.records.get(kind, id) ?? null;
  }

  async list(kind: string, query: ListQuery): Promise<StoredRecord[]> {
    refuseNonStringFilter(query.where); // INVALID_INPUT, as PostgreSQL answers: never "no filter"
    const limit = pageLimit(query.limit); // whole records, as PostgreSQL's LIMIT takes it
    if (limit === 0) return [];
    const entries = Object.entries(query.where);
    let candidates: SortedIds | undefined = this.byKind.get(kind);
    for (const [key, value] of entries) {
      const ids = this.byIndex.ids(kind, key, value);
      if (!ids) return [];
      if (!candidates || ids.size < candidates.size) candidates = ids;
    }
    if (!candidates) return [];
    const out: StoredRecord[] = [];
    for (const id of candidates.from(query.after)) {
      const record = this.records.get(kind, id);
      if (!record) continue;
      if (!entries.every(([key, value]) => record.indexes[key] === value)) continue;
      out.push(record);
      if (out.length >= limit) break;
    }
    return out;
  }

  async history(kind: string, id: string): Promise<HistoryEntry[]> {
    return [...(this.histories.get(kind, id) ?? [])];
  }

  async commit(commit: Commit): Promise<CommitResult | null> {
    refuseMalformedCommit(commit); // INVALID_INPUT before anything is copied or stored
    // Validate and copy everything first: a refusal must change nothing. Each stored object is
    // built once, frozen, from the copies (a state already frozen by the engine is shared).
    // Small leaves holding an id (actors) are shared among this commit's writes and history, and
    // with the latest actors of the histories it extends: a ticket's messages and history name
    // the same two or three people again and again (~56 bytes each copy; issue 16).
    const leaves: Json[] = [];
    for (let j = 0; j < commit.history.length && j < HISTORIES_SEEDED; j++) {
      const list = this.histories.get(commit.history[j]!.kind, commit.history[j]!.id);
      if (list)
        for (let i = Math.max(0, list.length - ACTORS_LOOKED_BACK); i < list.length; i++) leaves.push(list[i]!.actor);
    }
    const records: StoredRecord[] = [];
    for (const w of commit.writes) {
      records.push(
        Object.freeze({
          kind: w.kind,
          id: flatString(w.id),
          version: w.expectedVersion + 1,
          state: frozenCopyAmong(w.state, leaves),
          indexes: w.indexes ? this.lastIndexes.copy(w.kind, w.indexes) : NO_INDEXES,
          nextDueAt: w.nextDueAt,
        }),
      );
    }
    const historyCopies: Array<[actor: Json, data: Json]> = [];
    for (const h of commit.history)
      historyCopies.push([frozenCopyAmong(h.actor, leaves), frozenCopyAmong(h.data, leaves)]);
    const payloads: Json[] = [];
    for (const m of commit.outbox) payloads.push(frozenCopy(m.payload));
    const events = commit.events ?? [];
    const eventCopies: Array<[subject: StoredEvent['subject'], data: Json]> = [];
    // Events of one subject share its frozen subject object (a command's events mostly name one).
    let subject = this.lastSubject;
    for (const e of events) {
      if (!subject || subject.kind !== e.subject.kind || subject.id !== e.subject.id) {
        subject = Object.freeze({ kind: e.subject.kind, id: flatString(e.subject.id) });
      }
      eventCopies.push([subject, frozenCopy(e.data)]);
    }
    const idem: Array<[key: string, value: Json]> = [];
    for (const r of commit.idempotency) idem.push([idempotencyKeyOf(r.scope, r.key), frozenCopy(r.value)]);

    // One record, key, outbox id or event id twice in a commit is refused, as PostgreSQL's unique
    // keys refuse it (a second message with one id would break the outbox's queues).
    if (repeats(records, (r) => keyOf(r.kind, r.id)) || repeats(idem, ([key]) => key)) return null;
    if (repeats(commit.outbox, (m) => m.id) || repeats(events, (e) => e.id)) return null;
    for (const record of records) {
      const current = this.records.get(record.kind, record.id)?.version ?? 0;
      if (current !== record.version - 1) return null;
    }
    for (const [key] of idem) if (this.idempotency.has(key)) return null;
    for (const m of commit.outbox) if (this.outbox.has(m.id)) return null;
    if (!this.applyDeletes(commit)) return null; // the last check; applies only when every guard held

    const versions: number[] = [];
    for (const record of records) {
      const previous = this.records.get(record.kind, record.id);
      this.records.set(record.kind, record.id, record);
      this.lastIndexes.stored(record.kind, record.indexes, previous?.indexes);
      // A write ends a sweep's claim on the record.
      const wasLeased = this.leases.size > 0 && this.leases.delete(keyOf(record.kind, record.id));
      this.reindex(previous, record);
      // A heap entry already exists for an unchanged, unclaimed deadline; otherwise add one.
      const due = record.nextDueAt;
      if (due !== null && (due !== previous?.nextDueAt || wasLeased)) {
        this.deadlines.push(due, record.kind, record.id);
      }
      versions.push(record.version);
    }
    if (this.deadlines.overgrown) this.deadlines.compact(this.dueOf);
    for (let i = 0; i < commit.history.length; i++) {
      const h = commit.history[i]!;
      const [actor, data] = historyCopies[i]!;
      const list = this.histories.get(h.kind, h.id);
      const next = appendHistory(list, historyEntry(h, actor, data, (list?.length ?? 0) + 1));
      if (next !== list) this.histories.set(h.kind, h.id, next);
    }
    for (let i = 0; i < payloads.length; i++) this.outbox.enqueue(commit.outbox[i]!, payloads[i]!);
    for (const [key, value] of idem) this.idempotency.set(key, value);
    for (let i = 0; i < events.length; i++) {
      const [subject, data] = eventCopies[i]!;
      this.events.push(storedEvent(events[i]!, subject, data, this.events.length + 1));
      this.lastSubject = subject;
    }
    return { versions };
  }

  private reindex(previous: StoredRecord | undefined, next: StoredRecord): void {
    if (!previous) {
      let ids = this.byKind.get(next.kind);
      if (!ids) this.byKind.set(next.kind, (ids = new SortedIds()));
      ids.add(next.id);
    } else {
      for (const key in previous.indexes) {
        const value = previous.indexes[key]!;
        if (next.indexes[key] !== value) this.byIndex.delete(next.kind, key, value, next.id);
      }
    }
    for (const key in next.indexes) {
      const value = next.indexes[key]!;
      if (previous?.indexes[key] === value) continue;
      this.byIndex.add(next.kind, key, value, next.id);
    }
  }

  async claimDue(now: number, leaseUntil: number, limit: number): Promise<DueRecord[]> {
    const out: DueRecord[] = [];
    // A claim that ended uncommitted goes back at its deadline, so the earliest due comes first.
    this.deadlines.releaseLapsed(now, this.lapsed);
    const taken = new Set<string>();
    while (out.length < limit) {
      const next = this.deadlines.popDue(now);
      if (!next) break;
      const [kind, id, at] = next;
      const record = this.records.get(kind, id);
      if (!record) continue;
      const due = record.nextDueAt;
      if (due === null || due !== at) continue; // stale heap entry; the current deadline has its own
      const key = keyOf(kind, id);
      const lease = this.leases.get(key);
      if (lease !== undefined && lease > now) {
        this.deadlines.holdUntil(lease, kind, id); // its lease end may have been released already
        continue;
      }
      if (taken.has(key)) continue;
      taken.add(key);
      this.leases.set(key, leaseUntil);
      // If the claimant never commits, the record becomes claimable again at lease end.
      this.deadlines.holdUntil(leaseUntil, kind, id);
      out.push({ kind: record.kind, id: record.id, dueAt: due });
    }
    if (this.deadlines.overgrown) this.deadlines.compact(this.dueOf);
    return out;
  }

  async claimOutbox(
    channels: readonly OutboxChannel[],
    now: number,
    leaseUntil: number,
    limit: number,
  ): Promise<OutboxMessage[]> {
    return this.outbox.claim(channels, now, leaseUntil, limit);
  }

  async markDelivered(id: string, at: number, claim?: OutboxClaim): Promise<boolean> {
    return this.outbox.settle(id, { status: 'delivered', claimedUntil: null, deliveredAt: at }, claim);
  }

  async markFailed(id: string, retryAt: number, error: string, claim?: OutboxClaim): Promise<boolean> {
    return this.outbox.settle(
      id,
      { status: 'pending', claimedUntil: null, availableAt: retryAt, lastError: error },
      claim,
    );
  }

  async markDead(id: string, error: string, at?: number, claim?: OutboxClaim): Promise<boolean> {
    const died = at !== undefined ? { availableAt: at } : {};
    return this.outbox.settle(id, { status: 'dead', claimedUntil: null, lastError: error, ...died }, claim);
  }

  async listOutbox(query: { status?: OutboxStatus; limit?: number } = {}): Promise<OutboxMessage[]> {
    return this.outbox.list(query);
  }

  // Outbox secrets: the settled message's payload is replaced, so no copy of the secret remains.
  async erasePayload(id: string, payload: Json): Promise<boolean> {
    return this.outbox.replaceSettledPayload(id, frozenCopy(payload));
  }

  async readEvents(page: EventPage): Promise<StoredEvent[]> {
    const from = Math.max(0, Math.floor(page.after));
    const limit = Math.max(0, Math.floor(page.limit));
    // Stored events are frozen, so handing them out cannot alias anything a caller could change.
    return this.events.slice(from, from + limit);
  }

  // ── privacy (issue 17): walks, deletes and redactions for export, erasure and retention ──

  /**
   * The commit's deletes (see `Commit.deletes`): false, changing nothing, when one misses its
   * version or clashes with the commit's writes or history; otherwise removes them all. Called
   * after every other guard of the commit held, so nothing after it can refuse.
   */
  private applyDeletes(commit: Commit): boolean {
    const deletes = commit.deletes ?? [];
    if (deletes.length === 0) return true;
    if (deletesClash(commit)) return false;
    for (const d of deletes) {
      if (d.expectedVersion < 1 || this.records.get(d.kind, d.id)?.version !== d.expectedVersion) return false;
    }
    for (const d of deletes) this.removeRecord(d.kind, d.id);
    return true;
  }

  /** Removes a record with its indexes and history; the deadline heap drops its entries lazily. */
  private removeRecord(kind: string, id: string): void {
    const record = this.records.get(kind, id);
    if (!record) return;
    this.records.delete(kind, id);
    this.lastIndexes.deleted(kind, record.indexes);
    this.histories.delete(kind, id);
    if (this.leases.size > 0) this.leases.delete(keyOf(kind, id));
    this.byKind.get(kind)?.delete(id);
    for (const [index, value] of Object.entries(record.indexes)) this.byIndex.delete(kind, index, value, id);
  }

  async scanRecords(after: RecordCursor | null, limit: number): Promise<StoredRecord[]> {
    const out: StoredRecord[] = [];
    const kinds = [...this.byKind.keys()]
      .filter((kind) => after === null || kind >= after.kind)
      .sort(compareCodePoints);
    for (const kind of kinds) {
      const from = after !== null && kind === after.kind ? after.id : undefined;
      for (const id of this.byKind.get(kind)!.from(from)) {
        if (out.length >= limit) return out;
        const record = this.records.get(kind, id);
        if (record) out.push(record);
      }
    }
    return out;
  }

  async deleteRecord(kind: string, id: string, expectedVersion: number): Promise<boolean> {
    const record = this.records.get(kind, id);
    if (!record || record.version !== expectedVersion) return false;
    this.removeRecord(kind, id);
    return true;
  }

  async redactHistory(redaction: HistoryRedaction): Promise<boolean> {
    const list = this.histories.get(redaction.kind, redaction.id);
    const entry = list?.[redaction.seq - 1];
    if (!list || !entry) return false;
    list[redaction.seq - 1] = historyEntry(entry, frozenCopy(redaction.actor), frozenCopy(redaction.data), entry.seq);
    return true;
  }

  async redactEvent(seq: number, redaction: { subjectId: string; data: Json }): Promise<boolean> {
    const event = this.events[seq - 1];
    if (!event || !Number.isInteger(seq)) return false;
    if (this.lastSubject === event.subject) this.lastSubject = undefined; // keep no erased id
    const subject = Object.freeze({ kind: event.subject.kind, id: redaction.subjectId });
    this.events[seq - 1] = storedEvent(event, subject, frozenCopy(redaction.data), event.seq);
    return true;
  }

  async redactOutbox(id: string, payload: Json, reason: string): Promise<boolean> {
    return this.outbox.redact(id, frozenCopy(payload), reason);
  }

  async scanOutbox(after: number, limit: number): Promise<PositionedOutboxMessage[]> {
    return this.outbox.scan(after, limit);
  }

  async deleteSettledOutbox(ids: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const id of ids) if (this.outbox.deleteSettled(id)) deleted++;
    return deleted;
  }

  async scanMentions(after: RecordCursor | null, limit: number, needles: readonly string[]): Promise<MentionPage> {
    const [records, histories] = [this.records, this.histories];
    const source = { byKind: this.byKind, record: (k: string, i: string) => records.get(k, i) };
    return scanMemoryMentions({ ...source, history: (k, i) => histories.get(k, i) }, after, limit, needles);
  }
  async scanOutboxMentions(after: number, limit: number, needles: readonly string[]) {
    return scanMemoryOutboxMentions((from, n) => this.outbox.scan(from, n), after, limit, needles);
  }
  async scanEventMentions(after: number, limit: number, needles: readonly string[]) {
    return scanMemoryEventMentions(this.events, after, limit, needles);
  }

  async nextSequence(name: string): Promise<number> {
    const next = (this.sequences.get(name) ?? 0) + 1;
    this.sequences.set(name, next);
    return next;
  }

  async getIdempotency(scope: string, key: string): Promise<Json | null> {
    return this.idempotency.get(idempotencyKeyOf(scope, key)) ?? null;
  }
}

function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Creates the embedded default storage: in-memory, process-local. */
export function createMemoryStorage(): Storage {
  return new MemoryStorage();
}
