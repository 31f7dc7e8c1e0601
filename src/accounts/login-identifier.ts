import { businessLoginSchema, canonicalIdentifier, usernameSchema } from './identifiers.js';

// Its own leaf file so that schemas (here, in login and in recovery) can parse a login without
// importing the storage layout.

/** A login identifier, parsed: a personal username, or a business `username@company`. */
export type LoginIdentifier =
  | { kind: 'personal'; username: string; login: string }
  | { kind: 'business'; username: string; company: string; login: string };

/**
 * Parses a login identifier (case, NFKC and surrounding spaces canonicalised). Returns null
 * when it is neither a valid username nor a valid `username@company` (an email address is not
 * a login: its domain has a dot, a company slug has none).
 */
export function parseLoginIdentifier(input: string): LoginIdentifier | null {
  if (typeof input !== 'string' || input.length > 300) return null;
  const canonical = canonicalIdentifier(input);
  if (canonical.includes('@')) {
    const parsed = businessLoginSchema.safeParse(canonical);
    if (!parsed.success) return null;
    const { username, company } = parsed.data;
    return { kind: 'business', username, company, login: `${username}@${company}` };
  }
  const parsed = usernameSchema.safeParse(canonical);
  return parsed.success ? { kind: 'personal', username: parsed.data, login: parsed.data } : null;
}
