/**
 * Values by (kind, id): one map per kind, so a lookup hashes the id it is given and builds no
 * `kind\0id` string, and the store keeps no such string per record (~50 bytes each; issue 16).
 */
export class KindMap<V> {
  private readonly kinds = new Map<string, Map<string, V>>();

  get(kind: string, id: string): V | undefined {
    return this.kinds.get(kind)?.get(id);
  }

  set(kind: string, id: string, value: V): void {
    let ids = this.kinds.get(kind);
    if (!ids) this.kinds.set(kind, (ids = new Map()));
    ids.set(id, value);
  }

  delete(kind: string, id: string): boolean {
    return this.kinds.get(kind)?.delete(id) ?? false;
  }
}
