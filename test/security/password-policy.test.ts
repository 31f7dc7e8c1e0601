import { describe, expect, it } from 'vitest';
import { checkPassword, passwordPolicy } from '../../src/accounts/password-policy.js';

describe('checkPassword', () => {
  it('refuses 7 characters and accepts 8', () => {
    expect(checkPassword('a'.repeat(7), [])).toEqual({ ok: false, reason: 'too_short' });
    expect(checkPassword('tram-7qx', [])).toEqual({ ok: true });
  });

  it('accepts 128 characters and refuses 129', () => {
    expect(checkPassword('ab'.repeat(64), [])).toEqual({ ok: true });
    expect(checkPassword('ab'.repeat(64) + 'c', [])).toEqual({ ok: false, reason: 'too_long' });
  });

  it('counts Unicode code points, not UTF-16 units', () => {
    // Eight emoji are 16 UTF-16 units but 8 characters.
    expect(checkPassword('😀🌍'.repeat(4), [])).toEqual({ ok: true });
    expect(checkPassword('😀'.repeat(7), [])).toEqual({ ok: false, reason: 'too_short' });
    expect(checkPassword('😀'.repeat(129), [])).toEqual({ ok: false, reason: 'too_long' });
  });

  it('counts after NFKC normalisation', () => {
    // U+FB01 (ﬁ) becomes "fi": 7 ligatures are 14 characters after NFKC.
    expect(checkPassword('ﬁ'.repeat(4), [])).toEqual({ ok: true });
    // e + combining acute composes to é: 8 pairs are 8 characters, not 16.
    expect(checkPassword('e\u0301o'.repeat(4), [])).toEqual({ ok: true });
    expect(checkPassword('e\u0301o'.repeat(3) + 'e\u0301', [])).toEqual({ ok: false, reason: 'too_short' });
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

  // NIST SP 800-63B 5.1.1.2: verifiers SHALL compare a new password against a list of values known
  // to be commonly used, expected or compromised, including repetitive or sequential characters.
  it('refuses a commonly used password, whatever its case or width', () => {
    for (const common of [
      'password',
      'Password1',
      '12345678',
      '123456789',
      'qwertyuiop',
      'iloveyou',
      '1q2w3e4r',
      'P@ssw0rd',
      'ｐａｓｓｗｏｒｄ',
    ]) {
      expect(checkPassword(common, []), common).toEqual({ ok: false, reason: 'too_common' });
    }
  });

  it('refuses a password of one repeated character or of a plain sequence', () => {
    for (const weak of ['aaaaaaaa', '00000000000', 'abcdefgh', 'abcdefghijklmnop', '9876543210', 'zyxwvuts']) {
      expect(checkPassword(weak, []), weak).toEqual({ ok: false, reason: 'too_common' });
    }
    // Not a sequence or a repetition: a passphrase, or a sequence with something else in it.
    for (const fine of ['abcdefgz', 'aaaaaaab', 'correct horse battery', '13579bdf']) {
      expect(checkPassword(fine, []), fine).toEqual({ ok: true });
    }
  });

  it("refuses the host's own expected words (passwordBlocklist), ignoring case", () => {
    const blocklist = ['AcmeSupport2026', 'kovacs-kft'];
    expect(checkPassword('acmesupport2026', [], passwordPolicy, blocklist)).toEqual({
      ok: false,
      reason: 'too_common',
    });
    expect(checkPassword('KOVACS-KFT', [], passwordPolicy, blocklist)).toEqual({ ok: false, reason: 'too_common' });
    expect(checkPassword('acmesupport2027', [], passwordPolicy, blocklist)).toEqual({ ok: true });
  });

  it('reports length and identifier equality before commonness', () => {
    expect(checkPassword('1234567', [])).toEqual({ ok: false, reason: 'too_short' });
    expect(checkPassword('password', ['password@acme'])).toEqual({ ok: false, reason: 'equals_identifier' });
  });
});
