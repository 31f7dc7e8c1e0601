import { describe, expect, it } from 'vitest';
import { LOCALES, TEMPLATE_NAMES, TEMPLATE_PLACEHOLDERS, renderMessage } from '../../src/messages/index.js';

/** A header injection attempt, with a few other controls (NUL, ESC, NEL, DEL) riding along. */
const INJECTION = 'x\r\nBcc: x@y\u0000\u001b\u0085\u007f\tz';

/** Every placeholder of `template` filled with the injection attempt. */
function hostileData(template: (typeof TEMPLATE_NAMES)[number]): Record<string, string> {
  return Object.fromEntries(TEMPLATE_PLACEHOLDERS[template].map((name) => [name, INJECTION]));
}

// C0, DEL and C1 controls, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// The same, less the line feed and tab a text body may carry.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const BODY_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('renderMessage with control characters in the values', () => {
  it('never yields a subject with a line break or any other control character, in any template or locale', () => {
    for (const locale of LOCALES) {
      for (const name of TEMPLATE_NAMES) {
        const { subject } = renderMessage(name, locale, hostileData(name));
        expect({ locale, name, subject, control: ANY_CONTROL.test(subject) }).toEqual({
          locale,
          name,
          subject,
          control: false,
        });
        expect({ locale, name, subject, doubleSpace: subject.includes('  ') }).toEqual({
          locale,
          name,
          subject,
          doubleSpace: false,
        });
      }
    }
  });

  it('turns each run of controls in a subject value into one space', () => {
    const { subject } = renderMessage('ticket.confirmation', 'en', { number: 7, title: INJECTION });
    expect(subject).toBe('[#7] x Bcc: x@y z');
    const unicodeBreaks = renderMessage('ticket.confirmation', 'en', { number: 7, title: 'a\u2028Bcc: x@y\u2029b' });
    expect(unicodeBreaks.subject).toBe('[#7] a Bcc: x@y b');
  });

  it('keeps line feeds and tabs in text bodies and drops every other control, in any template or locale', () => {
    for (const locale of LOCALES) {
      for (const name of TEMPLATE_NAMES) {
        const { text } = renderMessage(name, locale, hostileData(name));
        expect({ locale, name, control: BODY_CONTROL.test(text) }).toEqual({ locale, name, control: false });
        expect(text).toContain('x\nBcc: x@y\tz');
      }
    }
  });

  it('leaves the line breaks of an agent reply in the body', () => {
    const { text } = renderMessage('ticket.agent_reply', 'en', {
      number: 7,
      title: 'VPN',
      body: 'Hello,\r\n\r\nplease restart the router.\r\n\tThanks',
    });
    expect(text.startsWith('Hello,\n\nplease restart the router.\n\tThanks\n\n--\n')).toBe(true);
  });

  it('collapses double spaces in a subject value, and leaves a body value as it is', () => {
    const { subject, text } = renderMessage('ticket.confirmation', 'hu', { number: 12, title: 'Acme – Nyomtató  ég' });
    expect(subject).toBe('[#12] Acme – Nyomtató ég');
    expect(text).toContain('#12 – Acme – Nyomtató  ég.');
  });
});
