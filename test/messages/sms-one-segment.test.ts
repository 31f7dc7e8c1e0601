// Every SMS template in every locale is one segment with the longest values the library really
// sends: the longest code the policy allows (codeDigits up to 10), every lifetime up to the policy
// maximums (codeTtl up to 7 days, resetCodeTtl and the factor codeTtl up to 366 days) as formatDuration words it, the
// cancel link the recovery service builds, the completion time as notices.ts formats it, and every
// step label sms_closed is sent with.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { accountPolicySchema } from '../../src/accounts/policy.js';
import { factorPolicySchema } from '../../src/factors/factor-kit.js';
import { loginPolicySchema } from '../../src/login/policy.js';
import { LOCALES, SMS_TEMPLATES, TEMPLATE_PLACEHOLDERS, renderMessage, smsSegments } from '../../src/messages/index.js';
import type { Locale } from '../../src/messages/index.js';
import { formatInstant, recoveryStepLabel } from '../../src/recovery/labels.js';
import { lifetimeTexts, longestLifetime } from './_lifetimes.js';

/**
 * The default cancel link (notices.ts) on a 20-character host: a case id as the default id
 * generator makes it (`rcv_` + 9 + 4 + 8 = 25 characters) and a 32-byte base64url token (43): 125.
 */
const CANCEL_LINK = `https://helpdesk.example.com/recovery/cancel?case=rcv_${'z'.repeat(21)}&token=${'A'.repeat(43)}`;
/** The largest value a policy override may set (the schema's `.max`). */
function policyMax(field: z.ZodOptional<z.ZodNumber>): number {
  const max = field.unwrap().maxValue;
  if (max === null || !Number.isFinite(max)) throw new Error('A policy field without a maximum');
  return max;
}

/** A code of `digits` nines: every digit is one unit in GSM-7 and in UCS-2 alike. */
const codeOf = (digits: number) => '9'.repeat(digits);

type CodeSms = 'login.code' | 'password.reset_code' | 'factor.sms_confirm_code';
const isCodeSms = (template: string): template is CodeSms => template in LONGEST;

/**
 * The longest code and lifetime each code SMS carries: what the policy schemas let a host set.
 * The code that confirms an SMS factor is 6 digits today (the factor policy has no codeDigits);
 * it is held to the longest code any policy allows, so adding that option cannot break it.
 */
const LONGEST: Readonly<Record<CodeSms, { code: string; maxLifetime: number }>> = {
  'login.code': {
    code: codeOf(policyMax(loginPolicySchema.shape.codeDigits)),
    maxLifetime: policyMax(loginPolicySchema.shape.codeTtl),
  },
  'password.reset_code': {
    code: codeOf(policyMax(accountPolicySchema.shape.codeDigits)),
    maxLifetime: policyMax(accountPolicySchema.shape.resetCodeTtl),
  },
  'factor.sms_confirm_code': {
    code: codeOf(
      Math.max(policyMax(loginPolicySchema.shape.codeDigits), policyMax(accountPolicySchema.shape.codeDigits)),
    ),
    maxLifetime: policyMax(factorPolicySchema.shape.codeTtl),
  },
};
/** Every other SMS gets a code and lifetime too (extra data is ignored), as long as any. */
const LONGEST_ANY = {
  code: codeOf(Math.max(...Object.values(LONGEST).map((v) => v.code.length))),
  maxLifetime: Math.max(...Object.values(LONGEST).map((v) => v.maxLifetime)),
};
/** notices.ts formats the completion time with formatInstant (`2026-12-28 20:45 UTC`): the same in every locale. */
const WAITING_ENDS_AT = formatInstant(Date.UTC(2026, 11, 28, 20, 45));
/** The steps recovery.sms_closed is sent with (a completed or a cancelled case). */
const CLOSING_STEPS = ['completed', 'cancelled'] as const;

function renderings(template: (typeof SMS_TEMPLATES)[number], locale: Locale): string[] {
  const steps: readonly string[] = (TEMPLATE_PLACEHOLDERS[template] as readonly string[]).includes('step')
    ? CLOSING_STEPS.map((step) => recoveryStepLabel(locale, step))
    : [''];
  const { code, maxLifetime } = isCodeSms(template) ? LONGEST[template] : LONGEST_ANY;
  return steps.flatMap((step) =>
    lifetimeTexts(maxLifetime, locale).map(
      (expiresIn) =>
        renderMessage(template, locale, {
          code,
          expiresIn,
          cancelLink: CANCEL_LINK,
          waitingEndsAt: WAITING_ENDS_AT,
          step,
        }).text,
    ),
  );
}

describe('every SMS is one segment with the longest values the library sends', () => {
  it('builds the cancel link as long as the recovery service does', () => {
    expect(CANCEL_LINK).toHaveLength(125);
  });

  it('renders codes and lifetimes up to the policy maximums: 10 digits, 7 days of login, 366 days of reset and factor code', () => {
    expect(LONGEST).toEqual({
      'login.code': { code: '9999999999', maxLifetime: 7 * 24 * 3_600_000 },
      'password.reset_code': { code: '9999999999', maxLifetime: 366 * 24 * 3_600_000 },
      'factor.sms_confirm_code': { code: '9999999999', maxLifetime: 366 * 24 * 3_600_000 },
    });
    // The longest wording is not the longest lifetime: a lifetime just under 9 minutes is said in seconds.
    expect(lifetimeTexts(LONGEST['login.code'].maxLifetime, 'el')).toContain('539 δευτερόλεπτα');
    expect(longestLifetime(LONGEST['login.code'].maxLifetime, 'el')).toHaveLength('539 δευτερόλεπτα'.length);
    expect(lifetimeTexts(LONGEST['password.reset_code'].maxLifetime, 'hu')).toContain('539 másodperc');
    expect(longestLifetime(LONGEST['password.reset_code'].maxLifetime, 'hu')).toHaveLength('539 másodperc'.length);
  });

  for (const template of SMS_TEMPLATES) {
    for (const locale of LOCALES) {
      it(`sends ${template} in ${locale} as one SMS`, () => {
        for (const text of renderings(template, locale)) {
          expect({ text, ...smsSegments(text) }).toMatchObject({ text, segments: 1 });
        }
      });
    }
  }

  it('writes the Greek cancel-link SMS in GSM-7 capitals, which Greek readers read as Greek', () => {
    for (const template of ['recovery.sms_opened', 'recovery.sms_approved'] as const) {
      const text = renderMessage(template, 'el', { cancelLink: CANCEL_LINK, waitingEndsAt: WAITING_ENDS_AT }).text;
      expect(smsSegments(text).encoding).toBe('GSM-7');
      expect(text).not.toMatch(/[α-ωά-ώ]/u);
    }
  });
});
