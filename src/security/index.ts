// Internal barrel for the security building blocks; the public entry points pick from it.
export { randomDigits, randomToken, randomPassword, passwordAlphabet } from './random.js';
export { createSecretHasher } from './hmac.js';
export type { SecretHasher, SecretHasherOptions, SecretHashEncoding } from './hmac.js';
export { constantTimeEqual, constantTimeEqualBytes } from './constant-time.js';
export { createPbkdf2Hasher, defaultPbkdf2Iterations, pbkdf2Scheme } from './pbkdf2-hasher.js';
export type { Pbkdf2HasherOptions } from './pbkdf2-hasher.js';
export { encodeBase64Url, decodeBase64Url, encodeHex } from './base64url.js';
export type { PasswordHasher } from '../ports/password-hasher.js';
export { secretMachine } from './secret-machine.js';
export type { SecretContext, SecretEvent, SecretOutcome, SecretState } from './secret-machine.js';
export { createOneTimeCodes, ONE_TIME_CODE_KIND } from './one-time-codes.js';
export type { CodeCheck, CodePurpose, IssueCodeOptions, OneTimeCodes, StoredCode } from './one-time-codes.js';
export { createLinkTokens, LINK_TOKEN_KIND } from './link-tokens.js';
export type { LinkPurpose, LinkTokens, StoredLinkToken } from './link-tokens.js';
export {
  LOCKOUT_KIND,
  countFailure,
  emptyLockout,
  loadLockout,
  lockedUntil,
  recordFailure,
  recordSuccess,
  saveLockout,
} from './lockout.js';
export type { LockoutRules, LockoutState } from './lockout.js';
export {
  RATE_WINDOW_KIND,
  addHit,
  checkRate,
  clearHits,
  combineSlots,
  rateKey,
  recentHits,
  takeRate,
} from './rate-limiter.js';
export type { RateSlot, RateWindow, RateWindowState } from './rate-limiter.js';

/** Every record kind the security module writes. */
export const SECURITY_RECORD_KINDS = ['one_time_code', 'link_token', 'login_lockout', 'rate_window'] as const;
