import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretHasher } from '../../src/security/hmac.js';

describe('createSecretHasher', () => {
  it('computes HMAC-SHA-256 keyed with the pepper over purpose, NUL, secret', async () => {
    const hasher = createSecretHasher('pepper-for-tests', { encoding: 'hex' });
    const expected = createHmac('sha256', 'pepper-for-tests').update('login\u0000123456').digest('hex');
    expect(await hasher.hash('login', '123456')).toBe(expected);
  });

  it('outputs unpadded base64url by default', async () => {
    const hash = await createSecretHasher('pepper').hash('login', '123456');
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hash).toBe(createHmac('sha256', 'pepper').update('login\u0000123456').digest('base64url'));
  });

  it('binds the purpose: the same code hashes differently for login and password_reset', async () => {
    const hasher = createSecretHasher('pepper');
    const forLogin = await hasher.hash('login', '123456');
    expect(await hasher.hash('password_reset', '123456')).not.toBe(forLogin);
    expect(await hasher.verify('login', '123456', forLogin)).toBe(true);
    expect(await hasher.verify('password_reset', '123456', forLogin)).toBe(false);
  });

  it('is deterministic per pepper and differs across peppers', async () => {
    const a = createSecretHasher('pepper-a');
    expect(await a.hash('login', '000000')).toBe(await a.hash('login', '000000'));
    expect(await createSecretHasher('pepper-b').hash('login', '000000')).not.toBe(await a.hash('login', '000000'));
  });

  it('does not verify a wrong secret or a truncated hash', async () => {
    const hasher = createSecretHasher('pepper');
    const stored = await hasher.hash('activation', 'token-value');
    expect(await hasher.verify('activation', 'token-valuf', stored)).toBe(false);
    expect(await hasher.verify('activation', 'token-value', stored.slice(0, -1))).toBe(false);
  });

  it('refuses a purpose containing NUL, which would make purpose and secret ambiguous', async () => {
    const hasher = createSecretHasher('pepper');
    await expect(hasher.hash('log\0in', 'x')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(hasher.hash('', 'x')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses an empty pepper', () => {
    expect(() => createSecretHasher('')).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
  });

  it('keys once and hashes without a WebCrypto call: no thread-pool round trip per code', async () => {
    const subtle = globalThis.crypto.subtle;
    const calls: string[] = [];
    const originals = new Map<string, unknown>();
    for (const name of ['importKey', 'sign', 'digest'] as const) {
      const original = (subtle[name] as (...args: unknown[]) => unknown).bind(subtle);
      originals.set(name, original);
      const spy = (...args: unknown[]) => {
        calls.push(name);
        return original(...args);
      };
      Object.defineProperty(subtle, name, { value: spy, configurable: true, writable: true });
    }
    try {
      const hasher = createSecretHasher('pepper');
      await Promise.all([hasher.hash('login', '1'), hasher.hash('login', '2')]);
      expect(await hasher.verify('login', '3', await hasher.hash('login', '3'))).toBe(true);
      expect(calls).toEqual([]);
    } finally {
      for (const [name, original] of originals) {
        Object.defineProperty(subtle, name, { value: original, configurable: true, writable: true });
      }
    }
  });
});
