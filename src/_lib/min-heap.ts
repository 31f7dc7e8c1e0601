/**
 * A binary min-heap keyed by a number, stable on ties: entries with the same key come out in
 * the order of their `tie` (by default the order they were pushed). Used by the memory deadline
 * index and the memory outbox, where messages due at the same instant must leave in queue order.
 */
export class MinHeap<T> {
  private readonly keys: number[] = [];
  private readonly ties: number[] = [];
  private readonly values: T[] = [];
  private pushes = 0;

  /** The number of entries, stale ones included. */
  get size(): number {
    return this.keys.length;
  }

  /** The smallest key, or undefined when the heap is empty. */
  peekKey(): number | undefined {
    return this.keys[0];
  }

  /** The tie of the entry `peekKey` reports, or undefined when the heap is empty. */
  peekTie(): number | undefined {
    return this.ties[0];
  }

  /**
   * Adds `value` under `key`. Among equal keys the smaller `tie` comes out first; `tie` must be
   * a finite number and defaults to a push counter, so equal keys leave first in, first out.
   */
  push(key: number, value: T, tie: number = this.pushes): void {
    this.pushes++;
    this.keys.push(key);
    this.ties.push(tie);
    this.values.push(value);
    let i = this.keys.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes and returns the entry with the smallest (key, tie), or undefined when empty. */
  pop(): { key: number; value: T } | undefined {
    const n = this.keys.length;
    if (n === 0) return undefined;
    const top = { key: this.keys[0]!, value: this.values[0]! };
    const lastKey = this.keys.pop()!;
    const lastTie = this.ties.pop()!;
    const lastValue = this.values.pop()!;
    if (n > 1) {
      this.keys[0] = lastKey;
      this.ties[0] = lastTie;
      this.values[0] = lastValue;
      this.siftDown(0, n - 1);
    }
    return top;
  }

  /** Moves the entry at `i` down until neither child of it (below `size`) is smaller. */
  private siftDown(i: number, size: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < size && this.less(l, smallest)) smallest = l;
      if (r < size && this.less(r, smallest)) smallest = r;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  /** Calls `visit` for every entry, in storage order (not key order). */
  forEach(visit: (key: number, value: T, tie: number) => void): void {
    for (let i = 0; i < this.keys.length; i++) visit(this.keys[i]!, this.values[i]!, this.ties[i]!);
  }

  /**
   * Keeps only the entries `keep` accepts and restores the heap (bottom-up, O(n)). The kept
   * entries keep their keys and ties, so they come out in the same order as before.
   */
  retain(keep: (key: number, value: T, tie: number) => boolean): void {
    const { keys, ties, values } = this;
    let n = 0;
    for (let i = 0; i < keys.length; i++) {
      if (!keep(keys[i]!, values[i]!, ties[i]!)) continue;
      keys[n] = keys[i]!;
      ties[n] = ties[i]!;
      values[n] = values[i]!;
      n++;
    }
    keys.length = n;
    ties.length = n;
    values.length = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i, n);
  }

  private less(a: number, b: number): boolean {
    const ka = this.keys[a]!;
    const kb = this.keys[b]!;
    return ka < kb || (ka === kb && this.ties[a]! < this.ties[b]!);
  }

  private swap(a: number, b: number): void {
    const k = this.keys[a]!;
    this.keys[a] = this.keys[b]!;
    this.keys[b] = k;
    const t = this.ties[a]!;
    this.ties[a] = this.ties[b]!;
    this.ties[b] = t;
    const v = this.values[a]!;
    this.values[a] = this.values[b]!;
    this.values[b] = v;
  }
}
