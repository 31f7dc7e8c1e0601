import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { Json } from '../ports/json.js';

/**
 * Account lockout after consecutive login failures (Keycloak brute-force detection), as pure
 * functions over a small record, and the record's load and save inside a command. The record
 * lives apart from the account (kind `login_lockout`) so a login never contends with
 * administrative writes to the account, and apart from the flow so that a new flow does not
 * reset it. Keys: `account:<id>`, `identifier:<hmac>` (an unknown login), `phone:<e164>`, and
 * per client of one of them: `<subject>|client:<hmac>` (a host's client key),
 * `<subject>|device:<id>` (a remembered device), `<subject>|session:<hmac>` (a step-up's session).
 */

/** What the lockout record holds. */
export interface LockoutState {
  /** Consecutive failures (wrong password or wrong code) since the last completed login. */
  failures: number;
  /** Locked while `now < lockedUntil`. */
  lockedUntil: number | null;
  /** The last wait imposed, so the next one doubles it. */
  lastWait: number | null;
  /**
   * When the last failure was counted (epoch ms). Retention deletes a record with no known
   * clients `policy.retention.lockouts` after this and after its lock ended. Absent: written
   * before 0.2.0, or no failure yet.
   */
  lastFailureAt?: number;
  /**
   * HMACs of the client keys (a host's hash of a device or browser) that completed a login on this
   * account, newest last (at most {@link KNOWN_CLIENTS_KEPT}). They pass the account's lock: an
   * attacker's failures slow down unknown clients, not the owner's. Absent: none.
   */
  knownClients?: string[];
  /**
   * On a subject's record: how many times a reset or a recovery cleared it ({@link clearLockout}).
   * On a client's record (`<subject>|client:<hmac>`, `|device:<id>`, `|session:<hmac>`): the subject's generation it was counted
   * under; a record of an older generation counts nothing, so one clear ends every client's lock
   * without a scan. Absent: 0.
   */
  generation?: number;
  /**
   * Set on a client's record stamped with its subject's generation ({@link forSubject}): there the
   * generation is a stamp, not a count of clears, so retention deletes the record like any other
   * (an absent client record counts nothing either). Absent: a subject's record, or a client's
   * with no generation.
   */
  client?: true;
}

/** How many of an account's known client keys are kept. */
export const KNOWN_CLIENTS_KEPT = 10;

export interface LockoutRules {
  lockoutThreshold: number;
  lockoutBaseWait: number;
  lockoutMaxWait: number;
}

export const LOCKOUT_KIND = 'login_lockout';

export const emptyLockout: Readonly<LockoutState> = Object.freeze({ failures: 0, lockedUntil: null, lastWait: null });

/** When the lock ends, or null when `now` is outside any lock. */
export function lockedUntil(state: LockoutState, now: number): number | null {
  return state.lockedUntil !== null && now < state.lockedUntil ? state.lockedUntil : null;
}

/**
 * Counts one failure. The `lockoutThreshold`-th consecutive failure locks for
 * `lockoutBaseWait`; every further one (after that lock ended) locks again for double the
 * previous wait, up to `lockoutMaxWait`. Only a completed login resets the count: a correct
 * password followed by wrong codes keeps doubling.
 */
export function recordFailure(state: LockoutState, at: number, rules: LockoutRules): LockoutState {
  const failures = state.failures + 1;
  if (failures < rules.lockoutThreshold) return { ...state, failures, lastFailureAt: at };
  const wait = state.lastWait === null ? rules.lockoutBaseWait : Math.min(rules.lockoutMaxWait, state.lastWait * 2);
  return { ...state, failures, lockedUntil: at + wait, lastWait: wait, lastFailureAt: at };
}

/**
 * Since when a lockout record counts nothing worth keeping, for retention: the later of its last
 * failure and its lock's end. Null (kept) while it remembers known clients (the account's own
 * data, deleted with the account) and for a record with failures or a lock but no
 * `lastFailureAt` (written before 0.2.0: its age is unknown). A record with nothing in it ended at 0.
 */
export function lockoutEndedAt(state: LockoutState): number | null {
  // A subject's generation is what keeps its client records cleared: kept like known clients.
  if ((state.knownClients ?? []).length > 0 || ((state.generation ?? 0) > 0 && state.client !== true)) return null;
  if (typeof state.lastFailureAt === 'number') return Math.max(state.lastFailureAt, state.lockedUntil ?? 0);
  // No failure time: empty (reset by a completed login) ends at once; a count of unknown age stays,
  // whatever its lock says (failures below a threshold do not move the lock).
  return state.failures === 0 && (state.lockedUntil ?? 0) === 0 ? 0 : null;
}

/** A completed login resets the count and the lock; the known clients and the generation stay. */
export function recordSuccess(state: LockoutState = emptyLockout): LockoutState {
  const next: LockoutState = state.knownClients
    ? { ...emptyLockout, knownClients: state.knownClients }
    : { ...emptyLockout };
  if (state.generation !== undefined) next.generation = state.generation;
  return next;
}

/** The state with `client` (an HMAC of a client key) as the newest known client. */
export function rememberClient(state: LockoutState, client: string): LockoutState {
  const others = (state.knownClients ?? []).filter((known) => known !== client);
  return { ...state, knownClients: [...others, client].slice(-KNOWN_CLIENTS_KEPT) };
}

/** Whether `client` completed a login on this account before. */
export function isKnownClient(state: LockoutState, client: string | null): boolean {
  return client !== null && (state.knownClients ?? []).includes(client);
}

/** The lockout record of an account's logins. */
export const accountLockoutKey = (accountId: string): string => `account:${accountId}`;

/** The lockout record of one client key's guesses on one subject (account, identifier or number). */
export const clientLockoutKey = (subjectKey: string, client: string): string => `${subjectKey}|client:${client}`;

/**
 * The lockout record of one remembered device's guesses on its account (`deviceId`: the device
 * record's id, never its token). A live device of the account passes the account's lock like a
 * known client; this record is what still limits a stolen device cookie.
 */
export const deviceLockoutKey = (subjectKey: string, deviceId: string): string => `${subjectKey}|device:${deviceId}`;

/**
 * The lockout record of the step-up codes on an account, shared by all its sessions. A live
 * session of the account passes the account's lock; this record locks the account's step-ups
 * after their own wrong codes (a fresh session gets no fresh guesses).
 */
export const stepUpLockoutKey = (subjectKey: string): string => `${subjectKey}|step_up`;

/**
 * Clears a subject's lock and failure count (a password reset, a completed recovery: the owner
 * proved control another way), keeping its known clients, and every client's record of it (the
 * generation moves on, see {@link LockoutState.generation}). Always written: every login step on
 * the subject writes this record too, so a step that raced the clear loses its commit, re-runs
 * and sees what the clear's commit changed (a reset password, a removed factor).
 */
export async function clearLockout(uow: UnitOfWork, key: string): Promise<void> {
  const state = await loadLockout(uow, key);
  saveLockout(uow, key, { ...recordSuccess(state), generation: (state.generation ?? 0) + 1 });
}

/**
 * Writes a subject's record unchanged, so the caller's commit and every login step on the subject
 * (which writes it too) are ordered: one of two racing commits loses and re-runs on fresh reads.
 * A reissued temporary password uses it, so a login completing at the same moment re-runs and
 * sees it.
 */
export async function touchLockout(uow: UnitOfWork, key: string): Promise<void> {
  saveLockout(uow, key, await loadLockout(uow, key));
}

/**
 * The record of `client`'s guesses on a subject, as in force: one counted under an older
 * generation of the subject's record (before a reset or a recovery cleared it) counts nothing.
 */
export function clientLockoutOf(subject: LockoutState, client: LockoutState): LockoutState {
  const generation = subject.generation ?? 0;
  if ((client.generation ?? 0) === generation) return client;
  return generation === 0 ? { ...emptyLockout } : { ...emptyLockout, generation };
}

/** `state` as a record of a client of `subject`: stamped with the subject's generation. */
export function forSubject(subject: LockoutState, state: LockoutState): LockoutState {
  const generation = subject.generation ?? 0;
  if (generation === 0 && state.generation === undefined) return state;
  return { ...state, generation, client: true };
}

/** The lockout record of `key` (an empty one when there is none), loaded into `uow`. */
export async function loadLockout(uow: UnitOfWork, key: string): Promise<LockoutState> {
  const record = await uow.load(LOCKOUT_KIND, key);
  return record ? (record.state as unknown as LockoutState) : { ...emptyLockout };
}

/**
 * Writes the lockout record. Also written unchanged where a step must be guarded by it: a
 * right guess that raced wrong guesses committed in parallel then re-runs and sees their lock.
 */
export function saveLockout(uow: UnitOfWork, key: string, state: LockoutState): void {
  uow.put(LOCKOUT_KIND, key, { state: state as unknown as Json, nextDueAt: null });
}

/**
 * Counts a failure of `client` on the subject of `subjectKey` (its record as in force, see
 * {@link clientLockoutOf}); returns the end of the lock it caused, or null.
 */
export async function countClientFailure(
  uow: UnitOfWork,
  subjectKey: string,
  client: string,
  rules: LockoutRules,
): Promise<number | null> {
  return countFailureOf(uow, subjectKey, clientLockoutKey(subjectKey, client), rules);
}

/**
 * Counts a failure on `key`, a record of one client of the subject of `subjectKey` (a client
 * key's, a remembered device's or a session's, as in force: see {@link clientLockoutOf}); returns
 * the end of the lock it caused, or null.
 */
export async function countFailureOf(
  uow: UnitOfWork,
  subjectKey: string,
  key: string,
  rules: LockoutRules,
): Promise<number | null> {
  const subject = await loadLockout(uow, subjectKey);
  const next = recordFailure(clientLockoutOf(subject, await loadLockout(uow, key)), uow.now, rules);
  saveLockout(uow, key, forSubject(subject, next));
  return lockedUntil(next, uow.now);
}

/** Counts a failure under `key`; returns the end of the lock it caused, or null. */
export async function countFailure(uow: UnitOfWork, key: string, rules: LockoutRules): Promise<number | null> {
  const next = recordFailure(await loadLockout(uow, key), uow.now, rules);
  saveLockout(uow, key, next);
  return lockedUntil(next, uow.now);
}
