import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, constantTimeEqualBytes } from '../../src/security/constant-time.js';

describe('constantTimeEqual', () => {
  it('is true exactly when the strings are equal', () => {
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'xbc')).toBe(false);
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => constantTimeEqual(a, b) === (a === b)));
    fc.assert(fc.property(fc.string(), (a) => constantTimeEqual(a, a)));
  });

  it('treats a prefix or a longer string as different', () => {
    expect(constantTimeEqual('abc', 'ab')).toBe(false);
    expect(constantTimeEqual('ab', 'abc')).toBe(false);
    expect(constantTimeEqual('', 'a')).toBe(false);
    // A NUL past the end must not look like "nothing there".
    expect(constantTimeEqual('a', 'a\0')).toBe(false);
  });

  it('compares UTF-16 code units, so different non-ASCII characters differ', () => {
    expect(constantTimeEqual('é', 'e\u0301')).toBe(false);
    expect(constantTimeEqual('😀', '😁')).toBe(false);
  });
});

describe('constantTimeEqualBytes', () => {
  it('is true exactly when the byte arrays are equal', () => {
    fc.assert(
      fc.property(fc.uint8Array(), fc.uint8Array(), (a, b) => {
        const same = a.length === b.length && a.every((byte, i) => byte === b[i]);
        return constantTimeEqualBytes(a, b) === same;
      }),
    );
    expect(constantTimeEqualBytes(new Uint8Array([1, 0]), new Uint8Array([1]))).toBe(false);
  });
});
