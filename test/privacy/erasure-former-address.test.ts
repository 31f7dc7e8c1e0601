import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../../src/accounts/principal.js';
import { privacyExportSchema, type PrivacyExport } from '../../src/privacy/export-schema.js';
import { currentTotp, lastMailedCode, makeFactorDesk, signedInAlice } from '../factors/_harness.js';
import { lastSmsCode, resultOf, toPassword } from '../login/_harness.js';
import { DAY, makeAlice, makeRecoveryDesk, NEW_PHONE, recoveredCase } from '../recovery/_harness.js';
import { agent, dpo, hits, storeStrings } from './_harness.js';

// An account's address or number changes (`confirmEmailChange`, a lost-phone recovery and the next
// login's enrolment): mail, budgets and notes still name the one it had before. It was the
// person's: export shows it, erasure takes it (docs/privacy.md).

const OLD = 'alice@example.com';
const NEW = 'alice.new@example.org';

type Harness = ReturnType<typeof makeFactorDesk>;
const strings = (h: Harness) => storeStrings(h.storage as never);

async function exportAll(h: Harness, accountId: string) {
  const pages: PrivacyExport[] = [];
  let cursor: string | undefined;
  do {
    const page = await h.desk.privacy.export({ subject: { accountId }, ...(cursor ? { cursor } : {}) });
    pages.push(privacyExportSchema.parse(page));
    cursor = page.next ?? undefined;
  } while (cursor);
  return { identifiers: pages[0]!.subject.identifiers, outbox: pages.flatMap((p) => p.outbox), pages };
}

/** Alice adds an app, moves from `OLD` to `NEW`, files a ticket; an agent's note recalls the old address. */
async function aliceWhoChangedHerAddress() {
  const h = makeFactorDesk();
  const alice = await signedInAlice(h);
  const auth: AuthContext = alice.auth;
  const { factor, totp } = await h.desk.factors.enrol({ auth, type: 'totp', label: 'My phone app' });
  await h.desk.factors.confirm({ auth, factorId: factor.id, code: await currentTotp(h, totp!.secret) });
  await h.desk.factors.changeEmail({ auth, email: NEW });
  await h.desk.factors.confirmEmailChange({ auth, code: await lastMailedCode(h, NEW) });
  const { ticket } = await h.desk.tickets.submit({
    requester: { id: alice.accountId, email: NEW },
    content: { organization: 'Alice', subject: 'Invoices', description: 'The invoices do not load.' },
  });
  await h.desk.tickets.addNote({ ticketId: ticket.id, actor: agent, body: `She wrote from ${OLD} last year.` });
  await h.desk.dispatchOutbox();
  expect(hits(await strings(h), OLD).length).toBeGreaterThan(0);
  return { h, alice };
}

describe('an address the account had before', () => {
  it('erasure reaches an address the account had before an email change', async () => {
    const { h, alice } = await aliceWhoChangedHerAddress();

    const erased = await h.desk.privacy.erase({
      subject: { accountId: alice.accountId },
      actor: dpo,
      reason: 'Art. 17',
    });

    expect(erased.status).toBe('done');
    // The activation, `factor.added` and `email.changed` mails to it, its sending budget, the note.
    expect(hits(await strings(h), OLD)).toEqual([]);
    expect(hits(await strings(h), NEW)).toEqual([]);
  });

  it('the export lists an address the account had before and holds the mail sent to it', async () => {
    const { h, alice } = await aliceWhoChangedHerAddress();

    const exported = await exportAll(h, alice.accountId);

    expect(exported.identifiers).toEqual(expect.arrayContaining([OLD, NEW]));
    const templatesToOld = exported.outbox
      .filter((message) => !message.excerpt && (message.payload as { to?: unknown }).to === OLD)
      .map((message) => (message.payload as { template?: unknown }).template);
    expect(templatesToOld).toEqual(expect.arrayContaining(['account.activation', 'factor.added', 'email.changed']));
    // The internal note is support's: never exported, even when it names the old address.
    expect(JSON.stringify(exported.pages)).not.toContain('last year');
  });

  it('an address the account gave up and another account now has stays that account’s', async () => {
    const { h, alice } = await aliceWhoChangedHerAddress();
    await h.desk.accounts.register({
      username: 'otto',
      email: OLD,
      password: 'otto long passphrase',
      displayName: 'Otto',
    });
    await h.desk.dispatchOutbox();
    const [otto] = await h.storage.list('account', { where: { email: OLD }, limit: 1 });
    expect(otto).toBeDefined();

    await h.desk.privacy.erase({ subject: { accountId: alice.accountId }, actor: dpo, reason: 'Art. 17' });

    // Otto's account, his claim on the address and his activation mail are his.
    expect((await h.desk.accounts.getAccount(otto!.id)).email).toBe(OLD);
    expect(await h.storage.load('account_email', OLD)).not.toBeNull();
    const toOtto = (await h.storage.listOutbox({ limit: 1000 })).filter(
      (message) => (message.payload as { template?: unknown }).template === 'account.activation',
    );
    expect(toOtto.some((message) => JSON.stringify(message.payload).includes(OLD))).toBe(true);
    expect(hits(await strings(h), NEW)).toEqual([]);
  });

  it('erasure reaches a phone number the account had before a lost-phone recovery', async () => {
    const h = makeRecoveryDesk();
    const alice = await makeAlice(h);
    // A login by the old number: its code SMS and sending budget name it.
    await toPassword(h, 'alice', alice.password);
    await lastSmsCode(h, alice.phone);
    await recoveredCase(h);
    const view = await toPassword(h, 'alice', alice.password);
    await h.desk.login.enrolPhone({ flowId: view.flowId, number: NEW_PHONE });
    resultOf(await h.desk.login.submitCode({ flowId: view.flowId, code: await lastSmsCode(h, NEW_PHONE) }));
    expect((await h.desk.accounts.getAccount(alice.accountId)).phone).toBe(NEW_PHONE);
    // A week on, retention took the login flows that named the old number; an agent's note did not.
    h.clock.advance(8 * DAY);
    await h.desk.runDueTimers();
    const { ticket } = await h.desk.tickets.submit({
      requester: { id: alice.accountId, email: alice.email },
      content: { organization: 'Alice', subject: 'New phone', description: 'Codes reach the new phone now.' },
    });
    await h.desk.tickets.addNote({
      ticketId: ticket.id,
      actor: agent,
      body: `Called ${alice.phone} first: no answer.`,
    });
    expect(hits(await strings(h), alice.phone).length).toBeGreaterThan(0);

    const erased = await h.desk.privacy.erase({
      subject: { accountId: alice.accountId },
      actor: dpo,
      reason: 'Art. 17',
    });

    expect(erased.status).toBe('done');
    expect(hits(await strings(h), alice.phone)).toEqual([]);
    expect(hits(await strings(h), NEW_PHONE)).toEqual([]);
  });
});
