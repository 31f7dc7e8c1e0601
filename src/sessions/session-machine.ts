import { assign, setup } from 'xstate';
import type { AuthMethod, Principal } from '../accounts/principal.js';

/** Why a session ended early. */
export type SessionEndReason =
  | 'signed_out'
  | 'revoked_by_user'
  | 'password_changed'
  | 'password_reset'
  | 'recovery_completed'
  | 'account_disabled'
  /** A newer login of the same subject went past `policy.sessions.maxPerSubject`; this was the least recently used. */
  | 'cap';

/** A stored session. Never holds the token: only its HMAC (`tokenMac`). */
export interface SessionContext {
  /** `ses_…`; the public handle (`AuthContext.sessionId`, `list`, `revoke`). */
  id: string;
  /** `account:<id>` or `phone:<e164>`: whose session it is (indexed). */
  subject: string;
  /** The principal at login; `verify` answers the principal as stored now. */
  principal: Principal;
  organizationId: string | null;
  /** How the latest authentication went; a step-up replaces it. Step-up checks read only this. */
  amr: AuthMethod[];
  authenticatedAt: number;
  createdAt: number;
  lastSeenAt: number;
  /** The host's label of the device ("Firefox on Windows"), or null. */
  label: string | null;
  /** HMAC (pepper) of the token's secret part. */
  tokenMac: string;
  /** The idle limit this session was opened with. */
  idleMs: number;
  /** Live while `at < idleExpiresAt` (and `at < absoluteExpiresAt`). */
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  endedAt: number | null;
  endReason: SessionEndReason | 'expired' | null;
}

/** The input of a new session. */
export type SessionInput = Omit<SessionContext, 'lastSeenAt' | 'idleExpiresAt' | 'endedAt' | 'endReason'>;

export type SessionEvent =
  | { type: 'touch'; at: number }
  | { type: 'stepUp'; at: number; amr: AuthMethod[] }
  | { type: 'revoke'; at: number; reason: SessionEndReason }
  | { type: 'expire'; at: number };

export type SessionState = 'active' | 'revoked' | 'expired';

/** The instant a session stops being live. */
export const sessionEndsAt = (ctx: SessionContext): number => Math.min(ctx.idleExpiresAt, ctx.absoluteExpiresAt);

/** Whether a session (in state `active`) is live at `at`: before its idle and its absolute expiry. */
export const liveAt = (ctx: SessionContext, at: number): boolean => at < sessionEndsAt(ctx);

const idleFrom = (ctx: SessionContext, at: number) => Math.min(at + ctx.idleMs, ctx.absoluteExpiresAt);

/**
 * The lifecycle of a session: `active` until revoked or expired, both final in practice. Expiry
 * is data (`idleExpiresAt`, `absoluteExpiresAt`) checked by guards at the moment of use and
 * fired by the sweep (`expire`, guarded), never an xstate timer (docs/engine.md, "Time: deadlines are data").
 */
export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as SessionInput,
  },
  actions: {
    touch: assign(({ context, event }) => ({ lastSeenAt: event.at, idleExpiresAt: idleFrom(context, event.at) })),
    stepUp: assign(({ context, event }) =>
      event.type === 'stepUp'
        ? {
            amr: [...event.amr],
            authenticatedAt: event.at,
            lastSeenAt: event.at,
            idleExpiresAt: idleFrom(context, event.at),
          }
        : {},
    ),
    end: assign(({ event }) => ({
      endedAt: event.at,
      endReason: event.type === 'revoke' ? event.reason : ('expired' as const),
    })),
  },
  guards: {
    live: ({ context, event }) => liveAt(context, event.at),
    lapsed: ({ context, event }) => !liveAt(context, event.at),
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({
    ...input,
    lastSeenAt: input.createdAt,
    idleExpiresAt: Math.min(input.createdAt + input.idleMs, input.absoluteExpiresAt),
    endedAt: null,
    endReason: null,
  }),
  initial: 'active',
  states: {
    active: {
      on: {
        touch: { guard: 'live', actions: 'touch' },
        stepUp: { guard: 'live', actions: 'stepUp' },
        revoke: { target: 'revoked', actions: 'end' },
        expire: { guard: 'lapsed', target: 'expired', actions: 'end' },
      },
    },
    revoked: {},
    expired: {},
  },
});
