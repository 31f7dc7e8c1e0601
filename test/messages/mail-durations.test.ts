// Every mail and SMS that states how long a link, a code or a request lasts says it as
// formatDuration words it: in the reader's language, rounded down, never "0 hours" and never
// "1 minutes". Driven through the desk with short policy lifetimes.
import { describe, expect, it } from 'vitest';
import type { HelpdeskOptions } from '../../src/helpdesk.js';
import type { Locale } from '../../src/messages/index.js';
import { makeFactorDesk, signedInAlice } from '../factors/_harness.js';
import { makeLoginDesk, makePersonal, toPassword } from '../login/_harness.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The texts of every message (mail or SMS) delivered to `to`, oldest first. */
async function textsTo(h: ReturnType<typeof makeLoginDesk>, to: string): Promise<string[]> {
  await h.desk.dispatchOutbox();
  return [...h.mailer.to(to), ...h.sms.to(to)].map((m) => m.text);
}

function deskWith(policy: HelpdeskOptions['policy'], locale: Locale = 'en') {
  return makeLoginDesk({ policy, locale });
}

describe('lifetimes in mails and SMS', () => {
  it('says a 20-minute activation link lasts 20 minutes, in every language', async () => {
    const h = deskWith({ accounts: { activationTtl: 20 * MINUTE } });
    const expected: Record<Locale, string> = {
      en: 'The link expires in 20 minutes.',
      hu: 'A hivatkozás érvényességi ideje: 20 perc.',
      el: 'Ο σύνδεσμος ισχύει για 20 λεπτά.',
      nl: 'De link is 20 minuten geldig.',
    };
    for (const locale of ['en', 'hu', 'el', 'nl'] as const) {
      const email = `user-${locale}@example.com`;
      await h.desk.accounts.register({
        username: `user-${locale}`,
        email,
        password: 'a long and private passphrase',
        displayName: 'Reader',
        locale,
      });
      const [text] = await textsTo(h, email);
      expect({ locale, says: text!.includes(expected[locale]) }).toEqual({ locale, says: true });
      expect(text).not.toMatch(/\b0 (hours|óráig|ώρες|uur)\b/);
    }
  });

  it('says a 90-minute temporary password lasts 90 minutes, not 2 hours', async () => {
    const h = deskWith({ accounts: { temporaryPasswordTtl: 90 * MINUTE } });
    await h.desk.accounts.createOrganization({
      slug: 'acme',
      name: 'Acme Kft.',
      admin: { email: 'boss@acme.example', phone: '+36305550101', displayName: 'Boss', locale: 'nl' },
    });
    const [text] = await textsTo(h, 'boss@acme.example');
    expect(text).toContain('Het tijdelijke wachtwoord is 90 minuten geldig');
    expect(text).not.toContain('2 uur');
  });

  it('says a 90-second reset link lasts 90 seconds, and a one-minute reset code 1 minute (singular)', async () => {
    const h = deskWith({ accounts: { resetLinkTtl: 90 * SECOND, resetCodeTtl: MINUTE } }, 'el');
    const alice = await makePersonal(h, { username: 'alice', phone: '+36305550111' });
    await h.desk.accounts.activate({ token: alice.token });
    await h.desk.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email' });
    await h.desk.accounts.requestPasswordReset({ identifier: 'alice', channel: 'sms' });
    const link = (await textsTo(h, alice.email)).at(-1)!;
    expect(link).toContain('Ο σύνδεσμος ισχύει για 90 δευτερόλεπτα');
    const [code] = await textsTo(h, '+36305550111');
    expect(code).toContain('Ισχύει 1 λεπτό.');
    expect(code).not.toContain('λεπτά');
  });

  it('says a one-minute login code lasts 1 minute ("1 minuut", never "1 minuten")', async () => {
    const h = deskWith({ login: { codeTtl: MINUTE } }, 'nl');
    const alice = await makePersonal(h, { username: 'alice', phone: '+36305550111' });
    await h.desk.accounts.activate({ token: alice.token });
    await toPassword(h, 'alice', alice.password);
    const [code] = await textsTo(h, '+36305550111');
    expect(code).toContain('1 minuut geldig');
    expect(code).not.toContain('minuten');
  });

  it('says a 90-second factor code lasts 90 seconds, not 2 minutes', async () => {
    const h = makeFactorDesk({ policy: { factors: { codeTtl: 90 * SECOND } } });
    const alice = await signedInAlice(h);
    await h.desk.factors.changeEmail({ auth: alice.auth, email: 'alice.new@example.org' });
    const [code] = await textsTo(h, 'alice.new@example.org');
    expect(code).toContain('Valid for 90 seconds.');
    expect(code).not.toContain('2 minutes');
  });

  it('says a recovery request without proof closes after 36 hours, not after "2 days" or "0 days"', async () => {
    const h = deskWith({ recovery: { evidenceTtl: 36 * HOUR } }, 'hu');
    await h.desk.recovery.open({
      login: 'nobody',
      lostFactor: 'phone',
      channel: 'contact_form',
      requester: { email: 'someone@example.net' },
    });
    const texts = await textsTo(h, 'someone@example.net');
    const requested = texts.find((t) => t.includes('bizonyíték'))!;
    expect(requested).toContain('A bizonyíték nélküli kérést 36 óra után lezárjuk.');
  });
});
