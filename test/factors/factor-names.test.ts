// How a factor is named in the factor.added / factor.removed mails: a default label and the
// factor's kind in the reader's language; a label the user chose stays exactly as given.
import { describe, expect, it } from 'vitest';
import { describeFactor } from '../../src/factors/factor-kit.js';
import type { StoredFactor } from '../../src/factors/factor-record.js';
import { LOCALES } from '../../src/messages/index.js';
import { makeFactorDesk, signedInAlice } from './_harness.js';

const factor = (type: StoredFactor['type'], label: string) => ({ type, label }) as StoredFactor;

describe('factor names in notices', () => {
  it('translates a default label and the kind, and says the kind once where the label already is it', () => {
    expect(LOCALES.map((l) => describeFactor(factor('sms', 'Phone'), l))).toEqual([
      'Phone (SMS code)',
      'Telefon (SMS-kód)',
      'Τηλέφωνο (κωδικός SMS)',
      'Telefoon (sms-code)',
    ]);
    expect(LOCALES.map((l) => describeFactor(factor('totp', 'Authenticator app'), l))).toEqual([
      'Authenticator app',
      'Hitelesítő alkalmazás',
      'Εφαρμογή ελέγχου ταυτότητας',
      'Authenticator-app',
    ]);
    expect(LOCALES.map((l) => describeFactor(factor('backup_codes', 'Backup codes'), l))).toEqual([
      'Backup codes',
      'Tartalékkódok',
      'Εφεδρικοί κωδικοί',
      'Back-upcodes',
    ]);
    expect(LOCALES.map((l) => describeFactor(factor('email', 'Email'), l))).toEqual([
      'Email (email code)',
      'E-mail (e-mailes kód)',
      'Email (κωδικός email)',
      'E-mail (e-mailcode)',
    ]);
  });

  it("keeps the user's own label as given and names the kind in the reader's language", () => {
    expect(describeFactor(factor('totp', 'My phone app'), 'hu')).toBe('My phone app (hitelesítő alkalmazás)');
    expect(describeFactor(factor('sms', 'Werktelefoon'), 'nl')).toBe('Werktelefoon (sms-code)');
    // A label that is a default word of another language is still the user's own.
    expect(describeFactor(factor('sms', 'Telefon'), 'el')).toBe('Telefon (κωδικός SMS)');
  });

  it('mails a Hungarian account the added factor in Hungarian, without English words or raw kinds', async () => {
    const h = makeFactorDesk({ locale: 'hu' });
    const alice = await signedInAlice(h);
    await h.desk.factors.enrol({ auth: alice.auth, type: 'backup_codes' });
    await h.desk.dispatchOutbox();
    const added = h.mailer.to(alice.email).find((m) => m.subject.includes('Új második tényező'))!;
    expect(added.text).toContain('A(z) Tartalékkódok második tényezőt hozzáadták a(z) alice fiókodhoz.');
    expect(added.text).not.toMatch(/Backup codes|backup_codes/);
  });
});
