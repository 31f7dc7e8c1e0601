import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatHungarianMobile,
  hungarianMobilePrefixes,
  hungarianMobileSchema,
  maskPhone,
  normalizeHungarianMobile,
} from '../../src/accounts/phone.js';
import { isHelpdeskError } from '../../src/errors.js';

const expectedMessage =
  'Expected a Hungarian mobile number: 9 digits with the area prefix (20, 30, 31, 50 or 70), e.g. 301234567 or +36 30 123 4567.';

function rejection(input: string): { code: string; message: string; details: Record<string, unknown> } {
  try {
    normalizeHungarianMobile(input);
  } catch (error) {
    if (isHelpdeskError(error)) return { code: error.code, message: error.message, details: { ...error.details } };
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('normalizeHungarianMobile', () => {
  const accepted = [
    '301234567',
    '30 123 4567',
    '+36 30 123 4567',
    '+36301234567',
    '0036301234567',
    '06 30 123 4567',
    '06-30/123-4567',
    '(06 30) 123-4567',
    '36301234567',
    '  30 123 4567  ',
    '\t+36 30 123 4567\n',
    '+36 (30) 123 4567',
    '06.30.123.4567',
    '06 - 30 / 123 - 4567',
    '＋３６ ３０ １２３ ４５６７',
  ];

  it.each(accepted)('normalises %j to +36301234567', (input) => {
    expect(normalizeHungarianMobile(input)).toBe('+36301234567');
  });

  it('accepts every mobile prefix', () => {
    for (const prefix of hungarianMobilePrefixes) {
      expect(normalizeHungarianMobile(`06 ${prefix} 765 4321`)).toBe(`+36${prefix}7654321`);
    }
  });

  const refused: [string, string][] = [
    ['', 'invalid_format'],
    ['   ', 'invalid_format'],
    ['30123456a', 'invalid_format'],
    ['thirty', 'invalid_format'],
    ['30_123_4567', 'invalid_format'],
    ['30--123-4567', 'invalid_format'],
    ['30 123 4567-', 'invalid_format'],
    ['-30 123 4567', 'invalid_format'],
    ['36+301234567', 'invalid_format'],
    ['++36301234567', 'invalid_format'],
    ['((06 30)) 123 4567', 'invalid_format'],
    ['(06 30 123 4567', 'invalid_format'],
    ['06 30) 123 4567', 'invalid_format'],
    [')06 30( 123 4567', 'invalid_format'],
    ['() 30 123 4567', 'invalid_format'],
    ['(06) (30) 123 4567', 'invalid_format'],
    ['+36 30 123 4567 ext 1', 'invalid_format'],
    ['3012345', 'wrong_length'],
    ['30123456', 'wrong_length'],
    ['3012345678', 'wrong_length'],
    ['06 30 123 456', 'wrong_length'],
    ['+36 30 123 45678', 'wrong_length'],
    ['+36 06 30 123 4567', 'wrong_length'],
    ['06 1 234 5678', 'wrong_length'], // Budapest landline
    ['1 234 5678', 'wrong_length'],
    ['621234567', 'not_mobile'], // Szeged landline
    ['06 62 123 456', 'wrong_length'],
    ['+36 62 123 4567', 'not_mobile'],
    ['401234567', 'not_mobile'],
    ['06 40 123 4567', 'not_mobile'],
    ['+44 7700 900123', 'not_hungarian'],
    ['0044 30 123 4567', 'not_hungarian'],
    ['1'.repeat(41), 'invalid_format'],
    ['٣٠١٢٣٤٥٦٧', 'invalid_format'], // Arabic-Indic digits are not NFKC-folded to ASCII
    ['30 123 4567\u0000', 'invalid_format'],
  ];

  it.each(refused)('refuses %j (%s) with the expected-format message', (input, reason) => {
    const error = rejection(input);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(expectedMessage);
    expect(error.details).toMatchObject({ field: 'phone', reason });
    expect(String(error.details.expected)).toContain('9 digits with the area prefix');
  });

  it('keeps the number out of the error details', () => {
    expect(JSON.stringify(rejection('+36 62 987 6543').details)).not.toContain('987');
  });

  it('normalises any valid number written in any accepted style to the same E.164', () => {
    const separator = fc.constantFrom(' ', '-', '/', '.', '  ', ' - ', ' / ', '');
    const style = fc.constantFrom('national', 'trunk', 'plus', 'double-zero', 'bare-country', 'parenthesised');
    fc.assert(
      fc.property(
        fc.constantFrom(...hungarianMobilePrefixes),
        fc.stringMatching(/^[0-9]{7}$/),
        style,
        fc.array(separator, { minLength: 4, maxLength: 4 }),
        fc.constantFrom('', ' ', '\t'),
        (prefix, subscriber, chosen, [s1, s2, s3, s4], pad) => {
          const [a, b] = [subscriber.slice(0, 3), subscriber.slice(3)];
          const body = `${prefix}${s2}${a}${s3}${b}`;
          const written = {
            national: body,
            trunk: `06${s1}${body}`,
            plus: `+36${s1}${body}`,
            'double-zero': `0036${s1}${body}`,
            'bare-country': `36${s1}${body}`,
            parenthesised: `(06${s1}${prefix})${s4 || ' '}${a}${s3}${b}`,
          }[chosen];
          expect(normalizeHungarianMobile(`${pad}${written}${pad}`)).toBe(`+36${prefix}${subscriber}`);
        },
      ),
    );
  });

  it('throws nothing but INVALID_INPUT for arbitrary strings', () => {
    const phoneish = fc
      .array(fc.constantFrom(...'0123456789 -/.()+36x'.split('')), { maxLength: 30 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), phoneish), (input) => {
        try {
          const e164 = normalizeHungarianMobile(input);
          expect(e164).toMatch(/^\+36(20|30|31|50|70)[0-9]{7}$/);
        } catch (error) {
          expect(isHelpdeskError(error, 'INVALID_INPUT')).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('throws INVALID_INPUT for non-string input from untyped callers', () => {
    for (const value of [undefined, null, 301234567, {}, []]) {
      expect(() => normalizeHungarianMobile(value as unknown as string)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
  });
});

describe('maskPhone', () => {
  it('keeps the prefix and the last two digits', () => {
    expect(maskPhone('+36301234567')).toBe('+36 30 *** **67');
    expect(maskPhone('06 70 987 6543')).toBe('+36 70 *** **43');
  });
});

describe('formatHungarianMobile', () => {
  it('groups the number for display', () => {
    expect(formatHungarianMobile('0036301234567')).toBe('+36 30 123 4567');
  });
});

describe('hungarianMobileSchema', () => {
  it('transforms accepted forms to E.164', () => {
    expect(hungarianMobileSchema.parse('06-30/123-4567')).toBe('+36301234567');
  });

  it('reports refusals as an issue with the expected format', () => {
    const result = hungarianMobileSchema.safeParse('06 1 234 5678');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(expectedMessage);
    expect(hungarianMobileSchema.safeParse(301234567).error?.issues[0]?.message).toBe(expectedMessage);
  });
});
