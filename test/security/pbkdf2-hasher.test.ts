import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPbkdf2Hasher, defaultPbkdf2Iterations } from '../../src/security/pbkdf2-hasher.js';
import { decodeBase64Url } from '../../src/security/base64url.js';
import { countingRandom } from './fake-random.js';

// Small cost for speed; the default (600,000) is checked separately.
const hasher = createPbkdf2Hasher({ iterations: 1000 });

describe('createPbkdf2Hasher', () => {
  it('verifies the password it hashed', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    expect(await hasher.verify('correct horse battery staple', stored)).toBe(true);
  });

  it('does not verify a wrong password', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    expect(await hasher.verify('correct horse battery stapl', stored)).toBe(false);
    expect(await hasher.verify('Correct horse battery staple', stored)).toBe(false);
    expect(await hasher.verify('', stored)).toBe(false);
  });

  it('stores pbkdf2-sha256$<iterations>$<16-byte salt>$<32-byte hash> in base64url', async () => {
    const stored = await hasher.hash('secret');
    const [scheme, iterations, salt, hash, ...rest] = stored.split('$');
    expect(scheme).toBe('pbkdf2-sha256');
    expect(iterations).toBe('1000');
    expect(decodeBase64Url(salt!)).toHaveLength(16);
    expect(decodeBase64Url(hash!)).toHaveLength(32);
    expect(rest).toEqual([]);
  });

  it('derives exactly PBKDF2-HMAC-SHA-256 of the NFKC password with the stored salt', async () => {
    const stored = await createPbkdf2Hasher({ iterations: 1000, random: countingRandom() }).hash('pässwörd');
    const salt = Uint8Array.from({ length: 16 }, (_, i) => i);
    const expected = pbkdf2Sync('pässwörd'.normalize('NFKC'), salt, 1000, 32, 'sha256').toString('base64url');
    expect(stored).toBe(`pbkdf2-sha256$1000$${Buffer.from(salt).toString('base64url')}$${expected}`);
  });

  it('uses a fresh salt each time, so one password gives different stored strings', async () => {
    expect(await hasher.hash('same')).not.toBe(await hasher.hash('same'));
  });

  it('verifies with the iteration count in the stored string, not the configured one', async () => {
    const old = await createPbkdf2Hasher({ iterations: 500 }).hash('secret');
    const current = createPbkdf2Hasher({ iterations: 2000 });
    expect(await current.verify('secret', old)).toBe(true);
    expect(current.needsRehash!(old)).toBe(true);
    expect(current.needsRehash!(await current.hash('secret'))).toBe(false);
  });

  it('does not verify when the stored iteration count was changed', async () => {
    const stored = await hasher.hash('secret');
    expect(await hasher.verify('secret', stored.replace('$1000$', '$1001$'))).toBe(false);
  });

  it('does not verify a tampered salt or hash', async () => {
    const stored = await hasher.hash('secret');
    const parts = stored.split('$');
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    expect(await hasher.verify('secret', [parts[0], parts[1], flip(parts[2]!, 3), parts[3]].join('$'))).toBe(false);
    expect(await hasher.verify('secret', [parts[0], parts[1], parts[2], flip(parts[3]!, 10)].join('$'))).toBe(false);
  });

  it('returns false instead of throwing for malformed stored strings', async () => {
    const stored = await hasher.hash('secret');
    const [, , salt, hash] = stored.split('$');
    const malformed = [
      '',
      'secret',
      'pbkdf2-sha256',
      `pbkdf2-sha256$1000$${salt}`,
      `pbkdf2-sha256$1000$${salt}$${hash}$extra`,
      `pbkdf2-sha512$1000$${salt}$${hash}`,
      `pbkdf2-sha256$0$${salt}$${hash}`,
      `pbkdf2-sha256$01000$${salt}$${hash}`,
      `pbkdf2-sha256$-1$${salt}$${hash}`,
      `pbkdf2-sha256$1e3$${salt}$${hash}`,
      `pbkdf2-sha256$99999999999$${salt}$${hash}`,
      `pbkdf2-sha256$1000$${salt}=$${hash}`,
      `pbkdf2-sha256$1000$$${hash}`,
      `pbkdf2-sha256$1000$${salt}$${hash!.slice(0, 20)}`,
      `pbkdf2-sha256$1000$${salt}$${hash}AAAA`,
      `$2b$12$abcdefghijklmnopqrstuv`,
    ];
    for (const bad of malformed) expect(await hasher.verify('secret', bad)).toBe(false);
    expect(await hasher.verify('secret', null as unknown as string)).toBe(false);
  });

  it('normalises passwords with NFKC, so compatibility forms match', async () => {
    const stored = await hasher.hash('ﬁle Ｐassword');
    expect(await hasher.verify('file Password', stored)).toBe(true);
  });

  it('defaults to 600,000 iterations', async () => {
    expect(defaultPbkdf2Iterations).toBe(600_000);
    const stored = await createPbkdf2Hasher().hash('secret');
    expect(stored.split('$')[1]).toBe('600000');
  });

  it('refuses an invalid iteration count', () => {
    for (const iterations of [0, -5, 1.5, Number.POSITIVE_INFINITY]) {
      expect(() => createPbkdf2Hasher({ iterations })).toThrow(
        expect.objectContaining({ code: 'CONFIGURATION_INVALID' }),
      );
    }
  });
});
