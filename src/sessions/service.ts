import type { AccountRepository } from '../accounts/account-repository.js';
import type { AuthContext, Principal } from '../accounts/principal.js';
import type { CoreDeps } from '../engine/deps.js';
import type { DueHandler } from '../engine/timers.js';
import { runCommand, type UnitOfWork } from '../engine/unit-of-work.js';
import { parseInput } from '../engine/validate.js';
import {
  DEVICE_KIND,
  deviceView,
  devicesOf,
  endDevice,
  forgetDevices,
  loadDevice,
  type DeviceRecord,
} from './devices.js';
import { sessionErrors, sessionInvalid } from './error-codes.js';
import { onStepUpLinkDue, STEP_UP_LINK_KIND } from './login-intent.js';
import { SESSION_TOKEN_PURPOSE, type SessionIssuer } from './issuer.js';
import { resolveSessionPolicy, type SessionPolicy, type SessionPolicyOverrides } from './policy.js';
import { revokeSubjectSessions } from './revocation.js';
import { sessionEndsAt, type SessionContext } from './session-machine.js';
import {
  SESSION_KIND,
  activeSessionsOf,
  isLive,
  liveSessionOf,
  sessions,
  sessionState,
  type LoadedSession,
} from './session-record.js';
import type { SessionService, SessionView } from './session-service.js';
import { bearerTokenSchema, forgetDeviceSchema, revokeSessionSchema, sessionAuthSchema } from './schemas.js';
import { secretMatches, splitToken } from './tokens.js';

export type { SessionService, SessionView } from './session-service.js';

/** What {@link createSessionService} returns: the service, the issuer for the login module, the sweep handlers. */
export interface SessionModule {
  service: SessionService;
  issuer: SessionIssuer;
  policy: SessionPolicy;
  /** Sweep handlers by record kind: an expired session is marked `expired`, an expired device ended. */
  onDue: Record<string, DueHandler>;
}

const asView = (ctx: SessionContext, currentId: string | undefined): SessionView => ({
  sessionId: ctx.id,
  current: ctx.id === currentId,
  label: ctx.label,
  amr: [...ctx.amr],
  authenticatedAt: ctx.authenticatedAt,
  createdAt: ctx.createdAt,
  lastSeenAt: ctx.lastSeenAt,
  idleExpiresAt: ctx.idleExpiresAt,
  absoluteExpiresAt: ctx.absoluteExpiresAt,
});

/** The service behind `desk.sessions`. The pepper-bound MAC comes from the accounts (`lookupKey`). */
export function createSessionService(
  deps: CoreDeps,
  accounts: AccountRepository,
  overrides: SessionPolicyOverrides = {},
): SessionModule {
  const policy = resolveSessionPolicy(overrides);
  const issuer: SessionIssuer = {
    policy,
    random: deps.random,
    mac: (purpose, value) => accounts.lookupKey(purpose, value),
  };
  const run = <T>(handler: (uow: UnitOfWork) => Promise<T>) =>
    runCommand(deps.storage, () => deps.clock.now(), handler);

  /** The principal as stored now; null when the account is no longer active or the number unregistered. */
  async function principalNow(uow: UnitOfWork | undefined, stored: Principal): Promise<Principal | null> {
    if (stored.type === 'account') {
      const found = await accounts.findAccountById(stored.accountId, uow);
      return found && found.value.status === 'active' ? accounts.accountPrincipal(found.value) : null;
    }
    const found = await accounts.findPhonePrincipal(stored.phone, uow);
    return found ? accounts.phonePrincipal(found.value) : null;
  }

  /** The caller's live session, or SESSION_INVALID. */
  async function callerSession(uow: UnitOfWork, auth: AuthContext): Promise<SessionContext> {
    const ctx = await liveSessionOf(uow, auth);
    if (!ctx) throw sessionInvalid();
    return ctx;
  }

  const accountIdOf = (auth: AuthContext) => (auth.principal.type === 'account' ? auth.principal.accountId : null);

  const service: SessionService = {
    async verify(token) {
      void accounts.codes(); // CONFIGURATION_INVALID without a pepper, before anything is read
      const raw = parseInput(bearerTokenSchema, token, 'session token');
      const parts = splitToken(raw, 'ses_');
      if (!parts) throw sessionInvalid();
      // A read first: most requests need no write.
      const now = deps.clock.now();
      const loaded = await sessions.find(deps.storage, parts.id);
      if (!isLive(loaded, now)) {
        // Found lapsed: the expiry is written now, as the sweep would, so the answer stands even
        // if the clock later steps back (docs/sessions.md: expiry never depends on the sweep).
        // The answer is decided: a failed write (storage down, lost races) leaves it to the sweep.
        if (loaded !== null && sessionState(loaded) === 'active')
          await run((uow) => expireIfLapsed(uow, parts.id)).catch(() => undefined);
        throw sessionInvalid();
      }
      const ctx = loaded.snapshot.context;
      if (!(await secretMatches(issuer.mac, SESSION_TOKEN_PURPOSE, parts.secret, ctx.tokenMac))) throw sessionInvalid();
      const principal = await principalNow(undefined, ctx.principal);
      if (!principal) throw sessionInvalid();
      if (now - ctx.lastSeenAt >= policy.touchInterval) {
        await run(async (uow) => {
          const current = await sessions.find(uow, ctx.id);
          // Checked again on the record as reloaded: of concurrent requests only the first writes,
          // the others (re-run after losing the race) find it touched and write nothing.
          if (!isLive(current, uow.now) || uow.now - current.snapshot.context.lastSeenAt < policy.touchInterval) return;
          sessions.save(uow, touched(current, uow.now));
        });
      }
      return { principal, amr: [...ctx.amr], authenticatedAt: ctx.authenticatedAt, sessionId: ctx.id };
    },

    async list(input) {
      const auth = parseInput(sessionAuthSchema, input, 'session list request');
      return run(async (uow) => {
        const own = await callerSession(uow, auth);
        const live = (await activeSessionsOf(uow, own.subject)).filter((s) => isLive(s, uow.now));
        return live
          .map((s) => asView(s.snapshot.context, auth.sessionId))
          .sort((a, b) => b.createdAt - a.createdAt || (a.sessionId < b.sessionId ? 1 : -1));
      });
    },

    async revoke(input) {
      const p = parseInput(revokeSessionSchema, input, 'session revocation');
      await run(async (uow) => {
        const own = await callerSession(uow, p.auth);
        const target = await sessions.find(uow, p.sessionId);
        if (!isLive(target, uow.now) || target.snapshot.context.subject !== own.subject) {
          throw sessionErrors.raise('SESSION_NOT_FOUND', { sessionId: p.sessionId });
        }
        sessions.apply(
          uow,
          target,
          { type: 'revoke', at: uow.now, reason: 'revoked_by_user' },
          {
            history: {
              type: 'session.revoked',
              actor: { role: 'session', id: own.id },
              data: { reason: 'revoked_by_user' },
            },
          },
        );
      });
      return { revoked: 1 };
    },

    async revokeOthers(input) {
      const auth = parseInput(sessionAuthSchema, input, 'session revocation');
      const revoked = await run(async (uow) => {
        const own = await callerSession(uow, auth);
        return revokeSubjectSessions(uow, own.subject, 'revoked_by_user', { role: 'session', id: own.id }, own.id);
      });
      return { revoked };
    },

    async devices(input) {
      const auth = parseInput(sessionAuthSchema, input, 'device list request');
      return run(async (uow) => {
        await callerSession(uow, auth);
        const accountId = accountIdOf(auth);
        if (accountId === null) return [];
        return (await devicesOf(uow, accountId)).filter((d) => uow.now < d.expiresAt).map(deviceView);
      });
    },

    async forgetDevice(input) {
      const p = parseInput(forgetDeviceSchema, input, 'device removal');
      await run(async (uow) => {
        await callerSession(uow, p.auth);
        const device = await loadDevice(uow, p.deviceId);
        if (!device || device.endedAt !== null || device.accountId !== accountIdOf(p.auth)) {
          throw sessionErrors.raise(
            'SESSION_NOT_FOUND',
            { deviceId: p.deviceId },
            'No remembered device with that id.',
          );
        }
        endDevice(uow, device, 'revoked_by_user');
      });
      return { forgotten: 1 };
    },

    async forgetDevices(input) {
      const auth = parseInput(sessionAuthSchema, input, 'device removal');
      const forgotten = await run(async (uow) => {
        await callerSession(uow, auth);
        const accountId = accountIdOf(auth);
        return accountId === null ? 0 : forgetDevices(uow, accountId, 'revoked_by_user');
      });
      return { forgotten };
    },
  };

  /** Ends a lapsed session in `uow` (history `session.expired`); false when it is not lapsed at `uow.now`. */
  const expire = (uow: UnitOfWork, loaded: LoadedSession): boolean => {
    if (!sessions.step(loaded, { type: 'expire', at: uow.now })) return false;
    const history = { type: 'session.expired', actor: { role: 'system' }, data: {} } as const;
    sessions.apply(uow, loaded, { type: 'expire', at: uow.now }, { history });
    return true;
  };

  /** `verify`'s write for a session it found lapsed: reloaded, so a racing sweep or use writes it once. */
  async function expireIfLapsed(uow: UnitOfWork, id: string): Promise<void> {
    const current = await sessions.find(uow, id);
    if (current !== null && sessionState(current) === 'active') expire(uow, current);
  }

  const onSessionDue: DueHandler = async (uow, record) => {
    const loaded = sessions.fromRecord(record);
    const dueAt = sessionEndsAt(loaded.snapshot.context);
    if (!expire(uow, loaded)) {
      sessions.save(uow, loaded); // not due yet (touched since the claim): ends the claim
      return [];
    }
    return [{ kind: SESSION_KIND, id: record.id, event: 'expire', dueAt }];
  };

  const onDeviceDue: DueHandler = async (uow, record) => {
    const device = record.state as unknown as DeviceRecord;
    if (device.endedAt === null && uow.now >= device.expiresAt) {
      endDevice(uow, device, 'expired');
      return [{ kind: DEVICE_KIND, id: record.id, event: 'expire', dueAt: device.expiresAt }];
    }
    const nextDueAt = device.endedAt === null ? device.expiresAt : null;
    uow.put(DEVICE_KIND, record.id, { state: record.state, indexes: { ...record.indexes }, nextDueAt });
    return [];
  };

  return {
    service,
    issuer,
    policy,
    onDue: { [SESSION_KIND]: onSessionDue, [DEVICE_KIND]: onDeviceDue, [STEP_UP_LINK_KIND]: onStepUpLinkDue },
  };
}

/** The session after a `touch` at `at` (the machine's guarded step; unchanged when refused). */
function touched(loaded: LoadedSession, at: number): LoadedSession {
  return sessions.step(loaded, { type: 'touch', at })?.next ?? loaded;
}
