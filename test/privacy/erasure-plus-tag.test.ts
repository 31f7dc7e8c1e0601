import { describe, expect, it } from 'vitest';
import { sendingBudgetKey } from '../../src/engine/sending-budget.js';
import { privacyExportSchema } from '../../src/privacy/export-schema.js';
import { dpo, hits, makePrivacyDesk, storeStrings, type PrivacyHarness } from './_harness.js';

// The sending budget folds a `+tag` address to its mailbox (src/engine/sending-budget.ts): the
// window of `alice.smith+desk@example.com` is `send_budget:email:alice.smith@example.com`.

const TAGGED = 'alice.smith+desk@example.com';
const MAILBOX = 'alice.smith@example.com';
const BUDGET = sendingBudgetKey('email', TAGGED);

const strings = (h: PrivacyHarness) => storeStrings(h.storage as never);

async function register(h: PrivacyHarness, username: string, email: string) {
  await h.desk.accounts.register({ username, email, password: `${username} long passphrase`, displayName: username });
  await h.desk.dispatchOutbox();
  const [record] = await h.storage.list('account', { where: { email }, limit: 1 });
  return record!.id;
}

describe('the sending budget of a +tag address', () => {
  it('erasure removes the sending budget of a +tag address', async () => {
    const h = makePrivacyDesk();
    const accountId = await register(h, 'alicesmith', TAGGED);
    expect(BUDGET).toBe(`send_budget:email:${MAILBOX}`);
    expect(await h.storage.load('rate_window', BUDGET)).not.toBeNull();

    const erased = await h.desk.privacy.erase({ subject: { accountId }, actor: dpo, reason: 'Art. 17' });

    expect(erased.status).toBe('done');
    expect(await h.storage.load('rate_window', BUDGET)).toBeNull();
    expect(hits(await strings(h), 'alice.smith')).toEqual([]);
  });

  it('erasure by a +tag address that has no account removes its sending budget', async () => {
    const h = makePrivacyDesk();
    await h.desk.tickets.submit({
      requester: { id: `contact:${TAGGED}`, email: TAGGED },
      content: { organization: 'Smith', subject: 'Tracker', description: 'The tracker is offline.' },
    });
    await h.desk.dispatchOutbox();
    expect(await h.storage.load('rate_window', BUDGET)).not.toBeNull();

    await h.desk.privacy.erase({ subject: { email: TAGGED }, actor: dpo, reason: 'Art. 17' });

    expect(await h.storage.load('rate_window', BUDGET)).toBeNull();
    expect(hits(await strings(h), 'alice.smith')).toEqual([]);
  });

  it('the export holds the sending budget of a +tag address', async () => {
    const h = makePrivacyDesk();
    const accountId = await register(h, 'alicesmith', TAGGED);

    const page = privacyExportSchema.parse(await h.desk.privacy.export({ subject: { accountId }, limit: 5000 }));

    expect(page.records.some((record) => record.kind === 'rate_window' && record.id === BUDGET)).toBe(true);
  });

  it('erasure of a +tag address leaves the account whose address is the mailbox itself', async () => {
    const h = makePrivacyDesk();
    const tagged = await register(h, 'alicesmith', TAGGED);
    const plain = await register(h, 'asmith', MAILBOX);

    await h.desk.privacy.erase({ subject: { accountId: tagged }, actor: dpo, reason: 'Art. 17' });

    // The other account, its claim and its mail are its own; the shared window is theirs too.
    expect((await h.desk.accounts.getAccount(plain)).email).toBe(MAILBOX);
    expect(await h.storage.load('account_email', MAILBOX)).not.toBeNull();
    expect(await h.storage.load('rate_window', BUDGET)).not.toBeNull();
    expect(hits(await strings(h), TAGGED)).toEqual([]);
  });
});
