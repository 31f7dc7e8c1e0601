import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../src/errors.js';
import {
  DEFAULT_LOCALE,
  LOCALES,
  MESSAGE_CATALOGS,
  SMS_TEMPLATES,
  TEMPLATE_NAMES,
  TEMPLATE_PLACEHOLDERS,
  isLocale,
  placeholdersIn,
  renderMessage,
  switchStateLabel,
  type TemplateData,
  type TemplateName,
} from '../src/messages/index.js';
import { parseTicketReference } from '../src/tickets/reference.js';
import { statusLabels } from '../src/tickets/statuses.js';

/** Example data for every placeholder any template declares. */
const sample: Record<string, string | number> = {
  number: 10042,
  previousNumber: 9001,
  title: 'Acme - Printer on fire',
  autoResolveAt: '2024-05-05 14:00 CEST',
  body: 'Could you send a photo of the display?',
  username: 'anna',
  name: 'Anna Kovács',
  link: 'https://help.example.com/activate/abc',
  expiresIn: '5 minutes',
  code: '482913',
  usernames: 'anna, anna@acme',
  login: 'anna@acme',
  password: 'Tmp-9fK2-xQ7p-Lm4w',
  organization: 'Acme',
  enabled: 'off',
  changedBy: 'admin@acme',
  step: 'approved',
};

function dataFor(template: TemplateName): Record<string, string | number> {
  return Object.fromEntries(TEMPLATE_PLACEHOLDERS[template].map((name) => [name, sample[name] ?? `<${name}>`]));
}

describe('message catalogues', () => {
  it('has a template for every name in every locale, and nothing else', () => {
    for (const locale of LOCALES) {
      expect(Object.keys(MESSAGE_CATALOGS[locale]).sort()).toEqual([...TEMPLATE_NAMES].sort());
    }
  });

  it('uses exactly the placeholders each template declares, in every locale (subject + text)', () => {
    for (const locale of LOCALES) {
      for (const name of TEMPLATE_NAMES) {
        const { subject, text } = MESSAGE_CATALOGS[locale][name];
        const used = placeholdersIn(`${subject}\n${text}`).sort();
        expect({ locale, name, used }).toEqual({ locale, name, used: [...TEMPLATE_PLACEHOLDERS[name]].sort() });
      }
    }
  });

  it('has no blank subject or text and no stray braces', () => {
    for (const locale of LOCALES) {
      for (const name of TEMPLATE_NAMES) {
        const { subject, text } = MESSAGE_CATALOGS[locale][name];
        expect(subject.trim()).not.toBe('');
        expect(text.trim()).not.toBe('');
        const withoutPlaceholders = `${subject}${text}`.replace(/\{[A-Za-z][A-Za-z0-9_]*\}/g, '');
        expect({ locale, name, braces: /[{}]/.test(withoutPlaceholders) }).toEqual({ locale, name, braces: false });
      }
    }
  });

  it('keeps every translation different from English except placeholder-only subjects', () => {
    for (const locale of LOCALES.filter((l) => l !== 'en')) {
      for (const name of TEMPLATE_NAMES) {
        expect({ locale, name, same: MESSAGE_CATALOGS[locale][name].text === MESSAGE_CATALOGS.en[name].text }).toEqual({
          locale,
          name,
          same: false,
        });
      }
    }
  });
});

describe('renderMessage', () => {
  it('substitutes every placeholder in every template and locale', () => {
    for (const locale of LOCALES) {
      for (const name of TEMPLATE_NAMES) {
        const rendered = renderMessage(name, locale, dataFor(name));
        expect(placeholdersIn(rendered.subject + rendered.text)).toEqual([]);
        for (const placeholder of TEMPLATE_PLACEHOLDERS[name]) {
          expect(rendered.subject + rendered.text).toContain(String(dataFor(name)[placeholder]));
        }
      }
    }
  });

  it('puts the ticket reference in the subject of every ticket mail, so replies match back', () => {
    const ticketTemplates = TEMPLATE_NAMES.filter((name) => name.startsWith('ticket.'));
    expect(ticketTemplates).toContain('ticket.confirmation');
    for (const locale of LOCALES) {
      for (const name of ticketTemplates) {
        const { subject } = renderMessage(name, locale, dataFor(name));
        expect({ locale, name, ref: parseTicketReference(subject) }).toEqual({ locale, name, ref: 10042 });
      }
    }
  });

  it('renders the confirmation subject with the [#number] reference', () => {
    expect(renderMessage('ticket.confirmation', 'en', { number: 7, title: 'Acme - VPN down' }).subject).toBe(
      '[#7] Acme - VPN down',
    );
  });

  it('keeps SMS texts within one 160-character message', () => {
    for (const locale of LOCALES) {
      for (const name of SMS_TEMPLATES) {
        const { text } = renderMessage(name, locale, dataFor(name));
        expect({ locale, name, length: text.length <= 160 }).toEqual({ locale, name, length: true });
      }
    }
  });

  it('says the login SMS is free of charge, "díjmentes" in Hungarian', () => {
    expect(renderMessage('login.code', 'hu', dataFor('login.code')).text).toMatch(/díjmentes/i);
  });

  it('throws INVALID_INPUT naming the placeholder when data lacks it', () => {
    try {
      renderMessage('ticket.reminder', 'nl', { number: 1, title: 'x' });
      expect.unreachable();
    } catch (error) {
      expect(isHelpdeskError(error, 'INVALID_INPUT')).toBe(true);
      expect((error as Error).message).toContain('{autoResolveAt}');
    }
  });

  it('refuses an unknown template or locale', () => {
    expect(() => renderMessage('ticket.nope' as TemplateName, 'en', {})).toThrow(/Unknown message template/);
    expect(() => renderMessage('login.code', 'de' as never, dataFor('login.code'))).toThrow(/Unknown locale/);
  });

  it('lets callers type their data so the compiler checks the placeholders', () => {
    const data: TemplateData<'ticket.confirmation'> = { number: 7, title: 'Acme - VPN down' };
    // @ts-expect-error title is required by ticket.confirmation
    const incomplete: TemplateData<'ticket.confirmation'> = { number: 7 };
    expect(renderMessage('ticket.confirmation', 'hu', data).subject).toBe('[#7] Acme - VPN down');
    expect(() => renderMessage('ticket.confirmation', 'hu', incomplete)).toThrow(/\{title\}/);
  });

  it('does not substitute placeholders inside substituted values', () => {
    const { text } = renderMessage('ticket.agent_reply', 'en', { number: 1, title: 'x', body: 'use {code} here' });
    expect(text).toContain('use {code} here');
  });
});

// support-ticket-statuses.nl.txt names four statuses: Open (support is working on it),
// In behandeling (support waits for the requester: pending), In de wacht (on hold) and Opgelost.
describe("Dutch status notices use the source's status names for the status they announce", () => {
  const nl = (name: TemplateName) => renderMessage(name, 'nl', dataFor(name));

  it('says a resumed ticket is no longer on hold and Open again, never "In behandeling" (pending)', () => {
    const { subject, text } = nl('ticket.status_resumed');
    expect(subject).toBe('[#10042] Niet langer in de wacht: Acme - Printer on fire');
    expect(text).toContain(`weer ${statusLabels.open.nl}`);
    expect(`${subject}\n${text}`).not.toMatch(/behandeling/i);
  });

  it('names solved and on-hold notices by their own labels', () => {
    expect(nl('ticket.status_solved').subject).toContain(statusLabels.solved.nl);
    expect(nl('ticket.status_on_hold').subject).toContain(statusLabels.on_hold.nl);
  });

  it('says "in behandeling" only in a mail sent while the ticket waits for the requester', () => {
    const mentioning = TEMPLATE_NAMES.filter((name) =>
      /in behandeling/i.test(`${MESSAGE_CATALOGS.nl[name].subject}\n${MESSAGE_CATALOGS.nl[name].text}`),
    );
    expect(mentioning.filter((name) => name !== 'ticket.reminder')).toEqual([]);
  });
});

describe('locales', () => {
  it('defaults to English and recognises exactly en, hu, el and nl', () => {
    expect(DEFAULT_LOCALE).toBe('en');
    expect(LOCALES.every(isLocale)).toBe(true);
    expect(['de', 'EN', 'en-GB', '', 1, null].some(isLocale)).toBe(false);
  });

  it('has an on/off word in every locale', () => {
    for (const locale of LOCALES) {
      expect(switchStateLabel(locale, true)).not.toBe(switchStateLabel(locale, false));
    }
  });
});
