import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32 } from '../../src/factors/base32.js';
import { hotp, otpauthUri, totpAt, totpStep, verifyTotp } from '../../src/factors/totp.js';

const rfcSeed = new TextEncoder().encode('12345678901234567890');

// RFC 6238 Appendix B, SHA-1 column: (time in seconds, 8-digit code).
const rfcVectors: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238, SHA-1, 30 s)', () => {
  it.each(rfcVectors)('gives the RFC 6238 test vector at T = %i s', async (seconds, code) => {
    expect(await hotp(rfcSeed, totpStep(seconds * 1000), 8)).toBe(code);
    expect(await totpAt(rfcSeed, seconds * 1000)).toBe(code.slice(-6));
  });

  it.each(rfcVectors)('accepts the 6-digit code of T = %i s at that instant', async (seconds, code) => {
    const check = await verifyTotp(rfcSeed, code.slice(-6), seconds * 1000, null);
    expect(check).toEqual({ ok: true, step: totpStep(seconds * 1000) });
  });

  it('the same TOTP step is refused twice', async () => {
    const at = 1111111111 * 1000;
    const code = await totpAt(rfcSeed, at);
    const first = await verifyTotp(rfcSeed, code, at, null);
    expect(first.ok).toBe(true);
    const step = first.ok ? first.step : -1;
    expect(await verifyTotp(rfcSeed, code, at, step)).toEqual({ ok: false });
    // Still refused a step later, while the code is inside the ±1 window.
    expect(await verifyTotp(rfcSeed, code, at + 30_000, step)).toEqual({ ok: false });
  });

  it('accepts a code one step either side of now, and refuses it two steps away', async () => {
    const at = 1234567890 * 1000;
    const previous = await totpAt(rfcSeed, at - 30_000);
    const next = await totpAt(rfcSeed, at + 30_000);
    expect((await verifyTotp(rfcSeed, previous, at, null)).ok).toBe(true);
    expect((await verifyTotp(rfcSeed, next, at, null)).ok).toBe(true);
    expect((await verifyTotp(rfcSeed, await totpAt(rfcSeed, at - 60_000), at, null)).ok).toBe(false);
    expect((await verifyTotp(rfcSeed, await totpAt(rfcSeed, at + 60_000), at, null)).ok).toBe(false);
  });

  it('refuses an older step once a newer one was used', async () => {
    const at = 2000000000 * 1000;
    const previous = await totpAt(rfcSeed, at - 30_000);
    expect(await verifyTotp(rfcSeed, previous, at, totpStep(at))).toEqual({ ok: false });
  });

  it('refuses codes that are not exactly 6 digits', async () => {
    const at = 59_000;
    for (const code of ['', '28708', '2870822', '28708a', ' 287082', '２８７０８２']) {
      expect(await verifyTotp(rfcSeed, code, at, null)).toEqual({ ok: false });
    }
  });

  it('writes an otpauth URI with the base32 secret, issuer and label', () => {
    const uri = new URL(otpauthUri(rfcSeed, 'Acme Help', 'bob@acme'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Acme Help:bob@acme');
    expect(uri.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(uri.searchParams.get('issuer')).toBe('Acme Help');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
  });

  it('percent-encodes the issuer parameter as RFC 3986 does (Key Uri Format: issuer=ACME%20Co), never a + for a space', () => {
    const text = otpauthUri(rfcSeed, 'Acme Help & Co', 'bob@acme');
    const issuer = /[?&]issuer=([^&]*)/.exec(text)?.[1];
    expect(issuer).toBe('Acme%20Help%20%26%20Co');
    // A reader that decodes by RFC 3986 alone sees the label's issuer prefix again.
    expect(decodeURIComponent(issuer!)).toBe('Acme Help & Co');
    expect(decodeURIComponent(text.slice('otpauth://totp/'.length, text.indexOf('?')))).toBe('Acme Help & Co:bob@acme');
  });
});

describe('base32', () => {
  it('round-trips bytes and reads what people type (lower case, spaces)', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255, 7, 9]);
    const text = encodeBase32(bytes);
    expect(decodeBase32(text)).toEqual(bytes);
    expect(decodeBase32(text.toLowerCase().replace(/(.{4})/g, '$1 '))).toEqual(bytes);
    expect(decodeBase32('ABC1')).toBeNull();
  });
});
