import { describe, expect, it } from 'vitest';
import { jsonStrings as strings } from '../helpers.js';
import {
  alice,
  authFor,
  codeFrom,
  dumpStorage,
  lastMail,
  lastSms,
  makeAccounts,
  makeOrganization,
  temporaryPasswordFrom,
  tokenFrom,
} from './_harness.js';

describe('no secret is stored in clear', () => {
  it('no record, index, history entry or outbox field outside the rendered text holds a password, code or token', async () => {
    const h = makeAccounts();
    const secrets: string[] = [alice.password];

    await h.accounts.register(alice);
    const firstActivation = tokenFrom((await lastMail(h, alice.email)).text);
    await h.accounts.resendActivation({ identifier: 'alice' });
    const activation = tokenFrom((await lastMail(h, alice.email)).text);
    secrets.push(firstActivation, activation);
    await h.accounts.activate({ token: activation });

    await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email' });
    const resetToken = tokenFrom((await lastMail(h, alice.email)).text);
    secrets.push(resetToken, 'reset via link passphrase');
    await h.accounts.resetPassword({ token: resetToken, newPassword: 'reset via link passphrase' });

    await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'sms' });
    const smsCode = codeFrom((await lastSms(h, '+36301234567')).text);
    await h.accounts.resetPassword({
      identifier: 'alice',
      code: smsCode === '000000' ? '111111' : '000000',
      newPassword: 'wrong code passphrase',
    });
    secrets.push(smsCode, 'reset via sms passphrase');
    await h.accounts.resetPassword({ identifier: 'alice', code: smsCode, newPassword: 'reset via sms passphrase' });

    await h.accounts.requestPasswordReset({ identifier: alice.email, channel: 'email', method: 'code' });
    const mailCode = codeFrom((await lastMail(h, alice.email)).text);
    secrets.push(mailCode); // left unused: a live code must not be readable either

    await h.accounts.requestUsernameReminder({ email: alice.email });
    await h.accounts.register({ ...alice, username: 'alice2', password: 'registration collision pw' });
    secrets.push('registration collision pw');

    const { admin } = await makeOrganization(h);
    const adminTemporary = temporaryPasswordFrom((await lastMail(h, 'boss@acme.example')).text);
    secrets.push(adminTemporary);
    const adminAuth = await authFor(h, admin.id);
    await h.accounts.createBusinessUser({
      auth: adminAuth,
      username: 'bob',
      email: 'bob@acme.example',
      permissions: ['tickets.read'],
    });
    const bobTemporary = temporaryPasswordFrom((await lastMail(h, 'bob@acme.example')).text);
    secrets.push(bobTemporary);
    await h.internal.setPassword({
      accountId: admin.id,
      newPassword: 'admin chosen passphrase',
      reason: 'forced_change',
    });
    secrets.push('admin chosen passphrase');
    await h.accounts.registerPhoneNumber({ auth: adminAuth, phone: '301234567', permissions: ['tickets.read'] });
    await h.accounts.setOrganizationSettings({ auth: adminAuth, settings: { smsCodeForLogin: false } });
    await h.deliver();

    const dump = await dumpStorage(h.storage);
    expect(dump.records.length).toBeGreaterThan(10);
    const haystack = [
      ...strings(dump.records.map((r) => ({ kind: r.kind, id: r.id, state: r.state, indexes: r.indexes }))),
      ...strings(dump.history),
      ...strings(
        dump.outbox.map(({ payload, ...rest }) => ({
          ...rest,
          payload: { ...(payload as Record<string, unknown>), text: '' },
        })),
      ),
    ];
    for (const secret of secrets) {
      const leaks = haystack.filter((s) => s.includes(secret));
      expect(leaks, `secret ${secret.slice(0, 3)}… leaked`).toEqual([]);
    }
    // The rendered messages do carry them: that is how they reach the user.
    const texts = dump.outbox.map((m) => (m.payload as { text: string }).text).join('\n');
    for (const secret of [activation, resetToken, smsCode, adminTemporary, bobTemporary])
      expect(texts).toContain(secret);
  });
});
