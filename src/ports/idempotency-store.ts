import type { Json } from './json.js';

/** A stored answer to a command made with an idempotency key. */
export interface IdempotencyRecord {
  scope: string;
  key: string;
  value: Json;
}

/** Idempotency keys, written in the same commit as the command's effects. */
export interface IdempotencyStore {
  /** Must return the stored value for `scope`/`key`, or null. */
  getIdempotency(scope: string, key: string): Promise<Json | null>;
}
