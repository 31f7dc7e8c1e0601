import { isHelpdeskError } from '../../src/errors.js';
import { describe, expect, it } from 'vitest';
import { defaultAccountPolicy } from '../../src/accounts/policy.js';
import { defaultSendingBudget } from '../../src/engine/sending-budget.js';
import { defaultRecoveryPolicy } from '../../src/recovery/policy.js';
import type { OpenRecoveryResult } from '../../src/recovery/index.js';
import { TICKET_KIND } from '../../src/tickets/records.js';
import { makeAlice, makeRecoveryDesk, openInput, type RecoveryHarness } from '../recovery/_harness.js';

// Finding 1 of issue 15: knowing only a login, an attacker opened and cancelled recovery cases
// in a loop; each cycle texted and mailed the owner and opened a high-priority ticket.

const MINUTE = 60_000;
const CYCLES = 50;
const ATTACKER = { email: 'mallory@attacker.example', name: 'Mallory' };

/** `CYCLES` open/cancel rounds, one a minute, as the requester; the answers in order. */
async function openCancelCycles(h: RecoveryHarness, login: string): Promise<Array<OpenRecoveryResult | 'wait'>> {
  const answers: Array<OpenRecoveryResult | 'wait'> = [];
  for (let i = 0; i < CYCLES; i += 1) {
    const answer = await h.desk.recovery.open(openInput({ login, requester: ATTACKER })).catch((error: unknown) => {
      // A held-back request is told to wait, and never handed the case it met.
      if (isHelpdeskError(error, 'RATE_LIMITED')) return 'wait' as const;
      throw error;
    });
    answers.push(answer);
    if (answer !== 'wait')
      await h.desk.recovery.cancel({ caseId: answer.caseId, actor: { role: 'requester', ticketId: answer.ticketId } });
    h.clock.advance(MINUTE);
  }
  await h.desk.dispatchOutbox();
  return answers;
}

/** What an attacker can compare between two runs: the shape and which answers repeat a case. */
const pattern = (answers: Array<OpenRecoveryResult | 'wait'>) =>
  answers.map((a, i) => {
    if (a === 'wait') return 'wait';
    const before = answers[i - 1];
    return {
      keys: Object.keys(a).sort(),
      created: a.created,
      status: a.status,
      sameCaseAsBefore: before !== undefined && before !== 'wait' && a.caseId === before.caseId,
    };
  });

const ticketCount = async (h: RecoveryHarness) =>
  (await h.storage.list(TICKET_KIND, { where: {}, limit: 10_000 })).length;

describe('recovery open/cancel cycles cannot flood the owner', () => {
  it('stops a recovery notice flood: 50 open/cancel cycles send the owner at most the window’s notices and open at most a few tickets', async () => {
    const h = makeRecoveryDesk();
    const alice = await makeAlice(h);
    const tickets = await ticketCount(h);
    const smsBefore = h.sms.to(alice.phone).length;
    const mailsBefore = h.mailer.to(alice.email).length;
    await openCancelCycles(h, 'alice');
    const sms = h.sms.to(alice.phone).length - smsBefore;
    const mails = h.mailer.to(alice.email).length - mailsBefore;
    const opened = (await ticketCount(h)) - tickets;
    console.log(
      `[abuse-budgets] ${CYCLES} open/cancel cycles: ${sms} SMS, ${mails} mails to the owner, ${opened} tickets`,
    );
    const { opensPerWindow } = defaultRecoveryPolicy;
    const { smsPerRecipient, mailsPerRecipient, securityReserve } = defaultSendingBudget;
    expect(sms).toBeLessThanOrEqual(smsPerRecipient + securityReserve);
    expect(mails).toBeLessThanOrEqual(mailsPerRecipient + securityReserve);
    // One opening and one closing notice per case the window lets through, no more.
    expect(sms).toBeLessThanOrEqual(2 * opensPerWindow);
    expect(mails).toBeLessThanOrEqual(2 * opensPerWindow);
    expect(opened).toBeLessThanOrEqual(opensPerWindow);
  });

  it('answers the cycles the same way for a login that exists and one that does not', async () => {
    const known = makeRecoveryDesk();
    await makeAlice(known);
    const unknown = makeRecoveryDesk();
    await makeAlice(unknown);
    expect(pattern(await openCancelCycles(unknown, 'nobody-here'))).toEqual(
      pattern(await openCancelCycles(known, 'alice')),
    );
  });
});

describe('one open recovery case per login', () => {
  it('stops a repeated-request flood: a second request joins the open case, is told to wait, has the ticket number mailed to the requester, and tells the owner nothing new', async () => {
    const h = makeRecoveryDesk();
    const alice = await makeAlice(h);
    const tickets = await ticketCount(h);
    await h.desk.dispatchOutbox();
    const smsBefore = h.sms.to(alice.phone).length;
    const mailsBefore = h.mailer.to(alice.email).length;
    const first = await h.desk.recovery.open(openInput());
    const requesterMails = h.mailer.to(openInput().requester!.email).length;
    const second = await h.desk.recovery.open(openInput()).catch((e: unknown) => e);
    await h.desk.dispatchOutbox();
    // The requester's address is no proof: the answer never carries the case or its ticket.
    expect(isHelpdeskError(second, 'RATE_LIMITED')).toBe(true);
    expect(JSON.stringify(second)).not.toContain(first.ticketId);
    expect(JSON.stringify(second)).not.toContain(first.caseId);
    const mailed = h.mailer.to(openInput().requester!.email).slice(requesterMails);
    expect(mailed.map((m) => m.text).join('\n')).toContain(String(first.ticketNumber));
    expect((await ticketCount(h)) - tickets).toBe(1);
    expect(h.sms.to(alice.phone).length - smsBefore).toBe(1);
    expect(h.mailer.to(alice.email).length - mailsBefore).toBe(1);
    expect((await h.desk.recovery.history(first.caseId)).map((e) => e.type)).toContain('recovery.joined');
  });

  it("never hands the open case (and its ticket, the requester's key) to another requester: they are told to wait, the same way for a login no account has", async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    for (const login of ['alice', 'nobody-here']) {
      const first = await h.desk.recovery.open(openInput({ login }));
      const error = await h.desk.recovery.open(openInput({ login, requester: ATTACKER })).catch((e: unknown) => e);
      expect(isHelpdeskError(error, 'RATE_LIMITED'), login).toBe(true);
      expect(JSON.stringify((error as { details: unknown }).details)).not.toContain(first.ticketId);
      expect(JSON.stringify((error as { details: unknown }).details)).not.toContain(first.caseId);
    }
  });

  it('takes a higher cap from the policy', async () => {
    const h = makeRecoveryDesk({ policy: { recovery: { maxOpenCasesPerAccount: 2 } } });
    await makeAlice(h);
    const first = await h.desk.recovery.open(openInput());
    const second = await h.desk.recovery.open(openInput());
    const third = await h.desk.recovery.open(openInput()).catch((e: unknown) => e);
    expect(second.caseId).not.toBe(first.caseId);
    expect(isHelpdeskError(third, 'RATE_LIMITED')).toBe(true);
  });
});

describe('registration collisions cannot flood an address', () => {
  const ATTEMPTS = 30;

  it('stops an "already registered" mail flood: 30 registrations with the owner’s address mail them at most the reset window', async () => {
    const h = makeRecoveryDesk();
    const alice = await makeAlice(h);
    await h.desk.dispatchOutbox();
    const before = h.mailer.to(alice.email).length;
    const answers = [];
    for (let i = 0; i < ATTEMPTS; i += 1) {
      answers.push(
        await h.desk.accounts.register({
          username: `mallory${i}`,
          email: alice.email,
          password: 'mallory long passphrase',
          displayName: 'Mallory',
        }),
      );
      h.clock.advance(MINUTE);
    }
    await h.desk.dispatchOutbox();
    const mailed = h.mailer.to(alice.email).length - before;
    console.log(`[abuse-budgets] ${ATTEMPTS} registrations with a taken address: ${mailed} mails to its owner`);
    expect(mailed).toBeGreaterThan(0);
    expect(mailed).toBeLessThanOrEqual(defaultAccountPolicy.requestsPerWindow);
    // Uniform: every answer is the one a fresh registration gets.
    const fresh = await h.desk.accounts.register({
      username: 'newcomer',
      email: 'newcomer@example.com',
      password: 'newcomer long passphrase',
      displayName: 'Newcomer',
    });
    for (const answer of answers) expect(answer).toEqual(fresh);
  });

  it('stops a "username unavailable" mail flood: 30 registrations of a taken username mail the bystander at most the window', async () => {
    const h = makeRecoveryDesk();
    await makeAlice(h);
    const bystander = 'bystander@example.org';
    for (let i = 0; i < ATTEMPTS; i += 1) {
      await h.desk.accounts.register({
        username: 'alice',
        email: bystander,
        password: 'mallory long passphrase',
        displayName: 'Mallory',
      });
      h.clock.advance(MINUTE);
    }
    await h.desk.dispatchOutbox();
    const mailed = h.mailer.to(bystander).length;
    console.log(`[abuse-budgets] ${ATTEMPTS} registrations of a taken username: ${mailed} mails to the bystander`);
    expect(mailed).toBeGreaterThan(0);
    expect(mailed).toBeLessThanOrEqual(defaultAccountPolicy.requestsPerWindow);
    // The window rolls: an hour later the address may be told again.
    h.clock.advance(60 * MINUTE);
    await h.desk.accounts.register({
      username: 'alice',
      email: bystander,
      password: 'mallory long passphrase',
      displayName: 'Mallory',
    });
    await h.desk.dispatchOutbox();
    expect(h.mailer.to(bystander).length).toBe(mailed + 1);
  });
});
