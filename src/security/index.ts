// Internal barrel for the security building blocks; the public entry points pick from it.
export { randomDigits, randomToken, randomPassword, passwordAlphabet } from './random.js';
export { createSecretHasher } from './hmac.js';
export type { SecretHasher, SecretHasherOptions, SecretHashEncoding } from './hmac.js';
export { constantTimeEqual, constantTimeEqualBytes } from './constant-time.js';
export { createPbkdf2Hasher, defaultPbkdf2Iterations, pbkdf2Scheme } from './pbkdf2-hasher.js';
export type { Pbkdf2HasherOptions } from './pbkdf2-hasher.js';
export { encodeBase64Url, decodeBase64Url, encodeHex } from './base64url.js';
export type { PasswordHasher } from '../ports/password-hasher.js';
