import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { webCryptoRandom } from '../../src/ports/random-source.js';
import { decodeBase64Url, encodeBase64Url } from '../../src/security/base64url.js';
import { passwordAlphabet, randomDigits, randomPassword, randomToken } from '../../src/security/random.js';
import { countingRandom, replayRandom, seededRandom } from './fake-random.js';

function chiSquare(counts: number[], expected: number): number {
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

describe('randomDigits', () => {
  it('returns exactly n decimal digits, keeping leading zeros', () => {
    for (const n of [1, 6, 8, 64]) {
      const code = randomDigits(webCryptoRandom, n);
      expect(code).toMatch(new RegExp(`^[0-9]{${n}}$`));
    }
    expect(randomDigits(replayRandom([0]), 6)).toBe('000000');
  });

  it('maps each byte below 250 to byte % 10 and rejects 250..255 instead of folding them', () => {
    expect(randomDigits(countingRandom(), 10)).toBe('0123456789');
    // Bytes 250..255 would favour 0..5 if folded with a modulo; they are skipped.
    expect(randomDigits(replayRandom([250, 251, 252, 253, 254, 255, 7]), 3)).toBe('777');
  });

  it('has no modulo bias: over every byte value each digit comes out equally often', () => {
    const counts = Array<number>(10).fill(0);
    // 1000 digits consume exactly four rounds of 0..255 (250 accepted per round).
    for (const digit of randomDigits(countingRandom(), 1000)) counts[Number(digit)]!++;
    expect(counts).toEqual(Array<number>(10).fill(100));
  });

  it('is uniform-ish over a pseudo-random source (chi-square, 9 degrees of freedom)', () => {
    const counts = Array<number>(10).fill(0);
    const source = seededRandom(20240411);
    for (let round = 0; round < 100; round++) {
      for (const digit of randomDigits(source, 1000)) counts[Number(digit)]!++;
    }
    // 27.9 is the 0.1% critical value; a biased generator lands far above it.
    expect(chiSquare(counts, 10_000)).toBeLessThan(27.9);
  });

  it('refuses a length that is not a positive integer', () => {
    for (const n of [0, -1, 1.5, Number.NaN]) {
      expect(() => randomDigits(webCryptoRandom, n)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
});

describe('randomToken', () => {
  it('encodes 32 random bytes as 43 unpadded base64url characters', () => {
    const token = randomToken(webCryptoRandom);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(decodeBase64Url(token)).toHaveLength(32);
  });

  it('encodes exactly the bytes the source gave', () => {
    const token = randomToken(countingRandom(), 32);
    expect([...decodeBase64Url(token)!]).toEqual(Array.from({ length: 32 }, (_, i) => i));
  });

  it('does not repeat across many draws', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => randomToken(webCryptoRandom)));
    expect(tokens.size).toBe(1000);
  });

  it('refuses fewer than 16 bytes', () => {
    expect(() => randomToken(webCryptoRandom, 8)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('base64url', () => {
  it('round-trips any bytes and uses only the URL-safe alphabet without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = encodeBase64Url(bytes);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(text).toHaveLength(Math.ceil((bytes.length * 4) / 3));
        expect([...decodeBase64Url(text)!]).toEqual([...bytes]);
      }),
    );
  });

  it('matches the RFC 4648 base64url alphabet', () => {
    expect(encodeBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(encodeBase64Url(new TextEncoder().encode('foobar'))).toBe('Zm9vYmFy');
  });

  it('rejects padding, foreign characters, impossible lengths and non-canonical trailing bits', () => {
    for (const bad of ['Zg==', 'Zm9v+', 'Zm9v/', 'A', 'Zh', 'Zm9vYmF$']) expect(decodeBase64Url(bad)).toBeNull();
  });
});

describe('randomPassword', () => {
  it('is 20 characters by default, from the alphabet without look-alikes', () => {
    const password = randomPassword(webCryptoRandom);
    expect(password).toHaveLength(20);
    for (const char of password) expect(passwordAlphabet).toContain(char);
    for (const ambiguous of '0O1lIo') expect(passwordAlphabet).not.toContain(ambiguous);
  });

  it('always contains a lowercase letter, an uppercase letter and a digit', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const password = randomPassword(seededRandom(seed), 8);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[0-9]/);
    }
  });

  it('throws a draw that misses a class away and draws again', () => {
    let fills = 0;
    const source = {
      fill(bytes: Uint8Array) {
        fills++;
        if (fills === 1)
          bytes.fill(0); // all 'a'
        else webCryptoRandom.fill(bytes);
      },
    };
    const password = randomPassword(source, 16);
    expect(fills).toBeGreaterThan(1);
    expect(password).not.toBe('a'.repeat(16));
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/[0-9]/);
  });

  it('draws characters uniformly (chi-square over the 56-character alphabet)', () => {
    const counts = new Map<string, number>();
    const source = seededRandom(7);
    for (let i = 0; i < 2000; i++) {
      for (const char of randomPassword(source, 28)) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    // Passwords missing a class are rare at length 28, so per-character frequencies stay flat.
    const perChar = [...passwordAlphabet].map((char) => counts.get(char) ?? 0);
    expect(chiSquare(perChar, 1000)).toBeLessThan(99.6); // 0.1% critical value, 55 d.f.
  });

  it('refuses lengths outside 8..128', () => {
    for (const length of [3, 7, 129]) {
      try {
        randomPassword(webCryptoRandom, length);
        expect.unreachable();
      } catch (error) {
        expect(isHelpdeskError(error, 'INVALID_INPUT')).toBe(true);
      }
    }
  });
});
