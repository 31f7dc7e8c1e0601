import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { createSealer, ephemeralKeyring, toKeyring, type Sealed } from '../../src/security/sealing.js';

/** Base64 of 32 bytes, each `fill`: distinct keys that are easy to tell apart. */
function keyOf(fill: number): string {
  return btoa(String.fromCharCode(...new Uint8Array(32).fill(fill)));
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );
}

describe('sealing with AES-GCM under a keyring', () => {
  it('opens what it sealed, and the sealed form does not contain the plaintext', async () => {
    const sealer = createSealer({ current: 'k1', keys: { k1: keyOf(1) } });
    const sealed = await sealer.seal('Your login code: 493817', 'msg-1');
    expect(sealed.kid).toBe('k1');
    expect(JSON.stringify(sealed)).not.toContain('493817');
    expect(await sealer.open(sealed, 'msg-1')).toBe('Your login code: 493817');
  });

  it('uses a fresh nonce per seal, so the same text seals differently', async () => {
    const sealer = createSealer(keyOf(2));
    const a = await sealer.seal('same text', 'ctx');
    const b = await sealer.seal('same text', 'ctx');
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
  });

  it('does not open a value sealed for another message (the context is bound)', async () => {
    const sealer = createSealer(keyOf(3));
    const sealed = await sealer.seal('token', 'msg-1');
    const error = await refusal(sealer.open(sealed, 'msg-2'));
    expect(isHelpdeskError(error, 'CONFIGURATION_INVALID')).toBe(true);
  });

  it('refuses altered data instead of returning anything', async () => {
    const sealer = createSealer(keyOf(4));
    const sealed = await sealer.seal('temporary password', 'ctx');
    const flipped = (sealed.data[0] === 'A' ? 'B' : 'A') + sealed.data.slice(1);
    const error = await refusal(sealer.open({ ...sealed, data: flipped }, 'ctx'));
    expect(isHelpdeskError(error, 'CONFIGURATION_INVALID')).toBe(true);
  });

  it('after a rotation, opens values sealed under the old kid while that key stays in the keyring', async () => {
    const before = createSealer({ current: 'k1', keys: { k1: keyOf(1) } });
    const old = await before.seal('old code 111111', 'ctx');
    const after = createSealer({ current: 'k2', keys: { k1: keyOf(1), k2: keyOf(2) } });
    const fresh = await after.seal('new code 222222', 'ctx');
    expect(fresh.kid).toBe('k2');
    expect(await after.open(old, 'ctx')).toBe('old code 111111');
    expect(await after.open(fresh, 'ctx')).toBe('new code 222222');
  });

  it('refuses a value whose kid left the keyring with CONFIGURATION_INVALID naming the kid', async () => {
    const old = await createSealer({ current: 'k1', keys: { k1: keyOf(1) } }).seal('code 333333', 'ctx');
    const error = await refusal(createSealer({ current: 'k2', keys: { k2: keyOf(2) } }).open(old, 'ctx'));
    expect(isHelpdeskError(error, 'CONFIGURATION_INVALID')).toBe(true);
    expect((error as { details: unknown }).details).toEqual({ kid: 'k1' });
    expect((error as Error).message).toContain('"k1"');
    expect((error as Error).message).not.toContain('333333');
  });

  it('refuses a value whose kid now names another key (wrong key) with CONFIGURATION_INVALID', async () => {
    const sealed: Sealed = await createSealer({ current: 'k1', keys: { k1: keyOf(1) } }).seal('code', 'ctx');
    const error = await refusal(createSealer({ current: 'k1', keys: { k1: keyOf(9) } }).open(sealed, 'ctx'));
    expect(isHelpdeskError(error, 'CONFIGURATION_INVALID')).toBe(true);
    expect((error as { details: unknown }).details).toEqual({ kid: 'k1' });
  });

  it('accepts a Web Crypto AES-GCM CryptoKey', async () => {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const sealer = createSealer({ current: 'hsm', keys: { hsm: key } });
    expect(await sealer.open(await sealer.seal('link token', 'ctx'), 'ctx')).toBe('link token');
  });

  it('accepts standard and url-safe base64, padded or not', () => {
    const bytes = new Uint8Array(32).fill(0xfb); // encodes with '+' or '-' and '/' or '_'
    const standard = btoa(String.fromCharCode(...bytes));
    expect(standard).toMatch(/[+/]/);
    expect(() => toKeyring(standard)).not.toThrow();
    expect(() => toKeyring(standard.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, ''))).not.toThrow();
  });

  it('refuses a bad keyring at once with CONFIGURATION_INVALID, never echoing the key', () => {
    const short = btoa('sixteen bytes!!!');
    for (const bad of [
      { current: 'k2', keys: { k1: keyOf(1) } },
      { current: 'k1', keys: { k1: short } },
      { current: 'k1', keys: { k1: 'not base64 at all!' } },
      { current: 'k1', keys: { k1: 42 as unknown as string } },
    ]) {
      let error: unknown;
      try {
        createSealer(bad);
      } catch (e) {
        error = e;
      }
      expect(isHelpdeskError(error, 'CONFIGURATION_INVALID')).toBe(true);
      expect((error as Error).message).not.toContain(short);
    }
  });

  it('makes a single key kid "default", and an ephemeral keyring a fresh key per call', async () => {
    expect(toKeyring(keyOf(1)).current).toBe('default');
    const a = ephemeralKeyring();
    const b = ephemeralKeyring();
    expect(a.current).not.toBe(b.current);
    const sealed = await createSealer(a).seal('x', 'ctx');
    const error = await refusal(createSealer(b).open(sealed, 'ctx'));
    expect(isHelpdeskError(error, 'CONFIGURATION_INVALID')).toBe(true);
  });
});
