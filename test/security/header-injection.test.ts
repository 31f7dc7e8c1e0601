import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../../src/accounts/principal.js';
import { isHelpdeskError } from '../../src/errors.js';
import { en } from '../../src/messages/en.js';
import {
  ADMIN_PHONE,
  lastSmsCode,
  lastTemporaryPassword,
  makeLoginDesk,
  resultOf,
  toPassword,
  type LoginHarness,
} from '../login/_harness.js';

// Finding 3 of issue 15: a CR/LF in a value that reaches a mail subject lets a naive mail
// adapter write its own headers (Bcc, extra recipients). No subject a mailer sees may hold one.

const INJECTED = 'Hi\r\nBcc: everyone@victim.example';
const LINE_BREAK = /[\r\n\u2028\u2029\u0085]/;

/** Every subject the capturing mailer received, after delivering the outbox. */
async function subjects(h: LoginHarness): Promise<string[]> {
  await h.desk.dispatchOutbox();
  return h.mailer.sent.map((m) => m.message.subject);
}

/** Runs `call`; an INVALID_INPUT refusal is fine too (the value never reaches a mail). */
async function acceptedOrRefused(call: () => Promise<unknown>): Promise<'accepted' | 'refused'> {
  try {
    await call();
    return 'accepted';
  } catch (error) {
    if (isHelpdeskError(error) && error.code === 'INVALID_INPUT') return 'refused';
    throw error;
  }
}

describe('no CR or LF reaches a mail subject', () => {
  it('stops a Bcc injection through a ticket subject: the confirmation and every later ticket mail', async () => {
    const h = makeLoginDesk();
    const { ticket } = await h.desk.tickets.submit({
      requester: { id: 'cust-1', email: 'cust@example.test' },
      content: { organization: 'Acme', subject: INJECTED, description: 'Tracker offline.' },
      channel: 'web',
    });
    await h.desk.tickets.reply({ ticketId: ticket.id, author: { role: 'agent', id: 'agent-1' }, body: 'Looking.' });
    const sent = await subjects(h);
    console.log(`[header-injection] ticket mails: ${JSON.stringify(sent)}`);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const subject of sent) expect(subject).not.toMatch(LINE_BREAK);
    expect(sent[0]).toContain('Bcc: everyone@victim.example');
  });

  it('stops a Bcc injection through an organisation name in the SMS-setting notice', async () => {
    const h = makeLoginDesk();
    const outcome = await acceptedOrRefused(async () => {
      await h.desk.accounts.createOrganization({
        slug: 'acme',
        name: `Acme ${INJECTED}`,
        admin: { email: 'boss@acme.example', phone: ADMIN_PHONE, displayName: `Boss ${INJECTED}` },
      });
      const temporary = await lastTemporaryPassword(h, 'boss@acme.example');
      const view = await toPassword(h, 'admin@acme', temporary);
      const code = await lastSmsCode(h, ADMIN_PHONE);
      await h.desk.login.submitCode({ flowId: view.flowId, code });
      const done = await h.desk.login.changePassword({ flowId: view.flowId, newPassword: 'admin chosen passphrase' });
      const auth: AuthContext = resultOf(done).auth;
      await h.desk.accounts.setOrganizationSettings({ auth, settings: { smsCodeForLogin: false } });
    });
    const sent = await subjects(h);
    console.log(`[header-injection] organisation name: ${outcome}; subjects ${JSON.stringify(sent)}`);
    if (outcome === 'accepted') expect(sent.some((s) => s.includes('Acme'))).toBe(true);
    for (const subject of sent) expect(subject).not.toMatch(LINE_BREAK);
  });

  it('stops a Bcc injection through a username in the "username unavailable" notice', async () => {
    const h = makeLoginDesk();
    await h.desk.accounts.register({
      username: 'alice',
      email: 'alice@example.com',
      password: 'alice long passphrase',
      displayName: `Alice ${INJECTED}`,
    });
    await acceptedOrRefused(() =>
      h.desk.accounts.register({
        username: `alice${INJECTED}`,
        email: 'bystander@example.com',
        password: 'bystander long passphrase',
        displayName: INJECTED,
      }),
    );
    for (const subject of await subjects(h)) expect(subject).not.toMatch(LINE_BREAK);
  });

  it('no template puts a display name in a subject (so the cases above cover every free-text subject value)', () => {
    const placeholders = new Set<string>();
    for (const template of Object.values(en)) {
      for (const match of (template as { subject: string }).subject.matchAll(/\{(\w+)\}/g)) placeholders.add(match[1]!);
    }
    expect([...placeholders].sort()).toEqual([
      'login',
      'number',
      'organization',
      'previousNumber',
      'step',
      'title',
      'username',
    ]);
  });
});
