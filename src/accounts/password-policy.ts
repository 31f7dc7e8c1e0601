import { canonicalIdentifier } from './identifiers.js';

/** Password length bounds (NIST SP 800-63B 5.1.1.2), counted in Unicode code points after NFKC. */
export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
}

/** Defaults: at least 8 and at most 128 characters. No composition rules, per NIST. */
export const passwordPolicy: Readonly<PasswordPolicy> = Object.freeze({ minLength: 8, maxLength: 128 });

export type PasswordCheck = { ok: true } | { ok: false; reason: 'too_short' | 'too_long' | 'equals_identifier' };

/**
 * Checks a new password against the policy and the account's identifiers (username, business
 * login, email). Equality is case-insensitive on canonical forms, and `user@company` or
 * `name@example.com` also forbids the part before the `@`. Returns a result, not an error:
 * a rejected password is an expected outcome the caller shows to the user.
 */
export function checkPassword(
  password: string,
  identifiers: readonly string[],
  policy: Readonly<PasswordPolicy> = passwordPolicy,
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
  return { ok: true };
}
