/* eslint-disable no-control-regex -- these tests look for control characters */
/** The shared text rules of `src/_lib/text.ts`, on their own. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hasLoneSurrogate,
  identifierString,
  isStorableText,
  multiLineText,
  SAFE_TEXT_MESSAGE,
  safeString,
  singleLineText,
  toMultiLine,
  toSingleLine,
} from '../../src/_lib/text.js';

const nativeWellFormed = (text: string) => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

describe('text rules', () => {
  it('finds lone surrogates without isWellFormed exactly as isWellFormed does (runtimes before ES2024)', () => {
    for (const text of ['', 'a', '🎫', '\uD800', '\uDC00', '\uDC00\uD800', 'a\uD83C', '\uD83Cb\uDFAB', '🎫\uDFAB']) {
      expect(hasLoneSurrogate(text), JSON.stringify(text)).toBe(!nativeWellFormed(text));
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => hasLoneSurrogate(text) === !nativeWellFormed(text)),
      { numRuns: 2_000 },
    );
  });

  it('calls text storable unless it holds U+0000 or a lone surrogate', () => {
    expect(isStorableText('Ελληνικά 🎫 e\u0301 \t\n\u0001')).toBe(true);
    expect(isStorableText('a\u0000')).toBe(false);
    expect(isStorableText('p\uD800')).toBe(false);
  });

  it('makes single-line text: line breaks and spacing controls become one space, other controls go', () => {
    expect(toSingleLine('Hi\r\nBcc: everyone@victim.example')).toBe('Hi Bcc: everyone@victim.example');
    expect(toSingleLine('a\u2028b\u2029c\u0085d\te\u000Bf\u000Cg')).toBe('a b c d e f g');
    expect(toSingleLine('bell\u0007 esc\u001B[0m del\u007F csi\u009B')).toBe('bell esc[0m del csi');
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        (text) => !/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(toSingleLine(text)),
      ),
    );
  });

  it('makes multi-line text: CRLF and CR become LF, LF and tab stay, other controls go', () => {
    expect(toMultiLine('a\r\nb\rc\nd\te\u0007f\u009B')).toBe('a\nb\nc\nd\tef');
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        (text) => !/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/.test(toMultiLine(text)),
      ),
    );
  });

  it('gives one clear issue for NUL or broken Unicode, and refuses controls only in identifiers', () => {
    for (const schema of [safeString(), identifierString(), singleLineText().trim().min(1), multiLineText()]) {
      const result = schema.safeParse('x\u0000');
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.message)).toEqual([SAFE_TEXT_MESSAGE]);
    }
    expect(identifierString().safeParse('a\nb').success).toBe(false);
    expect(singleLineText().parse('a\nb')).toBe('a b');
    expect(multiLineText().parse('a\r\nb')).toBe('a\nb');
  });
});
