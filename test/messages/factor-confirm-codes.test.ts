// A code that adds a second factor says so in every locale, in the register of its catalogue; it
// never borrows the words of the login code, which a reader may safely use to sign in.
import { describe, expect, it } from 'vitest';
import { LOCALES, MESSAGE_CATALOGS, SMS_TEMPLATES, type Locale } from '../../src/messages/index.js';

/** How each locale says "add" (the phone or the address to the account). */
const ADDS: Readonly<Record<Locale, RegExp>> = {
  en: /\badd this (phone|email address)\b/,
  hu: /hozzáad/,
  el: /προσθήκη|προσθέσετε/i,
  nl: /toe te voegen|toevoegen/,
};

/** The login words of each locale's login.code and factor.email_code. */
const LOGIN_WORDS: Readonly<Record<Locale, RegExp>> = {
  en: /login|sign-in/i,
  hu: /belépés/i,
  el: /σύνδεσ/i,
  nl: /inlog/i,
};

/** Subject and text as written, placeholders left out (`{login}` is a value, not a word). */
const text = (locale: Locale, name: 'factor.sms_confirm_code' | 'factor.email_confirm_code') =>
  `${MESSAGE_CATALOGS[locale][name].subject}\n${MESSAGE_CATALOGS[locale][name].text}`.replace(/\{\w+\}/g, '');

describe('the codes that add a second factor', () => {
  it('are texted as an SMS template of their own', () => {
    expect(SMS_TEMPLATES).toContain('factor.sms_confirm_code');
  });

  for (const locale of LOCALES) {
    it(`say in ${locale} that the code adds a factor, never that it logs in`, () => {
      for (const name of ['factor.sms_confirm_code', 'factor.email_confirm_code'] as const) {
        expect(text(locale, name), `${locale} ${name}`).toMatch(ADDS[locale]);
        expect(text(locale, name), `${locale} ${name}`).not.toMatch(LOGIN_WORDS[locale]);
      }
    });
  }

  it('speak in the register each catalogue states: Hungarian te, Dutch formal u, Greek formal plural', () => {
    expect(MESSAGE_CATALOGS.hu['factor.sms_confirm_code'].text).toContain('fiókodhoz');
    expect(MESSAGE_CATALOGS.hu['factor.email_confirm_code'].text).toMatch(/fiókodhoz.*Ha nem te kérted/s);
    for (const name of ['factor.sms_confirm_code', 'factor.email_confirm_code'] as const) {
      expect(text('nl', name)).toMatch(/\buw account\b/);
      expect(text('nl', name)).not.toMatch(/\b(je|jij|jouw)\b/i);
    }
    expect(MESSAGE_CATALOGS.nl['factor.email_confirm_code'].text).toContain(
      'Hebt u dit niet aangevraagd? Dan kunt u deze e-mail negeren.',
    );
    expect(MESSAGE_CATALOGS.el['factor.email_confirm_code'].text).toMatch(/Εισαγάγετε.*σας/s);
  });

  it('tell the reader of the SMS to ignore it if they did not ask for it, where GSM-7 leaves room', () => {
    expect(MESSAGE_CATALOGS.en['factor.sms_confirm_code'].text).toContain(
      'If you did not ask for it, ignore this SMS.',
    );
    expect(MESSAGE_CATALOGS.nl['factor.sms_confirm_code'].text).toContain(
      'Hebt u dit niet aangevraagd? Dan kunt u deze sms negeren.',
    );
  });
});
