import { MinHeap } from '../../_lib/min-heap.js';

/**
 * The memory store's deadlines: a heap per record kind whose entries are the records' ids (no
 * `[kind, id]` pair per entry: ~30 bytes less each), with lazy deletion of stale entries (the
 * caller checks the record). Ties carry one counter across kinds, so entries due at the same
 * instant come out in the order they were pushed, whatever their kind.
 */
export class DeadlineHeaps {
  private readonly heaps = new Map<string, MinHeap<string>>();
  private pushes = 0;

  push(at: number, kind: string, id: string): void {
    let heap = this.heaps.get(kind);
    if (!heap) this.heaps.set(kind, (heap = new MinHeap<string>()));
    heap.push(at, id, this.pushes++);
  }

  /** Removes and returns the earliest entry due by `now` (by time, then push order), if any. */
  popDue(now: number): [kind: string, id: string] | undefined {
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
    return best ? [bestKind!, best.pop()!.value] : undefined;
  }
}
