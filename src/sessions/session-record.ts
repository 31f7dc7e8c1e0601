import { listAll } from '../engine/list-all.js';
import { defineAggregate, type Loaded } from '../engine/aggregate.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { AuthContext, Principal } from '../accounts/principal.js';
import { sessionErrors } from './error-codes.js';
import { sessionEndsAt, sessionMachine, type SessionContext, type SessionState } from './session-machine.js';

/** The record kind of sessions (id `ses_…`; indexed by `subject` and `state`). */
export const SESSION_KIND = 'session';

/** A session as a command sees it. */
export type LoadedSession = Loaded<typeof sessionMachine>;

const stateOf = (session: { value: unknown }) => session.value as SessionState;

/** The `session` aggregate: an active session is due at its idle or absolute expiry, whichever comes first. */
export const sessions = defineAggregate<typeof sessionMachine, Record<never, never>, never>({
  kind: SESSION_KIND,
  machine: sessionMachine,
  idOf: (context) => context.id,
  indexes: (snapshot) => ({ subject: snapshot.context.subject, state: stateOf(snapshot) }),
  nextDueAt: (snapshot) => (stateOf(snapshot) === 'active' ? sessionEndsAt(snapshot.context) : null),
  notFound: (id) => sessionErrors.raise('SESSION_NOT_FOUND', { sessionId: id }),
});

/** The subject key of a principal: whose sessions (and devices) a record belongs to. */
export function subjectOf(principal: Principal): string {
  return principal.type === 'account' ? `account:${principal.accountId}` : `phone:${principal.phone}`;
}

/** The subject key of an account. */
export const accountSubject = (accountId: string) => `account:${accountId}`;

/** The state of a loaded session. */
export const sessionState = (loaded: LoadedSession): SessionState => stateOf(loaded.snapshot);

/** Whether `loaded` is an active session that is live at `at`. */
export function isLive(loaded: LoadedSession | null, at: number): loaded is LoadedSession {
  return loaded !== null && sessionState(loaded) === 'active' && at < sessionEndsAt(loaded.snapshot.context);
}

/**
 * The stored session an AuthContext names, when it is live at `uow.now` and belongs to the
 * same principal; null otherwise. What every step-up check reads instead of the caller's `amr`.
 */
export async function liveSessionOf(uow: UnitOfWork, auth: AuthContext): Promise<SessionContext | null> {
  if (auth.sessionId === undefined) return null;
  const loaded = await sessions.find(uow, auth.sessionId);
  if (!isLive(loaded, uow.now)) return null;
  const ctx = loaded.snapshot.context;
  return ctx.subject === subjectOf(auth.principal) ? ctx : null;
}

/** Every active session record of a subject, however many there are (a reset must end them all). */
export async function activeSessionsOf(uow: UnitOfWork, subject: string): Promise<LoadedSession[]> {
  const loaded: LoadedSession[] = [];
  for await (const record of listAll(uow.storage, SESSION_KIND, { subject, state: 'active' })) {
    // Loaded through the unit of work, so each write is guarded by the version read here.
    const found = await sessions.find(uow, record.id);
    if (found && sessionState(found) === 'active') loaded.push(found);
  }
  return loaded;
}

/**
 * The live sessions of a subject as listed (not loaded one by one: a login reads them all), for
 * counting against the cap. Sessions past their expiry that the sweep has not marked yet do not count.
 */
export async function liveSessionsListed(uow: UnitOfWork, subject: string): Promise<SessionContext[]> {
  const live: SessionContext[] = [];
  for await (const record of listAll(uow.storage, SESSION_KIND, { subject, state: 'active' })) {
    const loaded = sessions.fromRecord(record);
    if (isLive(loaded, uow.now)) live.push(loaded.snapshot.context);
  }
  return live;
}
