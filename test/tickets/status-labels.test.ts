import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/messages/locales.js';
import { statusDefinition, statusLabels } from '../../src/tickets/index.js';
import { TICKET_STATUSES } from '../../src/tickets/ticket-machine.js';

// Hosts show the library's words for each status, in the four locales, like the priority definitions.

describe('status labels', () => {
  it('labels every status in every locale, each label distinct within its locale', () => {
    for (const locale of LOCALES) {
      const labels = TICKET_STATUSES.map((status) => statusLabels[status][locale]);
      expect(
        labels.every((l) => l.trim().length > 1),
        locale,
      ).toBe(true);
      expect(new Set(labels).size, locale).toBe(TICKET_STATUSES.length);
    }
  });

  it('defines every status in one line, in every locale, differently from English', () => {
    for (const status of TICKET_STATUSES) {
      for (const locale of LOCALES) {
        const text = statusDefinition(status, locale);
        expect(text, `${status} ${locale}`).toMatch(/^[^\n]{20,}$/);
        if (locale !== 'en') expect(text, `${status} ${locale}`).not.toBe(statusDefinition(status, 'en'));
      }
    }
  });

  it('uses the Dutch source’s definitions for Open, In de wacht and Opgelost', () => {
    expect(statusDefinition('open', 'nl')).toBe(
      'Ondersteuning is actief bezig met uw verzoek en zal opvolgen met meer informatie.',
    );
    expect(statusDefinition('on_hold', 'nl')).toBe(
      'Ondersteuning is een onverwacht gedrag tegengekomen en werkt aan een oplossing.',
    );
    expect(statusDefinition('solved', 'nl')).toMatch(
      /^Er is een oplossing bereikt en het ondersteuningsticket is gearchiveerd\./,
    );
    expect(statusLabels.pending.nl).toBe('In behandeling');
  });
});
