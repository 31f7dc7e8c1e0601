import { commonErrors } from '../errors.js';

/**
 * The links the library mails: account activation, password reset, the owner's cancel of a
 * recovery, the satisfaction survey's rating link, and a guest's link to their ticket.
 */
export type LinkKind = 'activation' | 'password_reset' | 'recovery_cancel' | 'survey' | 'guest_ticket';

/** Where each link points, below `publicBaseUrl`. */
export type LinkPaths = Readonly<Record<LinkKind, string>>;

/**
 * The paths the default link builders use: `<publicBaseUrl>/activate?token=…`,
 * `<publicBaseUrl>/reset-password?token=…`, `<publicBaseUrl>/recovery/cancel?case=…&token=…`,
 * `<publicBaseUrl>/survey?token=…` and `<publicBaseUrl>/tickets/guest?token=gst_…`. The ticket
 * links' paths can be moved with `createHelpdesk({ tickets: { linkPaths } })`.
 */
export const DEFAULT_LINK_PATHS: LinkPaths = Object.freeze({
  activation: '/activate',
  password_reset: '/reset-password',
  recovery_cancel: '/recovery/cancel',
  survey: '/survey',
  guest_ticket: '/tickets/guest',
});

/** A link the library mailed, taken apart: pass `token` (and `caseId`) to the matching command. */
export type ParsedLink =
  | { kind: 'activation' | 'password_reset' | 'survey' | 'guest_ticket'; token: string }
  | { kind: 'recovery_cancel'; token: string; caseId: string };

/** Options of {@link parseLink}. */
export interface ParseLinkOptions {
  /** The same `publicBaseUrl` given to `createHelpdesk`: an absolute http(s) URL, maybe with a path. */
  publicBaseUrl: string;
  /** The paths in use, when the host built its own links at other paths. Default: {@link DEFAULT_LINK_PATHS}. */
  paths?: Partial<LinkPaths>;
}

/** Longer than any link the library builds (a 43-character token, an id of a few dozen). */
const MAX_URL_LENGTH = 2048;
// Tokens are base64url (43 characters for 32 bytes); ids are the IdGenerator's words.
const TOKEN = /^[A-Za-z0-9_-]{16,512}$/;
const CASE_ID = /^[A-Za-z0-9_-]{1,128}$/;
// A guest token: `gst_<selector>.<secret>` (the only token with a dot).
const GUEST_TOKEN = /^gst_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;
// Printable ASCII only: the URL parser silently drops tabs and line breaks and trims controls.
const PRINTABLE = /^[\x21-\x7e]+$/;
const PATH = /^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/;

const QUERY_KEYS: Readonly<Record<LinkKind, readonly string[]>> = {
  activation: ['token'],
  password_reset: ['token'],
  recovery_cancel: ['case', 'token'],
  survey: ['token'],
  guest_ticket: ['token'],
};

/**
 * Takes apart a link the library mailed, or returns null for anything else: another origin, a
 * path that is not exactly one of `paths` below the base, a missing, repeated or extra query
 * parameter, percent-encoding, a fragment, user info, a control character, or a URL over 2,048
 * characters. A null means "not our link": answer 404, never try the token anyway. Throws
 * CONFIGURATION_INVALID for a `publicBaseUrl` that is not an absolute http(s) URL or a path
 * that is not `/segment[/segment…]`.
 */
export function parseLink(url: string | URL, options: ParseLinkOptions): ParsedLink | null {
  const base = baseOf(options.publicBaseUrl);
  const paths = pathsOf(options.paths);
  const text = typeof url === 'string' ? url : url.href;
  if (text.length > MAX_URL_LENGTH || !PRINTABLE.test(text)) return null;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return null;
  }
  if (parsed.origin !== base.origin || parsed.username !== '' || parsed.password !== '') return null;
  if (text.includes('#')) return null;
  // Nothing in a link we build is percent-encoded, has a dot segment or a backslash: the URL
  // parser would decode or resolve them, so `/x/%2e%2e/activate` or `/x/../activate` is a trick.
  const pathAndQuery = text.slice(text.indexOf('/', text.indexOf('//') + 2));
  if (/[%+\\]|\/\.|\/\//.test(pathAndQuery)) return null;
  const kind = (Object.keys(paths) as LinkKind[]).find((k) => parsed.pathname === base.path + paths[k]);
  if (kind === undefined) return null;
  const query = queryOf(parsed.search, QUERY_KEYS[kind]);
  if (query === null) return null;
  const token = query.token;
  if (token === undefined || !(kind === 'guest_ticket' ? GUEST_TOKEN : TOKEN).test(token)) return null;
  if (kind !== 'recovery_cancel') return { kind, token };
  const caseId = query.case;
  if (caseId === undefined || !CASE_ID.test(caseId)) return null;
  return { kind, token, caseId };
}

/** The query as a map, or null unless it holds exactly `keys`, each once. */
function queryOf(search: string, keys: readonly string[]): Record<string, string> | null {
  const pairs = search.replace(/^\?/, '').split('&');
  if (pairs.length !== keys.length) return null;
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 0) return null;
    const key = pair.slice(0, at);
    if (!keys.includes(key) || key in out) return null;
    out[key] = pair.slice(at + 1);
  }
  return out;
}

function baseOf(publicBaseUrl: string): { origin: string; path: string } {
  let base: URL | null = null;
  try {
    base = new URL(publicBaseUrl);
  } catch {
    base = null;
  }
  if (
    base === null ||
    (base.protocol !== 'https:' && base.protocol !== 'http:') ||
    base.username !== '' ||
    base.password !== '' ||
    base.search !== '' ||
    base.hash !== '' ||
    !/^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*\/*$/.test(base.pathname)
  ) {
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      { field: 'publicBaseUrl' },
      'publicBaseUrl must be an absolute http(s) URL with a plain ASCII path and no query or fragment.',
    );
  }
  // As the builders do: the links hang below the base path, without its trailing slashes.
  return { origin: base.origin, path: base.pathname.replace(/\/+$/, '') };
}

/** The link paths in force: the defaults with `overrides`, each checked (CONFIGURATION_INVALID). Internal. */
export function pathsOf(overrides: Partial<LinkPaths> = {}): LinkPaths {
  const paths = { ...DEFAULT_LINK_PATHS, ...overrides };
  for (const [kind, path] of Object.entries(paths)) {
    if (typeof path !== 'string' || !PATH.test(path)) {
      throw commonErrors.raise(
        'CONFIGURATION_INVALID',
        { field: `paths.${kind}` },
        `The ${kind} link path must look like /segment or /segment/segment.`,
      );
    }
  }
  return paths;
}
