import { describe, expect, it } from 'vitest';
import { ALICE_PHONE, DAY, dpo, makePrivacyDesk, registerPerson, type PrivacyHarness } from './_harness.js';

const SECOND = 1000;

/** Alice registered and erased; returns when the erasure finished. */
async function aliceErased() {
  const h = makePrivacyDesk();
  const alice = await registerPerson(h, 'alice', ALICE_PHONE);
  await h.desk.privacy.erase({ subject: { accountId: alice.accountId }, actor: dpo, reason: 'request' });
  await h.desk.dispatchOutbox();
  return { h, erasedAt: h.clock.now() };
}

const registration = (username: string, email: string, phone?: string) => ({
  username,
  email,
  password: 'a long enough passphrase',
  displayName: 'Someone',
  ...(phone ? { phone } : {}),
});

async function accountsWithEmail(h: PrivacyHarness, email: string) {
  return h.storage.list('account', { where: { email }, limit: 10 });
}

describe('tombstones of erased identifiers at registration', () => {
  it('refuses the erased email, username and phone until 30 days after the erasure, with the usual answer', async () => {
    const { h, erasedAt } = await aliceErased();
    const fresh = await h.desk.accounts.register(registration('carol', 'carol@example.com'));
    await h.desk.dispatchOutbox();
    const mailsBefore = h.mailer.sent.length;

    h.clock.set(erasedAt + 30 * DAY - SECOND);
    const attempts = [
      registration('alice', 'alice@example.com'), // both erased
      registration('alice2', 'alice@example.com'), // the erased email
      registration('alice', 'new-alice@example.com'), // the erased username
      registration('alice3', 'alice3@example.com', ALICE_PHONE), // the erased phone
    ];
    for (const attempt of attempts) {
      // The same answer as any registration: no one learns that an erasure happened.
      expect(await h.desk.accounts.register(attempt)).toEqual(fresh);
      expect(await accountsWithEmail(h, attempt.email), attempt.email).toEqual([]);
    }
    await h.desk.dispatchOutbox();
    expect(h.mailer.sent.slice(mailsBefore)).toEqual([]); // no activation mail, no notice
  });

  it('lets the erased identifiers be registered again once the 30 days are over', async () => {
    const { h, erasedAt } = await aliceErased();
    h.clock.set(erasedAt + 30 * DAY);
    const again = await registerPerson(h, 'alice', ALICE_PHONE);
    const [account] = await accountsWithEmail(h, again.email);
    expect(account?.state).toMatchObject({ username: 'alice', phone: ALICE_PHONE, status: 'active' });
  });

  it('follows policy.retention.erasedIdentifiers, and retention deletes the tombstones after it', async () => {
    const h = makePrivacyDesk({ policy: { retention: { erasedIdentifiers: 2 * DAY, every: SECOND } } });
    const alice = await registerPerson(h, 'alice', ALICE_PHONE);
    await h.desk.privacy.erase({ subject: { accountId: alice.accountId }, actor: dpo, reason: 'request' });
    const erasedAt = h.clock.now();
    const tombstones = await h.storage.list('privacy_tombstone', { where: {}, limit: 100 });
    expect(tombstones.length).toBeGreaterThanOrEqual(3); // username, email, phone (and the account's other ids)
    // A tombstone holds a keyed hash, never the identifier.
    expect(JSON.stringify(tombstones)).not.toMatch(/alice|36305550111/i);

    h.clock.set(erasedAt + 2 * DAY - SECOND);
    await h.desk.runDueTimers();
    await h.desk.accounts.register(registration('alice', 'alice@example.com'));
    expect(await accountsWithEmail(h, 'alice@example.com')).toEqual([]);
    expect(await h.storage.list('privacy_tombstone', { where: {}, limit: 100 })).toHaveLength(tombstones.length);

    h.clock.set(erasedAt + 2 * DAY);
    await h.desk.runDueTimers();
    expect(await h.storage.list('privacy_tombstone', { where: {}, limit: 100 })).toEqual([]);
    await h.desk.accounts.register(registration('alice', 'alice@example.com'));
    expect(await accountsWithEmail(h, 'alice@example.com')).toHaveLength(1);
  });
});
