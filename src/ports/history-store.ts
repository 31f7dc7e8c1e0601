import type { Json } from './json.js';

/** One immutable history entry, written in the same commit as the state it describes. */
export interface HistoryEntryInput {
  kind: string;
  /** The record the entry belongs to. */
  id: string;
  at: number;
  /** What happened, e.g. `ticket.replied`. */
  type: string;
  /** Who did it, e.g. `{ role: 'agent', id: 'a1' }`, or `{ role: 'system' }`. */
  actor: Json;
  /** Free-form detail; never a secret. */
  data: Json;
}

export interface HistoryEntry extends HistoryEntryInput {
  /** 1-based position within the record's history. */
  seq: number;
}

/** Append-only history. Entries are only ever added by a commit. */
export interface HistoryStore {
  /** Must return the record's entries in commit order (seq ascending); an empty list when there are none. */
  history(kind: string, id: string): Promise<HistoryEntry[]>;
}
