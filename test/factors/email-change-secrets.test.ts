import { describe, expect, it } from 'vitest';
import { resetLinkTo, toPassword } from '../login/_harness.js';
import { lastMailedCode, makeFactorDesk, signedInAlice } from './_harness.js';

// Leaving an address ends what it holds: the reset secrets mailed there, and the right to log in
// by it. Often it is left because someone else reads it now.

async function changeEmail(
  h: ReturnType<typeof makeFactorDesk>,
  auth: Parameters<typeof h.desk.factors.changeEmail>[0]['auth'],
  email: string,
) {
  await h.desk.factors.changeEmail({ auth, email });
  const code = await lastMailedCode(h, email);
  expect(await h.desk.factors.confirmEmailChange({ auth, code })).toEqual({ ok: true, email });
}

describe('an address change', () => {
  it('a reset link mailed to the old address before the change no longer works after it', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const token = await resetLinkTo(h, alice.email);
    h.clock.advance(60_000);
    await changeEmail(h, alice.auth, 'alice.new@example.org');
    // Invalid each time it is tried, never "used": the change let go of it, no try spent it.
    for (let i = 0; i < 2; i++) {
      const result = await h.desk.accounts.resetPassword({ token, newPassword: 'attacker chosen passphrase' });
      expect(result).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
    }
    // A link to the new address works.
    const fresh = await resetLinkTo(h, 'alice.new@example.org');
    expect((await h.desk.accounts.resetPassword({ token: fresh, newPassword: 'alice fresh passphrase' })).ok).toBe(
      true,
    );
  });

  it('the old address no longer logs in, and is free to register again', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    await changeEmail(h, alice.auth, 'alice.new@example.org');
    const byOld = await toPassword(h, alice.email, alice.password);
    expect(byOld.state).toBe('awaiting_password');
    expect(byOld.error?.code).toBe('WRONG_PASSWORD');
    expect((await toPassword(h, 'alice.new@example.org', alice.password)).state).toBe('awaiting_code');
    await h.desk.accounts.register({
      username: 'newcomer',
      email: alice.email,
      password: 'newcomer long passphrase',
      displayName: 'New Comer',
    });
    const [created] = await h.storage.list('account', { where: { email: alice.email }, limit: 5 });
    expect(created).toBeDefined();
  });
});
