import { describe, expect, it } from 'vitest';
import {
  LOCALES,
  SMS_TEMPLATES,
  TEMPLATE_PLACEHOLDERS,
  formatDateTime,
  renderMessage,
  smsSegments,
  type Locale,
} from '../../src/messages/index.js';
import { recoveryStepLabel } from '../../src/recovery/labels.js';
import { lifetimeTexts } from './_lifetimes.js';

describe('smsSegments', () => {
  it('counts a GSM-7 text in septets: 160 fit one SMS, 161 need two parts of 153', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsSegments('a'.repeat(306))).toEqual({ encoding: 'GSM-7', units: 306, segments: 2 });
    expect(smsSegments('a'.repeat(307))).toEqual({ encoding: 'GSM-7', units: 307, segments: 3 });
  });

  it('counts every character of the extension table as two septets', () => {
    expect(smsSegments('€^{}[]~|\\\f')).toEqual({ encoding: 'GSM-7', units: 20, segments: 1 });
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('€'.repeat(81))).toEqual({ encoding: 'GSM-7', units: 162, segments: 2 });
  });

  it('keeps the accented letters and Greek capitals of the basic table in GSM-7', () => {
    const basic = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà';
    expect(smsSegments(basic)).toEqual({ encoding: 'GSM-7', units: [...basic].length, segments: 1 });
  });

  it('switches the whole text to UCS-2 for one character outside the tables: 70 units, then 67 per part', () => {
    expect(smsSegments('á')).toEqual({ encoding: 'UCS-2', units: 1, segments: 1 });
    expect(smsSegments(`${'a'.repeat(69)}ő`)).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments(`${'a'.repeat(70)}ő`)).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(smsSegments('λ'.repeat(134))).toEqual({ encoding: 'UCS-2', units: 134, segments: 2 });
    expect(smsSegments('λ'.repeat(135))).toEqual({ encoding: 'UCS-2', units: 135, segments: 3 });
  });

  it('counts UTF-16 code units, so a character outside the BMP costs two', () => {
    expect(smsSegments('😀')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1 });
  });

  it('treats ESC and the characters GSM lacks (backtick, lower-case Greek) as UCS-2', () => {
    expect(smsSegments('\u001b').encoding).toBe('UCS-2');
    expect(smsSegments('`').encoding).toBe('UCS-2');
    expect(smsSegments('λ').encoding).toBe('UCS-2');
  });
});

// Realistic worst case for every SMS placeholder.
/** The cancel link the recovery service builds (124 characters): a 24-character case id, a 32-byte base64url token. */
const CANCEL_LINK = `https://helpdesk.example.com/recovery/cancel?case=rcv_0123456789abcdefghij&token=${'A'.repeat(43)}`;
/**
 * The longest code and lifetime a host's policy allows: codeDigits up to 10 (login and accounts),
 * codeTtl up to 7 days (login), resetCodeTtl up to 366 days (accounts), codeTtl up to 366 days (factors).
 */
const LONGEST_CODE = '9876543210';
const LONGEST_LIFETIME_MS: Readonly<Record<(typeof SMS_TEMPLATES)[number], number>> = {
  'login.code': 7 * 24 * 3_600_000,
  'password.reset_code': 366 * 24 * 3_600_000,
  'factor.sms_confirm_code': 366 * 24 * 3_600_000,
  // The recovery SMS state no lifetime.
  'recovery.sms_opened': 0,
  'recovery.sms_approved': 0,
  'recovery.sms_closed': 0,
};
/** The reader's own zone for each locale. */
const ZONES: Readonly<Record<Locale, string>> = {
  en: 'Europe/London',
  hu: 'Europe/Budapest',
  el: 'Europe/Athens',
  nl: 'Europe/Amsterdam',
};
/** The 28th of every month late in the evening: every month name, two-digit day and hour, summer and winter time. */
const INSTANTS = Array.from({ length: 12 }, (_, month) => Date.UTC(2026, month, 28, 20, 45));

/** Every rendering of `template` in `locale` over the worst-case values. */
function renderings(template: (typeof SMS_TEMPLATES)[number], locale: Locale): string[] {
  const placeholders: readonly string[] = TEMPLATE_PLACEHOLDERS[template];
  const dates = placeholders.includes('waitingEndsAt')
    ? INSTANTS.map((at) => formatDateTime(at, locale, ZONES[locale]))
    : [''];
  // The recovery service sends recovery.sms_closed when a case completes or is cancelled.
  const steps = placeholders.includes('step')
    ? [recoveryStepLabel(locale, 'completed'), recoveryStepLabel(locale, 'cancelled')]
    : [''];
  // Every lifetime the policy allows, as formatDuration words it ("539 másodperc" is the longest).
  const lifetimes = placeholders.includes('expiresIn') ? lifetimeTexts(LONGEST_LIFETIME_MS[template], locale) : [''];
  return dates.flatMap((waitingEndsAt) =>
    steps.flatMap((step) =>
      lifetimes.map(
        (expiresIn) =>
          renderMessage(template, locale, {
            code: LONGEST_CODE,
            expiresIn,
            cancelLink: CANCEL_LINK,
            waitingEndsAt,
            step,
          }).text,
      ),
    ),
  );
}

function worst(template: (typeof SMS_TEMPLATES)[number], locale: Locale) {
  return renderings(template, locale)
    .map(smsSegments)
    .reduce((a, b) => (b.segments > a.segments || (b.segments === a.segments && b.units > a.units) ? b : a));
}

/**
 * The most segments each SMS may take. One, except where a 124-character link rides along:
 * in UCS-2 (Greek; Hungarian with á, í, ó, ő, ú, ű) the link alone fills 124 of the 134 units of
 * two parts, so three is the floor; in GSM-7 it leaves 36 septets of a single SMS, too few
 * for a sentence, so two. Hungarian recovery.sms_opened is worded with GSM-7 letters only
 * (é, ö, ü are in the table) to stay at two; recovery.sms_approved carries a month name
 * (május, október, ...) that forces UCS-2.
 */
const MAX_SEGMENTS: Readonly<Record<(typeof SMS_TEMPLATES)[number], Readonly<Record<Locale, number>>>> = {
  'login.code': { en: 1, hu: 1, el: 1, nl: 1 },
  'password.reset_code': { en: 1, hu: 1, el: 1, nl: 1 },
  'factor.sms_confirm_code': { en: 1, hu: 1, el: 1, nl: 1 },
  'recovery.sms_closed': { en: 1, hu: 1, el: 1, nl: 1 },
  'recovery.sms_opened': { en: 2, hu: 2, el: 3, nl: 2 },
  'recovery.sms_approved': { en: 2, hu: 3, el: 3, nl: 2 },
};

describe('SMS templates, rendered with worst-case values', () => {
  for (const template of SMS_TEMPLATES) {
    for (const locale of LOCALES) {
      it(`fits ${template} in ${locale} into ${MAX_SEGMENTS[template][locale]} segment(s)`, () => {
        const cost = worst(template, locale);
        expect({ template, locale, ...cost, segments: cost.segments <= MAX_SEGMENTS[template][locale] }).toEqual({
          template,
          locale,
          ...cost,
          segments: true,
        });
      });
    }
  }
});
