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
  it('refuses the erased email and username until 30 days after the erasure, with the usual answer', async () => {
    const { h, erasedAt } = await aliceErased();
    const fresh = await h.desk.accounts.register(registration('carol', 'carol@example.com'));
    await h.desk.dispatchOutbox();
    const mailsBefore = h.mailer.sent.length;

    h.clock.set(erasedAt + 30 * DAY - SECOND);
    const attempts = [
      registration('alice', 'alice@example.com'), // both erased
      registration('alice2', 'alice@example.com'), // the erased email
      registration('alice', 'new-alice@example.com'), // the erased username
    ];
    for (const attempt of attempts) {
      // The same answer as any registration: no one learns that an erasure happened.
      expect(await h.desk.accounts.register(attempt)).toEqual(fresh);
      expect(await accountsWithEmail(h, attempt.email), attempt.email).toEqual([]);
    }
    await h.desk.dispatchOutbox();
    // Nothing to the erased address; the registrant of the erased username is told it is not
    // available, exactly as for a username someone holds.
    expect(h.mailer.sent.slice(mailsBefore).map(({ message: m }) => [m.to, m.template])).toEqual([
      ['new-alice@example.com', 'account.username_unavailable'],
    ]);
  });

  it('answers an erased username exactly as a taken one, by the mail the registrant gets (no enumeration oracle)', async () => {
    const { h } = await aliceErased();
    await registerPerson(h, 'bob');
    const mailOf = async (username: string, email: string) => {
      await h.desk.accounts.register(registration(username, email));
      await h.desk.dispatchOutbox();
      const mails = h.mailer.to(email);
      return mails.map((m) => m.template);
    };
    expect(await mailOf('alice', 'probe1@example.net')).toEqual(['account.username_unavailable']); // erased
    expect(await mailOf('bob', 'probe2@example.net')).toEqual(['account.username_unavailable']); // taken
    expect(await mailOf('nobody', 'probe3@example.net')).toEqual(['account.activation']); // free
  });

  it("registers with the erased person's phone number like with any other: numbers are not unique to an account", async () => {
    const { h } = await aliceErased();
    await h.desk.accounts.register(registration('alice3', 'alice3@example.com', ALICE_PHONE));
    await h.desk.dispatchOutbox();
    expect(h.mailer.to('alice3@example.com').map((m) => m.template)).toEqual(['account.activation']);
    expect(await accountsWithEmail(h, 'alice3@example.com')).toHaveLength(1);
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
