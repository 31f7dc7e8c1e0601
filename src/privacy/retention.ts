import { z } from 'zod';
import { forgetSharedLeaves } from '../_lib/json.js';
import { parseInput } from '../engine/validate.js';
import type { Json } from '../ports/json.js';
import type { PrivacyStore } from '../ports/privacy-store.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { Storage } from '../ports/storage.js';
import { anonymiseClosedTickets } from './closed-tickets.js';
import { deleteAtVersion } from './delete-record.js';
import type { RetentionRule } from './retention-rule.js';
import { RATE_WINDOW_KIND } from '../security/rate-limiter.js';
import { LOCKOUT_KIND, lockoutEndedAt, type LockoutState } from '../security/lockout.js';
import { SESSION_RETENTION_RULES } from './session-retention.js';

const DAY = 24 * 60 * 60 * 1000;

/** How long data outlives its purpose. Every period is in ms; `null` turns the rule off. */
export const retentionPolicySchema = z.strictObject({
  /**
   * Delivered and dead outbox messages are deleted this long after they settled (delivery, or the
   * last attempt of a dead one), so the outbox holds what is still to send and a week of what
   * was. `null` keeps them (their payloads still go after `outboxPayloads`). Default 7 days.
   */
  outboxMessages: z
    .number()
    .int()
    .positive()
    .nullable()
    .default(7 * DAY),
  /**
   * Payloads of delivered and dead outbox messages are erased this long after they settled, for
   * hosts that keep the messages longer (`outboxMessages`) or for ever. Default 7 days.
   */
  outboxPayloads: z
    .number()
    .int()
    .positive()
    .nullable()
    .default(7 * DAY),
  /** Ended or expired login flows are deleted this long after. Default 7 days. */
  loginFlows: z
    .number()
    .int()
    .positive()
    .nullable()
    .default(7 * DAY),
  /** Used, superseded or expired codes and link tokens are deleted this long after. Default 7 days. */
  spentSecrets: z
    .number()
    .int()
    .positive()
    .nullable()
    .default(7 * DAY),
  /**
   * Ended sessions, remembered devices and step-up links (revoked, expired or completed) are
   * deleted this long after they ended; a live one never is. Default 7 days.
   */
  sessions: z
    .number()
    .int()
    .positive()
    .nullable()
    .default(7 * DAY),
  /**
   * Lockout records (failure counts and locks of accounts, unknown identifiers, phone numbers and
   * client keys) are deleted this long after their last failure and after their lock ended, so
   * what anonymous callers typed does not stay for ever; the failure count then starts over, as
   * Keycloak's "failure reset time" does. An account's record that remembers known clients stays.
   * At least 1 day, so the count cannot be reset faster than a guesser types. Default 7 days.
   */
  lockouts: z
    .number()
    .int()
    .min(DAY)
    .nullable()
    .default(7 * DAY),
  /** Closed tickets' personal data is anonymised this long after closing. Default `null` (off). */
  closedTickets: z.number().int().positive().nullable().default(null),
  /**
   * An erased account's identifiers (username, email, phone) cannot be registered again for this
   * long; their hashed tombstones are deleted after. Default 30 days.
   */
  erasedIdentifiers: z
    .number()
    .int()
    .positive()
    .default(30 * DAY),
  /** Records or messages looked at per slice. Default 500. */
  batchSize: z.number().int().min(1).max(10_000).default(500),
  /**
   * A retention slice (and the look for unfinished erasures) runs at most this often, in ms, so a
   * worker calling `runDueTimers` every second pays nothing for it in between; a slice that found
   * a full page runs again at the next call. `0`: every call. Default 5 minutes.
   */
  every: z
    .number()
    .int()
    .min(0)
    .max(DAY)
    .default(5 * 60 * 1000),
});
/** Overrides of the retention defaults (`policy.retention`). */
export type RetentionPolicyOverrides = z.input<typeof retentionPolicySchema>;
/** The resolved retention policy. */
export type RetentionPolicy = z.output<typeof retentionPolicySchema>;

/** The retention defaults with `overrides` applied; bad overrides are INVALID_INPUT. */
export function resolveRetentionPolicy(overrides: unknown = {}): RetentionPolicy {
  return parseInput(retentionPolicySchema, overrides, 'retention policy');
}

export type { RetentionRule } from './retention-rule.js';

type Context = { value?: unknown; context?: Record<string, unknown> };
const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const latest = (...values: Array<number | null>) => {
  const known = values.filter((value): value is number => value !== null);
  return known.length > 0 ? Math.max(...known) : null;
};

/** A secret (code or token) is spent once used or superseded, or once it expired. */
const secretEndedAt = (state: Json): number | null => {
  const context = (state as Context).context ?? {};
  return latest(num(context['usedAt']), num(context['supersededAt'])) ?? num(context['expiresAt']);
};

/** How long a rate window outlives its end before retention deletes it. */
export const RATE_WINDOW_GRACE_MS = 10 * 60 * 1000;

/** The shipped rules: login flows, one-time codes, link tokens, rate windows, lockouts, tombstones, sessions and devices. */
export const DEFAULT_RETENTION_RULES: readonly RetentionRule[] = [
  {
    kind: 'login_flow',
    period: 'loginFlows',
    // A flow lives until `expiresAt` at the latest: one a late sweep marked expired ended then.
    endedAt: (state) => {
      const context = (state as Context).context ?? {};
      const ended = num(context['endedAt']);
      const expires = num(context['expiresAt']);
      return ended === null ? expires : expires === null ? ended : Math.min(ended, expires);
    },
  },
  { kind: 'one_time_code', period: 'spentSecrets', endedAt: secretEndedAt },
  { kind: 'link_token', period: 'spentSecrets', endedAt: secretEndedAt },
  // Rate windows (sending budgets, login and reset limits): gone once their last hit left the window,
  // when they count nothing; many are keyed by what anonymous callers typed (numbers, addresses).
  // The grace covers hosts whose clocks disagree and a command that read the window just before.
  {
    kind: RATE_WINDOW_KIND,
    period: 'expired',
    endedAt: (state) => {
      const until = num((state as { until?: unknown }).until);
      return until === null ? null : until + RATE_WINDOW_GRACE_MS;
    },
  },
  // Lockouts: unknown identifiers, numbers and client keys would otherwise pile up for ever.
  {
    kind: LOCKOUT_KIND,
    period: 'lockouts',
    endedAt: (state) =>
      typeof state === 'object' && state !== null ? lockoutEndedAt(state as unknown as LockoutState) : null,
  },
  // Tombstones of erased identifiers: gone once their cooling period is over.
  { kind: 'privacy_tombstone', period: 'expired', endedAt: (state) => num((state as { freeAt?: unknown }).freeAt) },
  ...SESSION_RETENTION_RULES,
];

/** Record kind holding where the retention sweep stands, so each call does a bounded slice. */
export const RETENTION_KIND = 'privacy_retention';
const RETENTION_ID = 'sweep';

interface RetentionCursor {
  /** Per kind: the last id of the previous full page. */
  after: Record<string, string>;
  outboxAfter: number;
  /** The last id of the previous full page of closed tickets. */
  closedTicketsAfter?: string;
  /** When the last slice ran, and whether it found a full page (then the next may run at once). */
  lastSliceAt?: number;
  full?: boolean;
}

/** What one retention call did. */
export interface RetentionResult {
  /** Records deleted. */
  deleted: number;
  /** Settled outbox messages deleted (`outboxMessages`). */
  deletedMessages: number;
  /** Outbox payloads erased (`outboxPayloads`) on messages that stay. */
  erasedPayloads: number;
  /** Closed tickets anonymised (`closedTickets`). */
  anonymisedTickets: number;
}

/** A slice's result with when the next slice is due (now, when this one found a full page). */
export interface RetentionSlice extends RetentionResult {
  /** Whether a slice ran (false: another sweeper ran one less than `every` ago). */
  ran: boolean;
  nextSliceAt: number;
}

/**
 * One bounded retention slice: a page of each rule's kind and a page of the outbox, from where
 * the last call stopped (kept in a `privacy_retention` record; a concurrent sweeper that loses
 * the race on it just does a page twice, which changes nothing). Runs only when the stored last
 * slice is `policy.every` old or was full, so several instances share one pace.
 */
export async function sweepRetention(
  storage: Storage,
  store: PrivacyStore,
  now: number,
  policy: RetentionPolicy,
  rules: readonly RetentionRule[],
  /** Keys the pseudonyms of anonymised tickets; without one, closed tickets are left alone. */
  pepper = '',
): Promise<RetentionSlice> {
  const result: RetentionResult = { deleted: 0, deletedMessages: 0, erasedPayloads: 0, anonymisedTickets: 0 };
  const saved = await storage.load(RETENTION_KIND, RETENTION_ID);
  const cursor: RetentionCursor = (saved?.state as unknown as RetentionCursor | undefined) ?? {
    after: {},
    outboxAfter: 0,
  };
  if (cursor.lastSliceAt !== undefined && !cursor.full && now < cursor.lastSliceAt + policy.every)
    return { ...result, ran: false, nextSliceAt: cursor.lastSliceAt + policy.every };
  const next: RetentionCursor = { after: { ...cursor.after }, outboxAfter: cursor.outboxAfter };
  let full = false;

  // One page of every rule's kind per call; a short page starts that kind over next time.
  for (const rule of rules) {
    const period = periodOf(policy, rule);
    if (period === null) continue;
    const after = cursor.after[rule.kind];
    const page: StoredRecord[] = await storage.list(rule.kind, {
      where: {},
      limit: policy.batchSize,
      ...(after !== undefined ? { after } : {}),
    });
    for (const record of page) {
      const ended = rule.endedAt(record.state);
      if (ended !== null && ended + period <= now && (await deleteAtVersion(storage, record))) {
        result.deleted++;
      }
    }
    const last = page[page.length - 1];
    if (page.length === policy.batchSize && last) next.after[rule.kind] = last.id;
    else delete next.after[rule.kind];
    full ||= page.length === policy.batchSize;
  }

  if (policy.outboxPayloads !== null || policy.outboxMessages !== null) {
    const page = await store.scanOutbox(cursor.outboxAfter, policy.batchSize);
    const leaving: string[] = [];
    // Typed as required; checked anyway, so a JavaScript store without it keeps every other rule.
    const deletable = typeof store.deleteSettledOutbox === 'function';
    for (const { message } of page) {
      if (message.status !== 'delivered' && message.status !== 'dead') continue;
      // Delivered: since delivery. Dead: since its last attempt (the dispatcher's markDead sets availableAt).
      const settledAt = message.deliveredAt ?? message.availableAt;
      if (deletable && policy.outboxMessages !== null && settledAt + policy.outboxMessages <= now) {
        leaving.push(message.id);
        continue;
      }
      if (policy.outboxPayloads === null || settledAt + policy.outboxPayloads > now) continue;
      if ((message.payload as { retention?: unknown } | null)?.retention === 'erased') continue;
      const payload: Json = { retention: 'erased', channel: message.channel };
      if (await store.redactOutbox(message.id, payload, 'retention')) result.erasedPayloads++;
    }
    if (leaving.length > 0) result.deletedMessages += await store.deleteSettledOutbox(leaving);
    // A full page moves on; a short one restarts, as messages settle in any order.
    const last = page[page.length - 1];
    next.outboxAfter = page.length === policy.batchSize && last ? last.position : 0;
    full ||= page.length === policy.batchSize;
  }

  if (policy.closedTickets !== null && pepper.length > 0) {
    const closed = await anonymiseClosedTickets(storage, store, {
      now,
      period: policy.closedTickets,
      pepper,
      after: cursor.closedTicketsAfter,
      limit: policy.batchSize,
    });
    result.anonymisedTickets = closed.anonymised;
    if (closed.after !== undefined) next.closedTicketsAfter = closed.after;
    full ||= closed.full;
  }

  // What retention removed may still sit in the table of shared leaves (src/_lib/json.ts).
  if (result.deleted + result.deletedMessages + result.erasedPayloads + result.anonymisedTickets > 0) {
    forgetSharedLeaves();
  }
  next.lastSliceAt = now;
  next.full = full;
  const slice = { ...result, ran: true, nextSliceAt: full ? now : now + policy.every };
  await storage.commit({
    writes: [
      {
        kind: RETENTION_KIND,
        id: RETENTION_ID,
        expectedVersion: saved?.version ?? 0,
        state: next as unknown as Json,
        nextDueAt: null,
      },
    ],
    history: [],
    outbox: [],
    idempotency: [],
  });
  return slice;
}

function periodOf(policy: RetentionPolicy, rule: RetentionRule): number | null {
  if (rule.period === 'expired') return 0; // gone once it expires
  return policy[rule.period];
}
