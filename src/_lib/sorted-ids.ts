/** A sorted set of strings with binary-search insert, delete and "after" paging. */
export class SortedIds {
  private readonly items: string[] = [];

  get size(): number {
    return this.items.length;
  }

  private lowerBound(id: string): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(id: string): void {
    const i = this.lowerBound(id);
    if (this.items[i] !== id) this.items.splice(i, 0, id);
  }

  delete(id: string): void {
    const i = this.lowerBound(id);
    if (this.items[i] === id) this.items.splice(i, 1);
  }

  /** Ids strictly after `after` (or from the start), in order. */
  *from(after: string | undefined): Generator<string> {
    let i = after === undefined ? 0 : this.lowerBound(after);
    if (after !== undefined && this.items[i] === after) i++;
    for (; i < this.items.length; i++) yield this.items[i]!;
  }
}
