// Every SMS template in every locale is one segment with the longest values the library really
// sends: the code and lifetime of a login or reset, the cancel link the recovery service builds,
// the completion time as notices.ts formats it, and every step label sms_closed is sent with.
import { describe, expect, it } from 'vitest';
import { LOCALES, SMS_TEMPLATES, TEMPLATE_PLACEHOLDERS, renderMessage, smsSegments } from '../../src/messages/index.js';
import type { Locale } from '../../src/messages/index.js';
import { formatInstant, recoveryStepLabel } from '../../src/recovery/labels.js';

/**
 * The default cancel link (notices.ts) on a 20-character host: a case id as the default id
 * generator makes it (`rcv_` + 9 + 4 + 8 = 25 characters) and a 32-byte base64url token (43): 125.
 */
const CANCEL_LINK = `https://helpdesk.example.com/recovery/cancel?case=rcv_${'z'.repeat(21)}&token=${'A'.repeat(43)}`;
/** A host may set a code lifetime up to an hour: two digits. */
const EXPIRES_IN_MINUTES = 60;
const CODE = '987654';
/** notices.ts formats the completion time with formatInstant (`2026-12-28 20:45 UTC`): the same in every locale. */
const WAITING_ENDS_AT = formatInstant(Date.UTC(2026, 11, 28, 20, 45));
/** The steps recovery.sms_closed is sent with (a completed or a cancelled case). */
const CLOSING_STEPS = ['completed', 'cancelled'] as const;

function renderings(template: (typeof SMS_TEMPLATES)[number], locale: Locale): string[] {
  const steps: readonly string[] = (TEMPLATE_PLACEHOLDERS[template] as readonly string[]).includes('step')
    ? CLOSING_STEPS.map((step) => recoveryStepLabel(locale, step))
    : [''];
  return steps.map(
    (step) =>
      renderMessage(template, locale, {
        code: CODE,
        expiresInMinutes: EXPIRES_IN_MINUTES,
        cancelLink: CANCEL_LINK,
        waitingEndsAt: WAITING_ENDS_AT,
        step,
      }).text,
  );
}

describe('every SMS is one segment with the longest values the library sends', () => {
  it('builds the cancel link as long as the recovery service does', () => {
    expect(CANCEL_LINK).toHaveLength(125);
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
