import { MinHeap } from '../../_lib/min-heap.js';

/** Entries the heaps may hold beyond twice the last compaction's, before the next one. */
const COMPACT_SLACK = 1_024;

/**
 * The memory store's deadlines: a heap per record kind whose entries are the records' ids (no
 * `[kind, id]` pair per entry: ~30 bytes less each), with lazy deletion of stale entries (the
 * caller checks the record). Ties carry one counter across kinds, so entries due at the same
 * instant come out in the order they were pushed, whatever their kind.
 *
 * Lazy deletion leaves an entry behind each time a record's deadline moves (a ticket put back to
 * pending gets a new 72 h deadline; the old entry stays until its instant). So that the heaps
 * hold what the records need rather than every deadline of the last weeks, the store compacts
 * them once they hold more than twice the entries kept by the last compaction, plus 1,024
 * (`overgrown`, `compact`): O(entries) each time, after at least as many pushes, so O(1) a push.
 */
export class DeadlineHeaps {
  private readonly heaps = new Map<string, MinHeap<string>>();
  /** The claims' lease ends (`holdUntil`). */
  private readonly leaseEnds = new MinHeap<readonly [kind: string, id: string]>();
  private pushes = 0;
  /** Entries in all heaps, stale ones included. */
  private entries = 0;
  /** Past this many entries the heaps are `overgrown`. */
  private limit: number;

  /** `slack`: entries allowed beyond twice what the last compaction kept (tests compact often with less). */
  constructor(private readonly slack = COMPACT_SLACK) {
    this.limit = slack;
  }

  /** Whether stale entries may now outnumber the needed ones: time to `retain`. */
  get overgrown(): boolean {
    return this.entries > this.limit;
  }

  push(at: number, kind: string, id: string): void {
    let heap = this.heaps.get(kind);
    if (!heap) this.heaps.set(kind, (heap = new MinHeap<string>()));
    heap.push(at, id, this.pushes++);
    this.entries++;
  }

  /**
   * Keeps the entries `keep` accepts, and of those at most one per (kind, id, time): the earliest
   * pushed. Kept entries keep their order. Resets the limit to twice what was kept, plus slack.
   */
  retain(keep: (kind: string, id: string, at: number) => boolean): void {
    let kept = 0;
    for (const [kind, heap] of this.heaps) {
      // `id\0at` → the tie of the entry kept for it (ties are unique: one counter for all heaps).
      const first = new Map<string, number>();
      heap.forEach((at, id, tie) => {
        if (!keep(kind, id, at)) return;
        const key = `${id}\u0000${at}`;
        const seen = first.get(key);
        if (seen === undefined || tie < seen) first.set(key, tie);
      });
      heap.retain((at, id, tie) => first.get(`${id}\u0000${at}`) === tie);
      kept += heap.size;
      if (heap.size === 0) this.heaps.delete(kind);
    }
    this.entries = kept;
    this.limit = 2 * kept + this.slack;
  }

  /**
   * Drops the entries no claim needs, given each record's current deadline (`dueOf`: null without
   * one, undefined when the record is gone): those of records gone or without a deadline (the
   * commit that sets a deadline pushes its entry), and, for a record that has an entry at its
   * deadline, every other one. That entry pops at the first sweep past the deadline; if the record
   * is claimed by then, popping it pushes the entry that ends the claim. A record without such an
   * entry (it was claimed) keeps all of its entries: one of them ends the claim.
   */
  compact(dueOf: (kind: string, id: string) => number | null | undefined): void {
    const exact = new Set<string>();
    for (const [kind, heap] of this.heaps) {
      heap.forEach((at, id) => {
        if (dueOf(kind, id) === at) exact.add(`${kind}\u0000${id}`);
      });
    }
    this.retain((kind, id, at) => {
      const due = dueOf(kind, id);
      if (due === undefined || due === null) return false;
      return at === due || !exact.has(`${kind}\u0000${id}`);
    });
  }

  /**
   * Remembers that a claim on the record ends at `leaseEnd`. Kept apart from the deadlines, so a
   * claim that lapses uncommitted goes back at its deadline (`releaseLapsed`), not at its lease
   * end: claims stay earliest-due first.
   */
  holdUntil(leaseEnd: number, kind: string, id: string): void {
    this.leaseEnds.push(leaseEnd, [kind, id]);
  }

  /**
   * Removes every remembered claim ending by `now`, handing each to `lapsed`, which returns the
   * record's deadline to push back (or null: committed since, re-claimed, gone or without one).
   */
  releaseLapsed(now: number, lapsed: (leaseEnd: number, kind: string, id: string) => number | null): void {
    for (let at = this.leaseEnds.peekKey(); at !== undefined && at <= now; at = this.leaseEnds.peekKey()) {
      const [kind, id] = this.leaseEnds.pop()!.value;
      const due = lapsed(at, kind, id);
      if (due !== null) this.push(due, kind, id);
    }
  }

  /** Removes and returns the earliest entry due by `now` (by time, then push order), if any. */
  popDue(now: number): [kind: string, id: string, at: number] | undefined {
    let bestKind: string | undefined;
    let best: MinHeap<string> | undefined;
    for (const [kind, heap] of this.heaps) {
      const at = heap.peekKey();
      if (at === undefined || at > now) continue;
      const bestAt = best?.peekKey();
      if (bestAt === undefined || at < bestAt || (at === bestAt && heap.peekTie()! < best!.peekTie()!)) {
        bestKind = kind;
        best = heap;
      }
    }
    if (!best) return undefined;
    this.entries--;
    const top = best.pop()!;
    return [bestKind!, top.value, top.key];
  }
}
