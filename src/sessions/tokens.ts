import type { RandomSource } from '../ports/random-source.js';
import { constantTimeEqual, randomToken } from '../security/index.js';

/** Computes the keyed MAC of a secret for a purpose (the accounts' pepper-bound `lookupKey`). */
export type Mac = (purpose: string, value: string) => Promise<string>;

/** A bearer token as handed to the host: `<id>.<secret>`, the secret 32 random bytes in base64url. */
export interface MintedToken {
  id: string;
  token: string;
  /** HMAC of the secret part: the only form stored. */
  mac: string;
}

const SECRET = /^[A-Za-z0-9_-]{43}$/;

/**
 * Mints a selector-verifier token: the record id lets `verify` load one record (no scan, no
 * index on a secret); the secret is compared by its HMAC in constant time.
 */
export async function mintToken(random: RandomSource, mac: Mac, prefix: string, purpose: string): Promise<MintedToken> {
  const id = `${prefix}${randomToken(random, 16)}`;
  const secret = randomToken(random, 32);
  return { id, token: `${id}.${secret}`, mac: await mac(purpose, secret) };
}

/** The id and secret of a well-formed token of `prefix`, or null. */
export function splitToken(token: string, prefix: string): { id: string; secret: string } | null {
  const dot = token.indexOf('.');
  if (dot < 0) return null;
  const id = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (!id.startsWith(prefix) || !/^[A-Za-z0-9_-]{1,40}$/.test(id.slice(prefix.length))) return null;
  return SECRET.test(secret) ? { id, secret } : null;
}

/** Whether `secret` MACs to `stored`, compared in constant time. */
export async function secretMatches(mac: Mac, purpose: string, secret: string, stored: string): Promise<boolean> {
  return constantTimeEqual(await mac(purpose, secret), stored);
}
