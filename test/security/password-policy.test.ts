import { describe, expect, it } from 'vitest';
import { checkPassword, passwordPolicy } from '../../src/accounts/password-policy.js';

describe('checkPassword', () => {
  it('refuses 7 characters and accepts 8', () => {
    expect(checkPassword('a'.repeat(7), [])).toEqual({ ok: false, reason: 'too_short' });
    expect(checkPassword('a'.repeat(8), [])).toEqual({ ok: true });
  });

  it('accepts 128 characters and refuses 129', () => {
    expect(checkPassword('a'.repeat(128), [])).toEqual({ ok: true });
    expect(checkPassword('a'.repeat(129), [])).toEqual({ ok: false, reason: 'too_long' });
  });

  it('counts Unicode code points, not UTF-16 units', () => {
    // Eight emoji are 16 UTF-16 units but 8 characters.
    expect(checkPassword('😀'.repeat(8), [])).toEqual({ ok: true });
    expect(checkPassword('😀'.repeat(7), [])).toEqual({ ok: false, reason: 'too_short' });
    expect(checkPassword('😀'.repeat(129), [])).toEqual({ ok: false, reason: 'too_long' });
  });

  it('counts after NFKC normalisation', () => {
    // U+FB01 (ﬁ) becomes "fi": 7 ligatures are 14 characters after NFKC.
    expect(checkPassword('ﬁ'.repeat(4), [])).toEqual({ ok: true });
    // e + combining acute composes to é: 8 pairs are 8 characters, not 16.
    expect(checkPassword('e\u0301'.repeat(8), [])).toEqual({ ok: true });
    expect(checkPassword('e\u0301'.repeat(7), [])).toEqual({ ok: false, reason: 'too_short' });
  });

  it('refuses a password equal to an identifier, ignoring case', () => {
    expect(checkPassword('jane.doe@example.com', ['jane.doe@example.com'])).toEqual({
      ok: false,
      reason: 'equals_identifier',
    });
    expect(checkPassword('Jane.Doe@Example.com', ['jane.doe@example.com'])).toEqual({
      ok: false,
      reason: 'equals_identifier',
    });
    expect(checkPassword('ｊａｎｅｄｏｅ１２', ['JaneDoe12'])).toEqual({ ok: false, reason: 'equals_identifier' });
  });

  it('refuses the username part of username@company', () => {
    expect(checkPassword('kovacsanna', ['kovacsanna@acme'])).toEqual({ ok: false, reason: 'equals_identifier' });
    expect(checkPassword('KovacsAnna', ['kovacsanna@acme'])).toEqual({ ok: false, reason: 'equals_identifier' });
    expect(checkPassword('administrator', ['admin@acme'])).toEqual({ ok: true });
  });

  it('accepts a password that merely contains an identifier', () => {
    expect(checkPassword('kovacsanna-2024!', ['kovacsanna@acme'])).toEqual({ ok: true });
  });

  it('reports length before identifier equality', () => {
    expect(checkPassword('admin', ['admin@acme'])).toEqual({ ok: false, reason: 'too_short' });
  });

  it('ignores empty identifiers', () => {
    expect(checkPassword('long enough', ['', '   '])).toEqual({ ok: true });
  });

  it('uses the NIST bounds by default and takes overrides', () => {
    expect(passwordPolicy).toEqual({ minLength: 8, maxLength: 128 });
    expect(checkPassword('a'.repeat(11), [], { minLength: 12, maxLength: 64 })).toEqual({
      ok: false,
      reason: 'too_short',
    });
  });
});
