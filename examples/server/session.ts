// Cookie sessions for the example, kept in one file so the lead can swap them for
// `desk.sessions` later. The AuthContext stays on the server; the browser holds a random id.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AuthContext } from '../../src/accounts/index.js';

/** What the server remembers for one browser. */
export interface Session {
  /** The login flow in progress: never sent to the page. */
  flowId?: string;
  /** Set when a requester's login completed. */
  auth?: AuthContext;
  /** Set by the dev-only agent login. */
  agentId?: string;
}

/** Server-side sessions keyed by an HttpOnly, SameSite=Lax cookie. */
export interface SessionStore {
  /** The session of the request, or undefined when there is none. */
  read(c: Context): Session | undefined;
  /** The session of the request, created (with a cookie) when there is none. */
  ensure(c: Context): Session;
  /** Moves the session to a new id (after a login), so an id seen before the login is worthless. */
  rotate(c: Context): Session;
  /** Forgets the session and clears the cookie. */
  end(c: Context): void;
}

const COOKIE = 'hd_session';

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/** In-memory sessions: they end when the process does, which is right for a development server. */
export function createSessionStore(options: { secure?: boolean } = {}): SessionStore {
  const sessions = new Map<string, Session>();
  const issue = (c: Context, session: Session): Session => {
    const id = randomId();
    sessions.set(id, session);
    setCookie(c, COOKIE, id, { httpOnly: true, sameSite: 'Lax', path: '/', secure: options.secure ?? false });
    return session;
  };
  const read = (c: Context) => {
    const id = getCookie(c, COOKIE);
    return id === undefined ? undefined : sessions.get(id);
  };
  return {
    read,
    ensure: (c) => read(c) ?? issue(c, {}),
    rotate(c) {
      const id = getCookie(c, COOKIE);
      const current = id === undefined ? undefined : sessions.get(id);
      if (id !== undefined) sessions.delete(id);
      return issue(c, { ...current });
    },
    end(c) {
      const id = getCookie(c, COOKIE);
      if (id !== undefined) sessions.delete(id);
      deleteCookie(c, COOKIE, { path: '/' });
    },
  };
}
