// The portal's cookies. A requester's session is the library's: the cookie holds the `ses_…` token
// of a completed login and every request turns it back into an AuthContext with
// `desk.sessions.verify` (so a revoked session, a password reset or a disabled account takes effect
// at once). Two short-lived things stay with this host: the login flow in progress (before there
// is a session) and the agent sign-in, which a real host vouches for through its own staff login.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { isHelpdeskError, type Helpdesk } from '../../src/index.js';
import type { AuthContext } from '../../src/accounts/index.js';

/** The requester's library session cookie: the `ses_<id>.<secret>` token, nothing else. */
export const SESSION_COOKIE = 'hd_session';
/** The login flow in progress: a random id this server maps to the flow id. */
export const LOGIN_COOKIE = 'hd_login';
/** The development agent sign-in: a random id this server maps to the agent. */
export const AGENT_COOKIE = 'hd_agent';

/** What a completed login hands over: the token and its absolute expiry. */
export interface SessionGrant {
  token: string;
  expiresAt: number;
}

/** The portal's sessions: the requester's through `desk.sessions`, the rest in this process. */
export interface PortalSessions {
  /** The signed-in requester's AuthContext (`desk.sessions.verify`), or null: an invalid token also clears the cookie. */
  requester(c: Context): Promise<AuthContext | null>;
  /** Remembers a login flow that just started, under a fresh cookie (the flow id never reaches the page). */
  beginLogin(c: Context, flowId: string): void;
  /** The flow id of the login in progress, or undefined. */
  loginFlow(c: Context): string | undefined;
  /** After a completed login: the session token into its cookie (until its absolute expiry); the flow is forgotten. */
  completeLogin(c: Context, grant: SessionGrant): void;
  /** Log out: `desk.sessions.revoke` of the cookie's session (the token stops working everywhere), cookie cleared. */
  logout(c: Context): Promise<void>;
  /** The signed-in agent's id, or undefined. */
  agent(c: Context): string | undefined;
  /** Signs an agent in (the host vouches for it) under a fresh cookie. */
  signInAgent(c: Context, agentId: string): void;
  /** Signs the agent out. */
  signOutAgent(c: Context): void;
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/** Options of {@link createPortalSessions}. */
export interface PortalSessionOptions {
  /** Adds `Secure` to every cookie. Default: true when the server's URL is https. */
  secure: boolean;
}

/** The portal's sessions on top of `desk.sessions`. */
export function createPortalSessions(desk: Helpdesk, options: PortalSessionOptions): PortalSessions {
  // HttpOnly: scripts cannot read a token. SameSite=Lax: no cross-site form posts carry it.
  const flags = { httpOnly: true, sameSite: 'Lax', path: '/', secure: options.secure } as const;
  const flows = new Map<string, string>();
  const agents = new Map<string, string>();

  const take = (c: Context, name: string, map: Map<string, string>) => {
    const id = getCookie(c, name);
    if (id !== undefined) map.delete(id);
    deleteCookie(c, name, flags);
  };
  const give = (c: Context, name: string, map: Map<string, string>, value: string) => {
    take(c, name, map);
    const id = randomId();
    map.set(id, value);
    setCookie(c, name, id, flags);
  };
  const lookUp = (c: Context, name: string, map: Map<string, string>) => {
    const id = getCookie(c, name);
    return id === undefined ? undefined : map.get(id);
  };

  /** The AuthContext of the cookie's token, or null (a forged, expired or revoked token is SESSION_INVALID). */
  const verify = async (c: Context): Promise<AuthContext | null> => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token === undefined) return null;
    try {
      return await desk.sessions.verify(token);
    } catch (error) {
      if (!isHelpdeskError(error, 'SESSION_INVALID') && !isHelpdeskError(error, 'INVALID_INPUT')) throw error;
      deleteCookie(c, SESSION_COOKIE, flags);
      return null;
    }
  };

  return {
    requester: verify,
    beginLogin: (c, flowId) => give(c, LOGIN_COOKIE, flows, flowId),
    loginFlow: (c) => lookUp(c, LOGIN_COOKIE, flows),
    completeLogin(c, grant) {
      take(c, LOGIN_COOKIE, flows);
      const maxAge = Math.max(0, Math.floor((grant.expiresAt - Date.now()) / 1000));
      setCookie(c, SESSION_COOKIE, grant.token, { ...flags, maxAge });
    },
    async logout(c) {
      const auth = await verify(c);
      if (auth?.sessionId) await desk.sessions.revoke({ auth, sessionId: auth.sessionId });
      deleteCookie(c, SESSION_COOKIE, flags);
      take(c, LOGIN_COOKIE, flows);
    },
    agent: (c) => lookUp(c, AGENT_COOKIE, agents),
    signInAgent: (c, agentId) => give(c, AGENT_COOKIE, agents, agentId),
    signOutAgent: (c) => take(c, AGENT_COOKIE, agents),
  };
}
