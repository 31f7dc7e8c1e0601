import type { AuthContext } from '../accounts/principal.js';
import type { DeviceView } from './devices.js';
import type { ForgetDeviceInput, RevokeSessionInput } from './schemas.js';

/** A session as `desk.sessions.list` shows it: never the token or its MAC. */
export interface SessionView {
  sessionId: string;
  /** True for the session of the `auth` the list was asked with. */
  current: boolean;
  label: string | null;
  amr: string[];
  authenticatedAt: number;
  createdAt: number;
  lastSeenAt: number;
  /** When it ends if unused (moves with use), and at the latest. */
  idleExpiresAt: number;
  absoluteExpiresAt: number;
}

/**
 * `desk.sessions`: the sessions the library vouches for, and the remembered devices. Every
 * call taking `auth` must be given the AuthContext `verify` answered (or a login's): its
 * `sessionId` must name a live session of the same principal, else SESSION_INVALID.
 * Thrown: INVALID_INPUT, SESSION_INVALID, SESSION_NOT_FOUND, CONFIGURATION_INVALID (no pepper).
 */
export interface SessionService {
  /**
   * The AuthContext of a session token, read from storage: the principal as stored now, the
   * session's `amr` and `authenticatedAt`, and its `sessionId`. SESSION_INVALID, one code
   * alike, for a forged, rewritten, expired, revoked or unknown token and for an account no
   * longer active. Writes `lastSeenAt` at most once per `touchInterval` (default 1 min).
   */
  verify(token: string): Promise<AuthContext>;
  /** The caller's live sessions, newest first. */
  list(auth: AuthContext): Promise<SessionView[]>;
  /**
   * Ends one of the caller's sessions at once (the next `verify` of its token is
   * SESSION_INVALID); answers `{ revoked: 1 }`. SESSION_NOT_FOUND for an id that is not a live
   * session of the caller.
   */
  revoke(input: RevokeSessionInput): Promise<{ revoked: number }>;
  /** Ends every other session of the caller ("sign out everywhere else"); answers how many ended. */
  revokeOthers(auth: AuthContext): Promise<{ revoked: number }>;
  /** The caller's remembered devices (accounts only; a phone principal has none). */
  devices(auth: AuthContext): Promise<DeviceView[]>;
  /**
   * Forgets one remembered device: its token no longer skips the second factor; answers
   * `{ forgotten: 1 }`. SESSION_NOT_FOUND for an id that is not a remembered device of the caller.
   */
  forgetDevice(input: ForgetDeviceInput): Promise<{ forgotten: number }>;
  /** Forgets every remembered device of the caller; answers how many. */
  forgetDevices(auth: AuthContext): Promise<{ forgotten: number }>;
}
