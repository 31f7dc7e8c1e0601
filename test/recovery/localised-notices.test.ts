// What a recovery case says to whom, and in which language: the ticket it is filed under is
// titled in the requester's language (else the desk's), the requester's notices are their own
// text, an ended case never says it "can still be cancelled", and the approval mail writes the
// end of the waiting period as a date of the reader's language.
import { describe, expect, it } from 'vitest';
import { LOCALES, MESSAGE_CATALOGS, formatDateTime, type Locale } from '../../src/messages/index.js';
import { formatInstant } from '../../src/recovery/labels.js';
import {
  ALICE_PHONE,
  agentA,
  approvedCase,
  HOUR,
  makeAlice,
  makeRecoveryDesk,
  openInput,
  outboxTo,
} from './_harness.js';

const REQUESTER = 'alice.private@example.net';

describe('the ticket a recovery case is filed under', () => {
  const titles: Record<Locale, string> = {
    en: 'Account recovery - Lost phone number for alice',
    hu: 'Fiók-helyreállítás - Elveszett telefonszám: alice',
    el: 'Ανάκτηση λογαριασμού - Απώλεια δεύτερου παράγοντα (αριθμός τηλεφώνου): alice',
    nl: 'Accountherstel - Verloren telefoonnummer: alice',
  };

  for (const locale of LOCALES) {
    it(`is titled and described in the requester's language (${locale}), and mailed so`, async () => {
      const h = makeRecoveryDesk();
      await makeAlice(h);
      const opened = await h.desk.recovery.open(
        openInput({ requester: { email: REQUESTER, name: 'Alice', locale }, description: undefined }),
      );
      const ticket = await h.desk.tickets.get(opened.ticketId);
      expect(ticket.title).toBe(titles[locale]);
      if (locale !== 'en') {
        expect(ticket.content.description).not.toMatch(/requester|lost access/i);
        const confirmation = (await outboxTo(h, REQUESTER)).find((m) => m.template === 'ticket.confirmation')!;
        expect(`${confirmation.subject}\n${confirmation.text}`).not.toMatch(/Account recovery|Lost /);
      }
      expect(ticket.content.description).toContain('alice');
    });
  }

  it("is titled in the desk's language when the requester gives none", async () => {
    const h = makeRecoveryDesk({ locale: 'nl' });
    await makeAlice(h);
    const opened = await h.desk.recovery.open(openInput({ requester: { email: REQUESTER, name: 'Alice' } }));
    expect((await h.desk.tickets.get(opened.ticketId)).title).toBe(titles.nl);
  });

  it("keeps the requester's own description when one is given", async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const opened = await h.desk.recovery.open(openInput({ requester: { email: REQUESTER, locale: 'hu' } }));
    expect((await h.desk.tickets.get(opened.ticketId)).content.description).toBe(
      'My phone was stolen; I cannot receive the login code.',
    );
  });
});

describe('recovery notices', () => {
  /** The sentence that a recovery can still be cancelled while the waiting period runs, per locale. */
  const stillCancellable: Record<Locale, RegExp> = {
    en: /can still be cancelled/,
    hu: /még visszavonható/,
    el: /μπορεί ακόμη να ακυρωθεί/,
    nl: /kan het herstel nog worden geannuleerd/,
  };

  it('never tells the owner that a rejected or expired case can still be cancelled, in any language', () => {
    for (const locale of LOCALES) {
      const { text } = MESSAGE_CATALOGS[locale]['recovery.notice'];
      expect({ locale, text }).not.toEqual({ locale, text: expect.stringMatching(stillCancellable[locale]) });
    }
  });

  it('writes the requester\'s notice as their own text: no "if you did not ask" and no cancel paragraph', () => {
    const notAsked: Record<Locale, RegExp> = {
      en: /did not ask/,
      hu: /nem te kérted/,
      el: /δεν ζητήσατε/,
      nl: /geen herstel van uw account aangevraagd/,
    };
    for (const locale of LOCALES) {
      const { subject, text } = MESSAGE_CATALOGS[locale]['recovery.requester_notice'];
      expect({ locale, notAsked: notAsked[locale].test(text), cancel: stillCancellable[locale].test(text) }).toEqual({
        locale,
        notAsked: false,
        cancel: false,
      });
      expect(subject).toContain('[#{number}]');
    }
  });

  it('tells the owner of a rejected case that it ended and nothing changed, without a cancel paragraph', async () => {
    const h = makeRecoveryDesk();
    const alice = await makeAlice(h);
    const opened = await h.desk.recovery.open(openInput());
    await h.desk.recovery.reject({ caseId: opened.caseId, actor: agentA, reason: 'No proof.' });
    const notice = (await outboxTo(h, alice.email)).find((m) => m.template === 'recovery.notice')!;
    expect(notice.text).toContain('rejected');
    expect(notice.text).toContain('Nothing was changed on your account.');
    expect(notice.text).not.toMatch(/cancel|waiting period/i);
  });

  it('sends the requester each step under the ticket number, never the owner warning', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const { ticketNumber } = await approvedCase(h);
    h.clock.advance(24 * HOUR);
    await h.desk.runDueTimers();
    const steps = (await outboxTo(h, REQUESTER)).filter((m) => m.template === 'recovery.requester_notice');
    expect(steps.map((m) => m.subject)).toEqual([
      `[#${ticketNumber}] Account recovery: approved, the waiting period runs until 3 March 2026 at 09:00 (UTC)`,
      `[#${ticketNumber}] Account recovery: completed`,
    ]);
    for (const { text } of steps) expect(text).not.toMatch(/did not ask|can still be cancelled/);
    expect((await outboxTo(h, REQUESTER)).map((m) => m.template)).not.toContain('recovery.notice');
  });

  it("writes the end of the waiting period in the approval mail as a date of the reader's language; the SMS keeps the short form", async () => {
    const h = makeRecoveryDesk({ locale: 'hu' });
    const alice = await makeAlice(h);
    const { waitingEndsAt } = await approvedCase(h, { requester: { email: REQUESTER, locale: 'el' } });
    // The recovery module knows no time zone of the desk: UTC, said so.
    const mail = (await outboxTo(h, alice.email)).find((m) => m.template === 'recovery.approved')!;
    expect(mail.text).toContain(formatDateTime(waitingEndsAt, 'hu'));
    expect(mail.text).toContain('2026. március 3. 09:00 (UTC)');
    expect(mail.text).not.toContain('2026-03-03 09:00 UTC');
    const sms = (await outboxTo(h, ALICE_PHONE)).find((m) => m.template === 'recovery.sms_approved')!;
    expect(sms.text).toContain(formatInstant(waitingEndsAt));
    const requesterNotice = (await outboxTo(h, REQUESTER)).find((m) => m.template === 'recovery.requester_notice')!;
    expect(requesterNotice.text).toContain('3 Μαρτίου 2026, 09:00 (UTC)');
  });
});
