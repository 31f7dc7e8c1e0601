import { describe, expect, it } from 'vitest';
import { createArgon2idHasher, defaultArgon2idParameters } from '../../src/argon2/index.js';
import { decodePhcBase64, encodePhcBase64, parseArgon2idPhc } from '../../src/argon2/phc-string.js';
import { isHelpdeskError } from '../../src/errors.js';
import { createPbkdf2Hasher } from '../../src/security/pbkdf2-hasher.js';
import { countingRandom } from '../security/fake-random.js';

// Small memory for speed; the OWASP default is checked once below.
const cheap = { memoryKiB: 64, iterations: 1, parallelism: 1 } as const;
const hasher = createArgon2idHasher(cheap);

describe('createArgon2idHasher', () => {
  it('matches the argon2id test vector of the reference implementation (password/somesalt, m=65536, t=2, p=1)', async () => {
    // phc-winner-argon2 test.c, argon2id v=19: hex 09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7.
    // hash-wasm takes no associated data, so the RFC 9106 §5.3 vector (secret + ad) cannot be run.
    const reference = '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc';
    const parsed = parseArgon2idPhc(reference)!;
    expect(new TextDecoder().decode(parsed.salt)).toBe('somesalt');
    expect([...parsed.hash].map((b) => b.toString(16).padStart(2, '0')).join('')).toBe(
      '09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7',
    );
    const verifier = createArgon2idHasher();
    expect(await verifier.verify('password', reference)).toBe(true);
    expect(await verifier.verify('passwore', reference)).toBe(false);
  });

  it('hashes with the OWASP minimum by default: m=19456 KiB, t=2, p=1, 16-byte salt, 32-byte hash', async () => {
    expect(defaultArgon2idParameters).toEqual({ memoryKiB: 19_456, iterations: 2, parallelism: 1 });
    const owasp = createArgon2idHasher();
    const stored = await owasp.hash('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await owasp.verify('correct horse battery staple', stored)).toBe(true);
    expect(owasp.needsRehash!(stored)).toBe(false);
  });

  it('verifies the password it hashed and no other', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    expect(await hasher.verify('correct horse battery staple', stored)).toBe(true);
    expect(await hasher.verify('correct horse battery stapl', stored)).toBe(false);
    expect(await hasher.verify('', stored)).toBe(false);
  });

  it('refuses to hash an empty password with INVALID_INPUT', async () => {
    await expect(hasher.hash('')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('uses a fresh 16-byte salt from the random source for every hash', async () => {
    const random = countingRandom();
    const salted = createArgon2idHasher({ ...cheap, random });
    const first = await salted.hash('secret');
    const second = await salted.hash('secret');
    expect(first).not.toBe(second);
    expect(random.fills).toBe(2);
    expect([...parseArgon2idPhc(first)!.salt]).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it('normalises passwords with NFKC, so a composed and a decomposed é match', async () => {
    const stored = await hasher.hash('caf\u00e9');
    expect(await hasher.verify('cafe\u0301', stored)).toBe(true);
  });

  it('verifies with the parameters recorded in the string, so a stronger configuration still reads old hashes', async () => {
    const stored = await hasher.hash('secret');
    const stronger = createArgon2idHasher({ memoryKiB: 128, iterations: 2 });
    expect(await stronger.verify('secret', stored)).toBe(true);
    expect(stronger.needsRehash!(stored)).toBe(true);
    expect(hasher.needsRehash!(stored)).toBe(false);
  });

  it('asks for a rehash when any parameter differs, and for a string of another scheme', async () => {
    const stored = await hasher.hash('secret');
    expect(createArgon2idHasher({ ...cheap, memoryKiB: 32 }).needsRehash!(stored)).toBe(true);
    expect(createArgon2idHasher({ ...cheap, parallelism: 2 }).needsRehash!(stored)).toBe(true);
    const pbkdf2 = await createPbkdf2Hasher({ iterations: 1000 }).hash('secret');
    expect(hasher.needsRehash!(pbkdf2)).toBe(true);
    expect(hasher.needsRehash!('garbage')).toBe(true);
  });

  it('verifies legacy PBKDF2 hashes through its fallback and reports them for a rehash', async () => {
    const legacy = createPbkdf2Hasher({ iterations: 1000 });
    const migrating = createArgon2idHasher({ ...cheap, fallback: legacy });
    const old = await legacy.hash('secret');
    expect(await migrating.verify('secret', old)).toBe(true);
    expect(await migrating.verify('wrong', old)).toBe(false);
    expect(migrating.needsRehash!(old)).toBe(true);
    // Without a fallback a PBKDF2 string is just not argon2id.
    expect(await hasher.verify('secret', old)).toBe(false);
  });

  it('resolves false, not throws, for malformed strings and strings asking for absurd costs', async () => {
    const stored = await hasher.hash('secret');
    const [, , version, , salt, hash] = stored.split('$');
    const variants = [
      '',
      'garbage',
      stored.replace('$argon2id$', '$argon2i$'),
      stored.replace(`$${version}$`, '$v=16$'),
      stored.replace('m=64', 'm=2000000'), // over 1 GiB
      stored.replace('t=1', 't=1000'),
      stored.replace('m=64,t=1,p=1', 'm=64,t=1,p=64'),
      stored.replace(`$${salt}$`, '$c2FsdA$'), // 4-byte salt
      stored.replace(`$${hash}`, '$c2hvcnQ'), // 5-byte hash
      `${stored}=`,
      stored.replace('m=64', 'm=064'),
    ];
    for (const variant of variants) {
      expect(await hasher.verify('secret', variant), variant).toBe(false);
      expect(hasher.needsRehash!(variant), variant).toBe(true);
    }
  });

  it('refuses configurations outside the limits with CONFIGURATION_INVALID', () => {
    for (const bad of [{ memoryKiB: 0 }, { iterations: 1.5 }, { parallelism: 17 }, { memoryKiB: 8, parallelism: 2 }]) {
      let thrown: unknown;
      try {
        createArgon2idHasher(bad);
      } catch (error) {
        thrown = error;
      }
      expect(isHelpdeskError(thrown, 'CONFIGURATION_INVALID'), JSON.stringify(bad)).toBe(true);
    }
  });

  it('lets a runtime without WebAssembly compilation plug in its own argon2id implementation', async () => {
    const calls: number[] = [];
    const injected = createArgon2idHasher({
      ...cheap,
      argon2id: async (input) => {
        calls.push(input.memoryKiB);
        return new Uint8Array(input.hashLength).fill(7);
      },
    });
    const stored = await injected.hash('secret');
    expect(stored.endsWith(`$${encodePhcBase64(new Uint8Array(32).fill(7))}`)).toBe(true);
    expect(await injected.verify('anything', stored)).toBe(true);
    expect(calls).toEqual([64, 64]);
  });
});

describe('PHC base64', () => {
  it('round-trips every length and refuses non-canonical text', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
      expect([...decodePhcBase64(encodePhcBase64(bytes))!]).toEqual([...bytes]);
    }
    expect(encodePhcBase64(new TextEncoder().encode('somesalt'))).toBe('c29tZXNhbHQ');
    expect(decodePhcBase64('c29tZXNhbHR')).toBeNull(); // stray low bits
    expect(decodePhcBase64('c29tZXNhbHQ=')).toBeNull();
    expect(decodePhcBase64('c29t-XNhbHQ')).toBeNull();
    expect(decodePhcBase64('c')).toBeNull();
  });
});
