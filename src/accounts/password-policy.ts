import { COMMON_PASSWORDS } from './common-passwords.js';
import { canonicalIdentifier } from './identifiers.js';

/** Password length bounds (NIST SP 800-63B 5.1.1.2), counted in Unicode code points after NFKC. */
export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
}

/** Defaults: at least 8 and at most 128 characters. No composition rules, per NIST. */
export const passwordPolicy: Readonly<PasswordPolicy> = Object.freeze({ minLength: 8, maxLength: 128 });

export type PasswordCheck =
  { ok: true } | { ok: false; reason: 'too_short' | 'too_long' | 'equals_identifier' | 'too_common' };

/**
 * Checks a new password against the policy and the account's identifiers (username, business
 * login, email). Equality is case-insensitive on canonical forms, and `user@company` or
 * `name@example.com` also forbids the part before the `@`. Then, as NIST SP 800-63B 5.1.1.2
 * asks, against values known to be commonly used or expected (`too_common`): the list in
 * `common-passwords.ts`, the host's `blocklist`, one repeated character, or a plain run such as
 * `abcdefgh` or `98765432`; compared after NFKC and lower-casing. Returns a result, not an error:
 * a rejected password is an expected outcome the caller shows to the user.
 */
export function checkPassword(
  password: string,
  identifiers: readonly string[],
  policy: Readonly<PasswordPolicy> = passwordPolicy,
  blocklist: readonly string[] | ReadonlySet<string> = [],
): PasswordCheck {
  const length = [...password.normalize('NFKC')].length;
  if (length < policy.minLength) return { ok: false, reason: 'too_short' };
  if (length > policy.maxLength) return { ok: false, reason: 'too_long' };

  const candidate = canonicalIdentifier(password);
  for (const identifier of identifiers) {
    const canonical = canonicalIdentifier(identifier);
    if (canonical.length === 0) continue;
    const at = canonical.lastIndexOf('@');
    const local = at > 0 ? canonical.slice(0, at) : undefined;
    if (candidate === canonical || candidate === local) return { ok: false, reason: 'equals_identifier' };
  }
  return isCommon(foldPassword(password), blocklist) ? { ok: false, reason: 'too_common' } : { ok: true };
}

/** A word as the blocklist compares it: NFKC, lower-cased. */
export const foldPassword = (word: string): string => word.normalize('NFKC').toLowerCase();

/** `blocklist` as a Set of folded words ({@link foldPassword}), so a check is one lookup. */
export const foldedBlocklist = (blocklist: readonly string[]): ReadonlySet<string> =>
  new Set(blocklist.map(foldPassword));

function isCommon(folded: string, blocklist: readonly string[] | ReadonlySet<string>): boolean {
  if (COMMON_PASSWORDS.has(folded)) return true;
  // A Set is already folded (foldedBlocklist); a list is folded here.
  if ('has' in blocklist) {
    if (blocklist.has(folded)) return true;
  } else if (blocklist.some((word) => foldPassword(word) === folded)) return true;
  return isRun([...folded].map((c) => c.codePointAt(0)!));
}

/** One character repeated, or each character one code point above (or below) the one before. */
function isRun(points: readonly number[]): boolean {
  const step = points[1]! - points[0]!;
  if (step !== 0 && step !== 1 && step !== -1) return false;
  for (let i = 2; i < points.length; i++) if (points[i]! - points[i - 1]! !== step) return false;
  return true;
}
