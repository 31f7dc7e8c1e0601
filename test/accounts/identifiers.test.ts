import { describe, expect, it } from 'vitest';
import {
  businessLoginSchema,
  canonicalIdentifier,
  companySlugSchema,
  emailSchema,
  formatBusinessLogin,
  isMainAdministrator,
  parseBusinessLogin,
  usernameSchema,
} from '../../src/accounts/identifiers.js';
import { isHelpdeskError } from '../../src/errors.js';

function messageOf(result: { success: boolean; error?: { issues: { message: string }[] } }): string {
  return result.error?.issues[0]?.message ?? '';
}

describe('canonicalIdentifier', () => {
  it('lowercases', () => {
    expect(canonicalIdentifier('Admin@ACME')).toBe('admin@acme');
  });

  it('applies NFKC, so fullwidth letters become ASCII', () => {
    expect(canonicalIdentifier('ＡＢＣ')).toBe('abc');
    expect(canonicalIdentifier('ｋｏｖａｃｓ＠ａｃｍｅ')).toBe('kovacs@acme');
  });

  it('composes accents, so one name has one spelling', () => {
    expect(canonicalIdentifier('Jo\u0301zsef')).toBe(canonicalIdentifier('JÓZSEF'));
  });

  it('trims surrounding whitespace, including non-breaking and ideographic spaces', () => {
    expect(canonicalIdentifier('  jane \t')).toBe('jane');
    expect(canonicalIdentifier('\u00a0jane\u3000')).toBe('jane');
  });

  it('does not depend on the host locale (dotted capital I lowercases the same everywhere)', () => {
    expect(canonicalIdentifier('I')).toBe('i');
    expect(canonicalIdentifier('ISTVAN')).toBe('istvan');
  });
});

describe('usernameSchema', () => {
  it('canonicalises and accepts 3–32 characters of a–z, digits, dot, underscore and hyphen', () => {
    expect(usernameSchema.parse(' Kovacs.Anna ')).toBe('kovacs.anna');
    expect(usernameSchema.parse('abc')).toBe('abc');
    expect(usernameSchema.parse('a'.repeat(32))).toBe('a'.repeat(32));
    expect(usernameSchema.parse('9_lives-x')).toBe('9_lives-x');
  });

  it('refuses wrong lengths, a leading separator and other characters, saying what is expected', () => {
    for (const bad of ['ab', 'a'.repeat(33), '.anna', '-anna', '_anna', 'anna kovacs', 'anna@acme', 'kovács', '']) {
      const result = usernameSchema.safeParse(bad);
      expect(result.success, bad).toBe(false);
      expect(messageOf(result)).toMatch(/^Expected a username of 3–32 characters/);
    }
    expect(messageOf(usernameSchema.safeParse(42))).toMatch(/^Expected a username/);
  });
});

describe('companySlugSchema', () => {
  it('accepts 2–40 characters of a–z, digits and inner hyphens', () => {
    expect(companySlugSchema.parse('Acme')).toBe('acme');
    expect(companySlugSchema.parse('ab')).toBe('ab');
    expect(companySlugSchema.parse('magyar-telekom-2')).toBe('magyar-telekom-2');
    expect(companySlugSchema.parse('a'.repeat(40))).toBe('a'.repeat(40));
  });

  it('refuses leading or trailing hyphens, dots and wrong lengths', () => {
    for (const bad of ['a', 'a'.repeat(41), '-acme', 'acme-', 'acme.hu', 'ac me', 'acme_kft']) {
      const result = companySlugSchema.safeParse(bad);
      expect(result.success, bad).toBe(false);
      expect(messageOf(result)).toMatch(/^Expected a company name of 2–40 characters/);
    }
  });
});

describe('emailSchema', () => {
  it('canonicalises and accepts ordinary addresses', () => {
    expect(emailSchema.parse(' Jane.Doe@Example.COM ')).toBe('jane.doe@example.com');
    expect(emailSchema.parse('user+tag@mail.example.co.hu')).toBe('user+tag@mail.example.co.hu');
    expect(emailSchema.parse('x@xn--bcher-kva.example')).toBe('x@xn--bcher-kva.example');
  });

  it('refuses malformed addresses, saying what is expected', () => {
    const tooLong = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`;
    const bad = [
      'plainaddress',
      '@example.com',
      'jane@',
      'jane@example',
      'jane@acme',
      'jane..doe@example.com',
      '.jane@example.com',
      'jane@-example.com',
      'jane@example.c',
      'jane doe@example.com',
      'jane@exa mple.com',
      `${'a'.repeat(65)}@example.com`,
      tooLong,
    ];
    for (const value of bad) {
      const result = emailSchema.safeParse(value);
      expect(result.success, value).toBe(false);
      expect(messageOf(result)).toMatch(/^Expected an email address/);
    }
  });
});

describe('business login', () => {
  it('splits username@company into canonical parts', () => {
    expect(parseBusinessLogin(' Kovacs.Anna@ACME ')).toEqual({ username: 'kovacs.anna', company: 'acme' });
    expect(parseBusinessLogin('ａｄｍｉｎ＠ａｃｍｅ')).toEqual({ username: 'admin', company: 'acme' });
  });

  it('recognises admin@company as the main administrator', () => {
    expect(isMainAdministrator(parseBusinessLogin('Admin@Acme'))).toBe(true);
    expect(isMainAdministrator(parseBusinessLogin('anna@acme'))).toBe(false);
    expect(formatBusinessLogin(parseBusinessLogin('Admin@Acme'))).toBe('admin@acme');
  });

  it('refuses anything but exactly one @ between a username and a company', () => {
    for (const bad of ['anna', 'anna@', '@acme', 'anna@acme@x', 'an@acme.hu', 'a@acme', '']) {
      expect(businessLoginSchema.safeParse(bad).success, bad).toBe(false);
      try {
        parseBusinessLogin(bad);
        expect.unreachable(bad);
      } catch (error) {
        expect(isHelpdeskError(error, 'INVALID_INPUT')).toBe(true);
        expect((error as Error).message).toMatch(/^Expected /);
      }
    }
  });

  it('points the issue at the part that is wrong', () => {
    const result = businessLoginSchema.safeParse('anna@acme.hu');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['company']);
    expect(messageOf(businessLoginSchema.safeParse('anna'))).toMatch(/username@company/);
  });
});
