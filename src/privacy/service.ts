import { toJson } from '../_lib/json.js';
import type { HistoryEntryInput } from '../ports/history-store.js';
import { eventsFromHistory } from '../events/from-history.js';
import { z } from 'zod';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { Json } from '../ports/json.js';
import { hasPrivacyStore, type PrivacyStore } from '../ports/privacy-store.js';
import type { Storage } from '../ports/storage.js';
import { parseInput } from '../engine/validate.js';
import { commonErrors } from '../errors.js';
import { PRIVACY_JOB_KIND, stepErasure } from './erasure.js';
import type { ErasureCounts, ErasureJob, StepContext } from './erasure-job.js';
import { privacyErrors } from './error-codes.js';
import { exportPage } from './export.js';
import type { PrivacyExport } from './export-schema.js';
import { DEFAULT_PERSONAL_DATA_HANDLERS, personalDataRegistry, type PersonalDataHandler } from './handlers.js';
import { isPseudonym, pseudonymOf } from './pseudonym.js';
import { createSecretHasher } from '../security/hmac.js';
import { tombstoneIdOf, tombstoneWrites } from './tombstones.js';
import {
  DEFAULT_RETENTION_RULES,
  resolveRetentionPolicy,
  sweepRetention,
  type RetentionPolicyOverrides,
  type RetentionResult,
  type RetentionRule,
} from './retention.js';
import { privacySubjectSchema, resolveSubject, type PrivacySubject } from './subject.js';
import { decodeCursor, WALK_START } from './walk-cursor.js';
import { COLLECT_START } from './collect-sources.js';
import { namesAnyRecord, widenSubject } from './widen-subject.js';

/** Input of `desk.privacy.export`. */
export const privacyExportInputSchema = z.strictObject({
  subject: privacySubjectSchema,
  /** The `next` of the previous page; omit for the first. */
  cursor: z.string().max(2000).optional(),
  /** Records, messages or events looked at for this page. Default 500. */
  limit: z.number().int().min(1).max(5000).default(500),
});
/** The input of `desk.privacy.export`: the subject, the `next` cursor (absent: first page) and `limit` (default 500). */
export type PrivacyExportInput = z.input<typeof privacyExportInputSchema>;

/** Input of `desk.privacy.erase`. */
export const privacyEraseInputSchema = z.strictObject({
  subject: privacySubjectSchema,
  /** Who erases, e.g. `{ role: 'agent', id: 'a1' }`; recorded in the `privacy.erased` entry. */
  actor: z
    .looseObject({ role: z.string().min(1).max(50), id: z.string().max(200).optional() })
    .refine(isPlainJson, { error: 'Expected actor to be plain JSON (no NaN, Infinity, Date or Map).' }),
  /** Why (the request, the legal basis): recorded, so it must not repeat the erased data. */
  reason: z.string().trim().min(1).max(500),
});
/** The input of `desk.privacy.erase`: the subject, the `actor` who erases and the `reason` (both recorded). */
export type PrivacyEraseInput = z.input<typeof privacyEraseInputSchema>;

/** What `desk.privacy.erase` answers. */
export interface PrivacyEraseResult {
  /** The subject's stable pseudonym, e.g. `erased-user-7f3a09c1`. */
  pseudonym: string;
  /** `done`, or `running` when a step must wait (a message being sent): `runDueTimers` finishes it. */
  status: 'done' | 'running';
  /** Attachment metadata of the subject's records: the host must delete these files. */
  attachments: Json[];
  counts: ErasureCounts;
}

/** `desk.privacy`: subject access export and erasure (GDPR articles 15, 17). */
export interface PrivacyService {
  /** One page of everything stored about the subject; read pages until `next` is null. */
  export(input: PrivacyExportInput): Promise<PrivacyExport>;
  /**
   * Erases the subject: the account is deleted, everything else about them is replaced by their
   * pseudonym. Idempotent and resumable. Refuses with PRIVACY_RECOVERY_WAITING while a recovery
   * case of the account is in its waiting period.
   */
  erase(input: PrivacyEraseInput): Promise<PrivacyEraseResult>;
}

/** Options of {@link createPrivacyService}. */
export interface PrivacyServiceOptions {
  /** The storage the services use (decorated). */
  storage: Storage;
  /** The undecorated host storage, which must implement {@link PrivacyStore}; absent: export and erase refuse. */
  store: Storage | undefined;
  clock: Clock;
  ids: IdGenerator;
  /** Keys the pseudonyms and tombstones. Default: the empty pepper (tests only). */
  pepper?: string;
  /** Personal-data handlers. Default {@link DEFAULT_PERSONAL_DATA_HANDLERS}. */
  handlers?: readonly PersonalDataHandler[];
  retention?: RetentionPolicyOverrides;
  /** Retention rules of ending kinds. Default {@link DEFAULT_RETENTION_RULES}. */
  retentionRules?: readonly RetentionRule[];
  /** How long an erased account's identifiers stay reserved (hashed). Default `retention.erasedIdentifiers` (30 days). */
  coolingPeriod?: number;
  /** Records, messages or events per erasure step. Default 500. */
  batchSize?: number;
}

/** What the sweep did: erasure jobs advanced and the retention slice. */
export interface PrivacySweepResult extends RetentionResult {
  jobsAdvanced: number;
}

/** Builds `desk.privacy` and the sweep `runDueTimers` calls. */
export function createPrivacyService(options: PrivacyServiceOptions) {
  const registry = personalDataRegistry(options.handlers ?? DEFAULT_PERSONAL_DATA_HANDLERS);
  const retention = resolveRetentionPolicy(options.retention ?? {});
  const rules = options.retentionRules ?? DEFAULT_RETENTION_RULES;
  const pepper = options.pepper ?? '';
  // Tombstones use the accounts' HMAC, so registration finds them; without a pepper nobody registers.
  const macs = pepper.length > 0 ? createSecretHasher(pepper) : null;
  const coolingPeriod = options.coolingPeriod ?? retention.erasedIdentifiers;
  const { storage, clock } = options;
  const raw = options.store && hasPrivacyStore(options.store) ? (options.store as Storage & PrivacyStore) : null;

  function requireStore(): PrivacyStore {
    if (!raw) throw privacyErrors.raise('PRIVACY_STORE_MISSING', {}, privacyErrors.codes.PRIVACY_STORE_MISSING);
    return raw;
  }

  const stepContext = (store: PrivacyStore): StepContext => ({
    storage,
    store,
    registry,
    batchSize: options.batchSize ?? 500,
  });

  /** Stores the job at its new state; the last step also writes the `privacy.erased` entry and event. */
  async function save(job: ErasureJob, version: number): Promise<number | null> {
    const now = clock.now();
    const finishing = job.status !== 'done' && job.cursor.part === 'done';
    const freeAt = now + coolingPeriod;
    const tombstones = finishing && macs ? await tombstoneWrites(storage, macs, job.identifiers, freeAt) : [];
    const state: ErasureJob = finishing
      ? {
          ...job,
          status: 'done',
          accountId: null,
          identifiers: [],
          words: [],
          attachments: [], // handed out by the erase() call that finishes; file names are personal data too
          texts: [],
          writings: [],
          skipped: [],
          tombstones: macs ? await Promise.all(job.identifiers.map((id) => tombstoneIdOf(macs, id))) : [],
          freeAt,
          finishedAt: now,
        }
      : job;
    const actor = job.actor;
    const finishingEntries: HistoryEntryInput[] = finishing
      ? [
          {
            kind: PRIVACY_JOB_KIND,
            id: job.pseudonym,
            at: now,
            type: 'privacy.erased',
            actor,
            data: { pseudonym: job.pseudonym, reason: job.reason, counts: { ...job.counts } },
          },
        ]
      : [];
    const result = await storage.commit({
      writes: [
        {
          kind: PRIVACY_JOB_KIND,
          id: job.pseudonym,
          expectedVersion: version,
          state: state as unknown as Json,
          indexes: { status: state.status },
          nextDueAt: null,
        },
        ...tombstones,
      ],
      history: finishingEntries,
      outbox: [],
      idempotency: [],
      // The same projection as every command's events (src/events/from-history.ts).
      events: eventsFromHistory(finishingEntries, () => options.ids.next('evt_')),
    });
    return result ? result.versions[0]! : null;
  }

  /** Runs steps until the job is done, stalls, or `maxSteps` ran. Returns the job as stored. */
  async function advance(
    job: ErasureJob,
    version: number,
    maxSteps: number,
  ): Promise<{ job: ErasureJob; version: number }> {
    const ctx = stepContext(requireStore());
    let attachments = job.attachments;
    for (let step = 0; step < maxSteps && job.status !== 'done'; step++) {
      const next = await stepErasure(job, ctx);
      attachments = next.attachments;
      const stalled = JSON.stringify(next) === JSON.stringify(job); // e.g. waiting for a message being sent
      const saved = await save(next, version);
      if (saved === null) break; // another worker advanced it meanwhile
      const reloaded = await storage.load(PRIVACY_JOB_KIND, job.pseudonym);
      job = reloaded!.state as unknown as ErasureJob;
      version = saved;
      if (stalled) break;
    }
    return { job: { ...job, attachments }, version };
  }

  // This process's view of the pace (the stored slice record is the shared one): no query before it.
  let nextSliceAt = Number.NEGATIVE_INFINITY;
  let erasureLeftRunning = false;

  const service: PrivacyService = {
    async export(input) {
      const p = parseInput(privacyExportInputSchema, input, 'privacy export');
      const store = requireStore();
      const cursor = p.cursor === undefined ? WALK_START : decodeCursor(p.cursor);
      if (cursor === null) throw commonErrors.raise('INVALID_INPUT', { cursor: p.cursor }, 'Unknown export cursor.');
      // The identifiers their records name (a host's own requester id) too, as erasure learns them.
      const subject = await widenSubject(storage, registry, await resolveSubject(storage, p.subject));
      return exportPage(subject, cursor, p.limit, { storage, store, registry, now: clock.now() });
    },

    async erase(input) {
      const p = parseInput(privacyEraseInputSchema, input, 'privacy erase');
      requireStore();
      // A pseudonym names no person: erasing it would give the erased person a second pseudonym
      // and rewrite the first erasure's audit event.
      if ('accountId' in p.subject && isPseudonym(p.subject.accountId))
        throw commonErrors.raise(
          'INVALID_INPUT',
          { field: 'subject.accountId', reason: 'pseudonym' },
          "This id is an erasure's pseudonym: its person is erased already.",
        );
      const subject = await resolveSubject(storage, p.subject);
      if (subject.accountId !== null) await refuseDuringRecoveryWait(subject.accountId);
      const pseudonym = await pseudonymOf(pepper, subject.key);
      let record = await storage.load(PRIVACY_JOB_KIND, pseudonym);
      // An id that names no account is a subject only as the key of records (a requester the host
      // filed under its own id) or of an earlier erasure: a mistyped id or a word is not erased everywhere.
      if ('accountId' in p.subject && subject.accountId === null && !record) {
        if (!(await namesAnyRecord(storage, registry, p.subject.accountId)))
          throw commonErrors.raise(
            'INVALID_INPUT',
            { field: 'subject.accountId' },
            'No account and no record has this id: nothing to erase under it.',
          );
      }
      const previous = record?.state as unknown as ErasureJob | undefined;
      if (!record || previous?.status === 'done') {
        // A finished job of the same subject is rerun: data written since (or by an older erasure) is caught too.
        const job: ErasureJob = {
          status: 'collecting',
          pseudonym,
          accountId: subject.accountId,
          identifiers: subject.identifiers,
          words: subject.words,
          texts: [],
          cursor: COLLECT_START,
          passes: 0,
          passStartIdentifiers: subject.identifiers.length,
          actor: p.actor as Json,
          reason: p.reason,
          requestedAt: clock.now(),
          attachments: [],
          counts: { redacted: 0, deleted: 0, history: 0, outbox: 0, events: 0 },
          tombstones: [],
          freeAt: null,
          finishedAt: null,
        };
        const version = await save(job, record?.version ?? 0);
        if (version === null)
          throw commonErrors.raise('VERSION_CONFLICT', {}, 'An erasure of this subject started meanwhile.');
        record = await storage.load(PRIVACY_JOB_KIND, pseudonym);
      }
      erasureLeftRunning = true; // until it is done: the next sweep looks at once, even if this throws
      const { job } = await advance(record!.state as unknown as ErasureJob, record!.version, Number.POSITIVE_INFINITY);
      if (job.status === 'done') erasureLeftRunning = false;
      return {
        pseudonym,
        status: job.status === 'done' ? 'done' : 'running',
        attachments: job.attachments,
        counts: job.counts,
      };
    },
  };

  async function refuseDuringRecoveryWait(accountId: string): Promise<void> {
    const cases = await storage.list('recovery_case', { where: { account: accountId, status: 'approved' }, limit: 10 });
    const now = clock.now();
    for (const found of cases) {
      const waitingEndsAt = (found.state as { context?: { waitingEndsAt?: unknown } }).context?.waitingEndsAt;
      if (typeof waitingEndsAt === 'number' && waitingEndsAt > now) {
        throw privacyErrors.raise(
          'PRIVACY_RECOVERY_WAITING',
          { caseId: found.id, waitingEndsAt },
          privacyErrors.codes.PRIVACY_RECOVERY_WAITING,
        );
      }
    }
  }

  /**
   * Called by `runDueTimers`: at most every `retention.every` (sooner after a full slice, or when
   * this process left an erasure unfinished), advances unfinished erasures a few steps each and
   * runs one retention slice. In between it sends nothing to the store.
   */
  async function sweep(): Promise<PrivacySweepResult> {
    const none = { jobsAdvanced: 0, deleted: 0, deletedMessages: 0, erasedPayloads: 0, anonymisedTickets: 0 };
    if (!raw) return none;
    const now = clock.now();
    if (now < nextSliceAt && !erasureLeftRunning) return none;
    erasureLeftRunning = false;
    let jobsAdvanced = 0;
    for (const status of ['collecting', 'applying'] as const) {
      for (const record of await storage.list(PRIVACY_JOB_KIND, { where: { status }, limit: 10 })) {
        await advance(record.state as unknown as ErasureJob, record.version, 20);
        jobsAdvanced++;
      }
    }
    const {
      ran: _ran,
      nextSliceAt: next,
      ...swept
    } = await sweepRetention(storage, raw, now, retention, rules, pepper);
    nextSliceAt = next;
    return { jobsAdvanced, ...swept };
  }

  return { service, sweep };
}

export type { PrivacySubject };

/** Whether `value` is plain JSON, as the erasure's history entry will store it. */
function isPlainJson(value: unknown): boolean {
  try {
    toJson(value);
    return true;
  } catch {
    return false;
  }
}
