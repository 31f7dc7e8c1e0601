import { z } from 'zod';
import { commonErrors } from '../errors.js';
import { safeString } from '../_lib/text.js';

/** Hungarian mobile network prefixes (the two digits after +36 / 06). */
export const hungarianMobilePrefixes = ['20', '30', '31', '50', '70'] as const;

export type HungarianMobilePrefix = (typeof hungarianMobilePrefixes)[number];

export const hungarianMobileExpected =
  'a Hungarian mobile number: 9 digits with the area prefix (20, 30, 31, 50 or 70), e.g. 301234567 or +36 30 123 4567';

/** Why a number was refused, in `details.reason` of the `INVALID_INPUT` error. */
export type PhoneRejection = 'not_a_string' | 'invalid_format' | 'not_hungarian' | 'wrong_length' | 'not_mobile';

// Digit groups separated by whitespace, or by one of - / . with optional whitespace around it.
// Every repetition needs a non-digit, so the pattern cannot backtrack exponentially.
const grouped = /^\d+(?:(?:\s*[-/.]\s*|\s+)\d+)*$/;
const maxInputLength = 40;

function reject(reason: PhoneRejection): never {
  // The input is personal data: it stays out of `details`, which hosts tend to log.
  throw commonErrors.raise(
    'INVALID_INPUT',
    { field: 'phone', expected: hungarianMobileExpected, reason },
    `Expected ${hungarianMobileExpected}.`,
  );
}

/** Removes one pair of parentheses around a leading or inner group, e.g. `(06 30) 123-4567`. */
function stripParentheses(s: string): string {
  const open = s.indexOf('(');
  const close = s.indexOf(')');
  if (open === -1 && close === -1) return s;
  if (open === -1 || close < open || s.indexOf('(', open + 1) !== -1 || s.indexOf(')', close + 1) !== -1) {
    reject('invalid_format');
  }
  const inside = s.slice(open + 1, close).trim();
  if (!/^\+?\d/.test(inside) || !/\d$/.test(inside)) reject('invalid_format');
  return `${s.slice(0, open)} ${inside} ${s.slice(close + 1)}`.trim();
}

/**
 * Normalises a Hungarian mobile number to E.164, `+36XXYYYYYYY`. Accepts the national form
 * with the area prefix (`301234567`, `30 123 4567`), the trunk prefix (`06 30 123 4567`,
 * `06-30/123-4567`, `(06 30) 123-4567`) and the international forms (`+36 30 123 4567`,
 * `0036301234567`, `36301234567`). Separators: spaces, `-`, `/`, `.` and one pair of
 * parentheses. Landlines (e.g. 1, 62) cannot receive the login SMS and are refused.
 *
 * @throws HelpdeskError `INVALID_INPUT` with `details.field = 'phone'`, `details.expected`
 *   and `details.reason` ({@link PhoneRejection}); the message states the expected format.
 */
export function normalizeHungarianMobile(input: string): string {
  if (typeof input !== 'string') reject('not_a_string');
  if (input.length > maxInputLength * 2) reject('invalid_format');
  // NFKC turns fullwidth digits and signs from phone keyboards (３０, ＋) into ASCII.
  let s = input.normalize('NFKC').trim();
  if (s.length === 0 || s.length > maxInputLength) reject('invalid_format');
  if (!/^[0-9\s\-/.()+]+$/.test(s)) reject('invalid_format');

  s = stripParentheses(s);
  const international = s.startsWith('+');
  if (international) s = s.slice(1);
  if (!grouped.test(s)) reject('invalid_format');

  const digits = s.replace(/\D/g, '');
  let national: string;
  if (international) {
    if (!digits.startsWith('36')) reject('not_hungarian');
    national = digits.slice(2);
  } else if (digits.startsWith('00')) {
    if (!digits.startsWith('0036')) reject('not_hungarian');
    national = digits.slice(4);
  } else if (digits.startsWith('06') || (digits.startsWith('36') && digits.length === 11)) {
    national = digits.slice(2);
  } else {
    national = digits;
  }

  if (national.length !== 9) reject('wrong_length');
  if (!(hungarianMobilePrefixes as readonly string[]).includes(national.slice(0, 2))) reject('not_mobile');
  return `+36${national}`;
}

/** `+36 30 123 4567` for display. Accepts any form {@link normalizeHungarianMobile} accepts. */
export function formatHungarianMobile(input: string): string {
  const e164 = normalizeHungarianMobile(input);
  return `+36 ${e164.slice(3, 5)} ${e164.slice(5, 8)} ${e164.slice(8)}`;
}

/**
 * Masks a number for messages and screens that confirm where a code went: `+36301234567`
 * becomes `+36 30 *** **67` (prefix and last two digits kept). Accepts any form
 * {@link normalizeHungarianMobile} accepts.
 */
export function maskPhone(input: string): string {
  const e164 = normalizeHungarianMobile(input);
  return `+36 ${e164.slice(3, 5)} *** **${e164.slice(-2)}`;
}

/** Zod schema: any accepted form in, E.164 (`+36301234567`) out; refusals carry the expected format. */
export const hungarianMobileSchema = safeString({ error: `Expected ${hungarianMobileExpected}.` }).transform(
  (value, ctx) => {
    try {
      return normalizeHungarianMobile(value);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: error instanceof Error ? error.message : `Expected ${hungarianMobileExpected}.`,
        params: { expected: hungarianMobileExpected },
      });
      return z.NEVER;
    }
  },
);
