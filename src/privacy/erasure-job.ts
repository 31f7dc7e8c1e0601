import type { Json } from '../ports/json.js';
import type { PrivacyStore, RecordCursor } from '../ports/privacy-store.js';
import type { Storage } from '../ports/storage.js';
import type { CollectCursor } from './collect-sources.js';
import type { PersonalDataHandler } from './handlers.js';
import type { WalkCursor } from './walk-cursor.js';

/** What an erasure changed so far: records redacted and deleted, history entries, mails and events redacted. */
export interface ErasureCounts {
  redacted: number;
  deleted: number;
  history: number;
  outbox: number;
  events: number;
}

/** The stored state of an erasure job. Identifiers and texts are held only while it runs. */
export interface ErasureJob {
  status: 'collecting' | 'applying' | 'done';
  pseudonym: string;
  accountId: string | null;
  identifiers: string[];
  /**
   * The identifiers that are bare words (a personal login): they decide through login fields and
   * login-keyed ids only, and are cut out as texts in the subject's own places, never hunted in
   * others' text (`ResolvedSubject.words`). Absent in jobs stored before: none.
   */
  words?: string[];
  /** Strings of the subject (from the handlers' redactions) hunted for in every other place. */
  texts: string[];
  /**
   * The texts among them the subject wrote (bodies, descriptions, comments; `removedWritings`):
   * cut from any mail that quotes them, not only from mail about the subject. Absent in jobs
   * stored before: none.
   */
  writings?: string[];
  /** `collect` (through the handlers' indexes) in new jobs; `records` while collecting in jobs stored before. */
  cursor: WalkCursor | CollectCursor | SkippedCursor;
  /**
   * Records a filtered scan passed by because another transaction held them (PostgreSQL
   * `SKIP LOCKED`): visited after the scan, without skipping. Absent in jobs stored before.
   */
  skipped?: RecordCursor[];
  /**
   * True when a record of the subject found at collect would not be found by the store's filter
   * (its handler names them by a form not literally in it): applying then walks every record.
   */
  walkRecords?: boolean;
  /** Collect passes so far, and how many identifiers the current pass started with. */
  passes: number;
  passStartIdentifiers: number;
  actor: Json;
  reason: string;
  requestedAt: number;
  attachments: Json[];
  counts: ErasureCounts;
  /** HMAC of each identifier: the tombstone kept until `freeAt`, so the identifiers are not reused before. */
  tombstones: string[];
  freeAt: number | null;
  finishedAt: number | null;
}

/** After the records, the ones a scan skipped as locked are visited, a page per step. */
export interface SkippedCursor {
  part: 'skipped';
}

/** What one step needs. */
export interface StepContext {
  storage: Storage;
  store: PrivacyStore;
  registry: ReadonlyMap<string, PersonalDataHandler>;
  batchSize: number;
}
