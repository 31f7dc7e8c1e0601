/**
 * Hashes and checks account passwords. The default is PBKDF2-SHA-256 with 600,000
 * iterations through Web Crypto (`createPbkdf2Hasher`); a host may plug in argon2id or
 * scrypt from its own runtime.
 */
export interface PasswordHasher {
  /**
   * Must return a self-describing string (algorithm, cost parameters, salt and hash) that
   * `verify` alone can check later, even after the configured cost changed. Must use a fresh
   * random salt per call, so two hashes of one password differ. Must never return or log the
   * password. Should apply Unicode NFKC normalisation first (NIST SP 800-63B 5.1.1.2), so a
   * password typed on another keyboard still matches.
   */
  hash(password: string): Promise<string>;
  /**
   * Must resolve `true` only when `password` matches `stored`, using the parameters recorded
   * in `stored`, and compare in constant time. Must resolve `false`, not throw, when `stored`
   * is malformed or from an unknown algorithm: a wrong password is a state of the login flow,
   * not an error.
   */
  verify(password: string, stored: string): Promise<boolean>;
  /**
   * Optional. Must return `true` when `stored` is of another scheme than the hasher now makes, or
   * was made with parameters it no longer uses (a lower cost), and `false` for a string `hash`
   * would make the same way today. Must answer synchronously from `stored` alone and never throw
   * (a malformed string answers `true`). On `true`, the next successful login with the account's
   * own password hashes it again with `hash` and stores the result (`account.password_rehashed`).
   * Default when absent: never rehash.
   */
  needsRehash?(stored: string): boolean;
}
