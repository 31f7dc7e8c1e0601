/**
 * DESIGN §5: the lockout never locks out the owner — a password reset or a recovery clears it,
 * the account's lock and the locks of every client key on the account alike.
 */
import { describe, expect, it } from 'vitest';
import { makeLoginDesk, makePersonal, type LoginHarness } from './_harness.js';

const KEY = 'office-ip-and-browser-hash';

async function attempt(h: LoginHarness, password: string, clientKey?: string) {
  const { flowId } = await h.desk.login.start(clientKey ? { clientKey } : undefined);
  await h.desk.login.submitIdentifier({ flowId, identifier: 'alice' });
  return h.desk.login.submitPassword({ flowId, password });
}

async function resetAlice(h: LoginHarness, email: string, newPassword: string) {
  await h.desk.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email' });
  await h.desk.dispatchOutbox();
  const mails = h.mailer.to(email);
  const token = /token=([A-Za-z0-9_-]+)/.exec(mails[mails.length - 1]?.text ?? '')?.[1];
  if (!token) throw new Error('no reset mail');
  return h.desk.accounts.resetPassword({ token, newPassword });
}

describe('a password reset clears the locks of client keys too', () => {
  it("a password reset ends the lock of the owner's client key, not only the account's", async () => {
    const h = makeLoginDesk();
    const alice = await makePersonal(h);
    await h.desk.accounts.activate({ token: alice.token });
    expect((await attempt(h, alice.password, KEY)).state).toBe('authenticated');
    // Someone sharing the client key (same office address and browser) guesses five times.
    for (let i = 0; i < 5; i++) await attempt(h, `wrong guess ${i}`, KEY);
    expect((await attempt(h, alice.password, KEY)).state).toBe('locked');
    expect((await resetAlice(h, alice.email, 'a brand new passphrase')).ok).toBe(true);
    expect((await attempt(h, 'a brand new passphrase', KEY)).state).toBe('authenticated');
  });

  it('a client key that guesses five times after the reset is locked again', async () => {
    const h = makeLoginDesk();
    const alice = await makePersonal(h);
    await h.desk.accounts.activate({ token: alice.token });
    for (let i = 0; i < 5; i++) await attempt(h, `wrong guess ${i}`, KEY);
    expect((await resetAlice(h, alice.email, 'a brand new passphrase')).ok).toBe(true);
    for (let i = 0; i < 4; i++) expect((await attempt(h, `after reset ${i}`, KEY)).state).toBe('awaiting_password');
    expect((await attempt(h, 'after reset 4', KEY)).state).toBe('locked');
    expect((await attempt(h, 'a brand new passphrase', KEY)).state).toBe('locked');
  });
});
