import type { AuthMethod, Principal } from '../accounts/principal.js';
import { toJson } from '../_lib/json.js';
import type { RandomSource } from '../ports/random-source.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { SessionPolicy } from './policy.js';
import { isLive, liveSessionsListed, sessions, subjectOf } from './session-record.js';
import { mintToken, type Mac } from './tokens.js';

/** The MAC purpose of session token secrets. */
export const SESSION_TOKEN_PURPOSE = 'session_token';

/** What the login module needs to open sessions: the policy, randomness and the pepper-bound MAC. */
export interface SessionIssuer {
  readonly policy: SessionPolicy;
  readonly random: RandomSource;
  readonly mac: Mac;
}

/** What the host gets once, in the view of the call that completed the login. */
export interface SessionGrant {
  /** The opaque bearer token: put it in an HttpOnly, Secure, SameSite=Lax cookie; never log it. */
  token: string;
  /** The absolute expiry; the idle expiry moves with use. */
  expiresAt: number;
}

/** An opened session: its id (for the AuthContext) and the grant for the host. */
export interface OpenedSession {
  sessionId: string;
  grant: SessionGrant;
}

/** Opens a session in the login's unit of work (so the login and its session commit together). */
export async function openSession(
  issuer: SessionIssuer,
  uow: UnitOfWork,
  login: { principal: Principal; amr: readonly AuthMethod[]; authenticatedAt: number; label: string | null },
): Promise<OpenedSession> {
  const { policy } = issuer;
  const minted = await mintToken(issuer.random, issuer.mac, 'ses_', SESSION_TOKEN_PURPOSE);
  await endBeyondCap(uow, subjectOf(login.principal), policy.maxPerSubject, minted.id);
  const absoluteExpiresAt = uow.now + policy.absolute;
  sessions.create(uow, {
    id: minted.id,
    subject: subjectOf(login.principal),
    // toJson, not structuredClone: a copy made in this realm (the edge sandbox test runs the package in its own).
    principal: toJson(login.principal) as unknown as Principal,
    organizationId: login.principal.organizationId,
    amr: [...login.amr],
    authenticatedAt: login.authenticatedAt,
    createdAt: uow.now,
    label: login.label,
    tokenMac: minted.mac,
    idleMs: policy.idle,
    absoluteExpiresAt,
  });
  sessions.record(uow, minted.id, {
    type: 'session.opened',
    actor: { role: 'system' },
    data: { subject: subjectOf(login.principal), amr: [...login.amr] },
  });
  return { sessionId: minted.id, grant: { token: minted.token, expiresAt: absoluteExpiresAt } };
}

/**
 * Makes room for one more session of `subject`: while it holds `cap` live sessions or more, the
 * least recently used ones end (reason `cap`), oldest `lastSeenAt` first (it moves at most once
 * per `touchInterval`), then oldest login, then id. Concurrent logins of one subject do not both
 * slip under the cap: every completed login also writes the subject's lockout record
 * (`completion.ts`), so the second commit loses on its version, re-runs and counts again.
 */
async function endBeyondCap(uow: UnitOfWork, subject: string, cap: number | null, openingId: string): Promise<void> {
  if (cap === null) return;
  const live = await liveSessionsListed(uow, subject);
  if (live.length < cap) return;
  const leastRecent = live
    .sort((a, b) => a.lastSeenAt - b.lastSeenAt || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
    .slice(0, live.length - cap + 1);
  for (const ctx of leastRecent) {
    // Loaded through the unit of work, so the end is guarded by the version read here.
    const loaded = await sessions.find(uow, ctx.id);
    if (!isLive(loaded, uow.now)) continue;
    sessions.apply(
      uow,
      loaded,
      { type: 'revoke', at: uow.now, reason: 'cap' },
      {
        history: { type: 'session.ended', actor: { role: 'system' }, data: { reason: 'cap', newSessionId: openingId } },
      },
    );
  }
}

/**
 * A step-up confirmed on an existing session: its `amr` becomes the password it was opened with
 * plus the step-up's methods, and `authenticatedAt` becomes now, in the step-up's commit. Second
 * factors of the earlier login leave `amr`: `authenticatedAt` must not vouch for a method that
 * was not just used (a backup-code step-up must not read as a fresh SMS). Answers the
 * session's new `amr`; null when the session is not live or not the principal's (the step fails).
 */
export async function stepUpSession(
  uow: UnitOfWork,
  sessionId: string,
  principal: Principal,
  amr: readonly AuthMethod[],
): Promise<AuthMethod[] | null> {
  const loaded = await sessions.find(uow, sessionId);
  if (!isLive(loaded, uow.now) || loaded.snapshot.context.subject !== subjectOf(principal)) return null;
  const opened = loaded.snapshot.context.amr.filter((method) => method === 'password');
  const gained = [...new Set([...opened, ...amr])];
  sessions.apply(
    uow,
    loaded,
    { type: 'stepUp', at: uow.now, amr: gained },
    {
      history: { type: 'session.stepped_up', actor: { role: 'system' }, data: { amr: [...gained] } },
    },
  );
  return gained;
}
