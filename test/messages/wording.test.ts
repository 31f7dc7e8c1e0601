// The register and the wording each catalogue promises in its header, held across every template.
import { describe, expect, it } from 'vitest';
import { MESSAGE_CATALOGS, TEMPLATE_NAMES, renderMessage, smsSegments } from '../../src/messages/index.js';
import { formatInstant } from '../../src/recovery/labels.js';

const nlTexts = TEMPLATE_NAMES.map((name) => ({
  name,
  text: `${MESSAGE_CATALOGS.nl[name].subject}\n${MESSAGE_CATALOGS.nl[name].text}`,
}));

describe('Dutch register: formal "u", "Hebt u", "wij" and "onze helpdesk"', () => {
  it('never writes "Heeft u", "support", "ondersteuning" or "we"', () => {
    const off = nlTexts.filter(({ text }) => /Heeft u|\bsupport\b|ondersteuning|\b[Ww]e\b/.test(text));
    expect(off.map((t) => t.name)).toEqual([]);
  });

  it('asks "Hebt u dit niet zelf gedaan?" and points to onze helpdesk in every security notice', () => {
    for (const name of ['factor.added', 'factor.removed', 'email.changed'] as const) {
      expect(MESSAGE_CATALOGS.nl[name].text).toContain(
        'Hebt u dit niet zelf gedaan? Neem dan direct contact op met onze helpdesk.',
      );
    }
  });

  it('lets the reader ignore a code mail they did not ask for, politely', () => {
    expect(MESSAGE_CATALOGS.nl['email.change_code'].text).toContain(
      'Hebt u dit niet aangevraagd? Dan kunt u deze e-mail negeren.',
    );
  });

  it('says onze helpdesk works on a resumed or reopened ticket, and writes statuses in running text in lower case', () => {
    expect(MESSAGE_CATALOGS.nl['ticket.status_resumed'].text).toContain(
      'onze helpdesk werkt weer actief aan uw verzoek.',
    );
    expect(MESSAGE_CATALOGS.nl['ticket.status_reopened'].text).toContain('onze helpdesk pakt het weer op.');
    expect(MESSAGE_CATALOGS.nl['ticket.status_on_hold'].text).toContain('wij zijn onverwacht gedrag tegengekomen');
    expect(MESSAGE_CATALOGS.nl['ticket.status_solved'].text).toContain('is als opgelost gemarkeerd');
  });
});

describe('Hungarian recovery SMS', () => {
  it('says "Belépéscsere:" and still fits one GSM-7 SMS with the longest cancel link', () => {
    const cancelLink = `https://helpdesk.example.com/recovery/cancel?case=rcv_${'z'.repeat(21)}&token=${'A'.repeat(43)}`;
    const { text } = renderMessage('recovery.sms_approved', 'hu', {
      waitingEndsAt: formatInstant(Date.UTC(2026, 11, 28, 20, 45)),
      cancelLink,
    });
    expect(text.startsWith('Belépéscsere: 2026-12-28 20:45 UTC ')).toBe(true);
    expect(smsSegments(text)).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
  });
});

describe('the satisfaction survey', () => {
  it('asks to rate the help as good or bad in English and Hungarian', () => {
    expect(MESSAGE_CATALOGS.en['ticket.survey'].text).toContain(
      'Please let us know how we did: rate our help as good or bad at this link',
    );
    expect(MESSAGE_CATALOGS.hu['ticket.survey'].text).toContain('értékeld jónak vagy rossznak ezen a linken');
  });
});
