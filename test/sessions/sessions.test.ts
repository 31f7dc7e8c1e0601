import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../../src/accounts/principal.js';
import { SESSION_KIND } from '../../src/sessions/index.js';
import { withStoredSession } from './stored-session.js';
import {
  ADMIN_PHONE,
  BOB_PASSWORD,
  BOB_PHONE,
  HOUR,
  MINUTE,
  bobLogsIn,
  deskWithBob,
  lastSmsCode,
  resultOf,
  sessionTokenOf,
  toPassword,
} from './_harness.js';

const DAY = 24 * HOUR;

/** The same token with one character of its secret changed. */
function rewritten(token: string): string {
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return token.slice(0, -1) + last;
}

describe('a completed login opens a session the library vouches for', () => {
  it('hands the token out once in the view, and verify answers the AuthContext with its sessionId', async () => {
    const { h } = await deskWithBob();
    const done = await bobLogsIn(h);
    const token = sessionTokenOf(done);
    expect(token).toMatch(/^ses_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(done.session?.expiresAt).toBe(h.clock.now() + 30 * DAY);
    expect(JSON.stringify(done.result)).not.toContain(token);
    expect((await h.desk.login.get(done.flowId)).session).toBeUndefined();
    const auth = await h.desk.sessions.verify(token);
    expect(auth).toEqual({ ...resultOf(done).auth, principal: resultOf(done).principal });
    expect(auth.sessionId).toBe(resultOf(done).auth.sessionId);
    expect(auth.amr).toEqual(['password', 'sms']);
  });

  it('a phone login opens a session with amr phone', async () => {
    const { h, adminAuth } = await deskWithBob();
    await h.desk.accounts.registerPhoneNumber({ auth: adminAuth, phone: '301234567', permissions: ['tickets.read'] });
    const flow = await h.desk.login.startPhoneLogin({ number: '301234567' });
    const code = await lastSmsCode(h, '+36301234567');
    const done = await h.desk.login.submitCode({ flowId: flow.flowId, code });
    const auth = await h.desk.sessions.verify(sessionTokenOf(done));
    expect(auth).toMatchObject({ amr: ['phone'], principal: { type: 'phone', phone: '+36301234567' } });
  });
});

describe('verify refuses every token it did not issue or no longer vouches for', () => {
  it('a forged or rewritten session is refused', async () => {
    const { h } = await deskWithBob();
    const token = sessionTokenOf(await bobLogsIn(h));
    const [id] = token.split('.');
    const forged = [
      rewritten(token),
      `${id}.${'A'.repeat(43)}`,
      `ses_${'A'.repeat(22)}.${token.split('.')[1]}`,
      'ses_x',
      token.replace('.', ''),
      `${token}x`,
    ];
    for (const candidate of forged) {
      await expect(h.desk.sessions.verify(candidate), candidate).rejects.toMatchObject({ code: 'SESSION_INVALID' });
    }
    await expect(h.desk.sessions.verify(42 as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await h.desk.sessions.verify(token)).sessionId).toBe(id);
  });

  it('a revoked session is refused at once', async () => {
    const { h } = await deskWithBob();
    const first = sessionTokenOf(await bobLogsIn(h));
    const second = sessionTokenOf(await bobLogsIn(h));
    const third = sessionTokenOf(await bobLogsIn(h));
    const auth = await h.desk.sessions.verify(first);
    const listed = await h.desk.sessions.list(auth);
    // Bob's first login (the forced password change) opened one more.
    expect(listed).toHaveLength(4);
    expect(listed.filter((s) => s.current).map((s) => s.sessionId)).toEqual([auth.sessionId]);
    const secondId = (await h.desk.sessions.verify(second)).sessionId!;
    await h.desk.sessions.revoke({ auth, sessionId: secondId });
    await expect(h.desk.sessions.verify(second)).rejects.toMatchObject({ code: 'SESSION_INVALID' });
    await expect(h.desk.sessions.revoke({ auth, sessionId: secondId })).rejects.toMatchObject({
      code: 'SESSION_NOT_FOUND',
    });
    expect(await h.desk.sessions.revokeOthers(auth)).toEqual({ revoked: 2 });
    await expect(h.desk.sessions.verify(third)).rejects.toMatchObject({ code: 'SESSION_INVALID' });
    expect((await h.desk.sessions.list(auth)).map((s) => s.sessionId)).toEqual([auth.sessionId]);
  });

  it('a user cannot revoke or list with a session of someone else', async () => {
    const { h, adminAuth } = await deskWithBob();
    const bob = await h.desk.sessions.verify(sessionTokenOf(await bobLogsIn(h)));
    await expect(h.desk.sessions.revoke({ auth: bob, sessionId: adminAuth.sessionId! })).rejects.toMatchObject({
      code: 'SESSION_NOT_FOUND',
    });
    const borrowed: AuthContext = { ...bob, sessionId: adminAuth.sessionId! };
    await expect(h.desk.sessions.list(borrowed)).rejects.toMatchObject({ code: 'SESSION_INVALID' });
  });

  it('a password reset ends every session of the account in its commit', async () => {
    const { h } = await deskWithBob();
    const token = sessionTokenOf(await bobLogsIn(h));
    await h.desk.accounts.requestPasswordReset({ identifier: 'bob@acme', channel: 'email' });
    const reset = await resetLinkToken(h);
    const outcome = await h.desk.accounts.resetPassword({ token: reset, newPassword: 'a brand new passphrase' });
    expect(outcome).toMatchObject({ ok: true });
    await expect(h.desk.sessions.verify(token)).rejects.toMatchObject({ code: 'SESSION_INVALID' });
  });
});

describe('idle and absolute expiry', () => {
  it('is live at idle − 1 ms and refused at idle after the last use', async () => {
    const { h } = await deskWithBob({ policy: { sessions: { idle: HOUR } } });
    const token = sessionTokenOf(await bobLogsIn(h));
    h.clock.advance(HOUR - 1);
    await h.desk.sessions.verify(token); // a use: the idle hour starts again now
    h.clock.advance(HOUR - 1);
    await expect(h.desk.sessions.verify(token)).resolves.toMatchObject({ amr: ['password', 'sms'] });
    h.clock.advance(HOUR);
    await expect(h.desk.sessions.verify(token)).rejects.toMatchObject({ code: 'SESSION_INVALID' });
  });

  it('ends at the absolute limit even when used all along', async () => {
    const { h } = await deskWithBob({ policy: { sessions: { idle: HOUR, absolute: 3 * HOUR } } });
    const token = sessionTokenOf(await bobLogsIn(h));
    let elapsed = 0;
    for (let use = 0; use < 3; use += 1) {
      h.clock.advance(50 * MINUTE);
      elapsed += 50 * MINUTE;
      await h.desk.sessions.verify(token);
    }
    h.clock.advance(3 * HOUR - elapsed - 1); // 1 ms before the absolute limit, 29 min after the last use
    await expect(h.desk.sessions.verify(token)).resolves.toBeTruthy();
    h.clock.advance(1);
    await expect(h.desk.sessions.verify(token)).rejects.toMatchObject({ code: 'SESSION_INVALID' });
  });

  it('verify writes lastSeenAt at most once a minute', async () => {
    const { h } = await deskWithBob();
    const token = sessionTokenOf(await bobLogsIn(h));
    const id = token.split('.')[0]!;
    const version = async () => (await h.storage.load(SESSION_KIND, id))!.version;
    const start = await version();
    h.clock.advance(59_999);
    for (let i = 0; i < 5; i += 1) await h.desk.sessions.verify(token);
    expect(await version()).toBe(start);
    h.clock.advance(1);
    await h.desk.sessions.verify(token);
    await h.desk.sessions.verify(token);
    expect(await version()).toBe(start + 1);
  });

  it('the sweep marks a session past its idle limit expired, once', async () => {
    const { h } = await deskWithBob({ policy: { sessions: { idle: HOUR } } });
    const token = sessionTokenOf(await bobLogsIn(h));
    const id = token.split('.')[0]!;
    h.clock.advance(HOUR - 1);
    expect((await h.desk.runDueTimers()).fired.filter((f) => f.kind === SESSION_KIND)).toEqual([]);
    h.clock.advance(1);
    const fired = (await h.desk.runDueTimers()).fired.filter((f) => f.kind === SESSION_KIND);
    expect(fired.map((f) => f.id)).toContain(id);
    expect((await h.storage.load(SESSION_KIND, id))!.indexes.state).toBe('expired');
    expect((await h.desk.runDueTimers()).fired.filter((f) => f.id === id)).toEqual([]);
  });
});

describe('step-up reads the stored session, never the caller', () => {
  it('a stale main-administrator context with authenticatedAt rewritten is refused for the SMS switch', async () => {
    const { h, adminAuth } = await deskWithBob();
    h.clock.advance(30 * MINUTE);
    const rewrittenAuth: AuthContext = { ...adminAuth, amr: ['password', 'sms'], authenticatedAt: h.clock.now() };
    await expect(
      h.desk.accounts.setOrganizationSettings({ auth: rewrittenAuth, settings: { smsCodeForLogin: false } }),
    ).rejects.toMatchObject({ code: 'SECOND_FACTOR_REQUIRED' });
    const { sessionId: _dropped, ...withoutSession } = rewrittenAuth;
    await expect(
      h.desk.accounts.setOrganizationSettings({ auth: withoutSession, settings: { smsCodeForLogin: false } }),
    ).rejects.toMatchObject({ code: 'SECOND_FACTOR_REQUIRED', details: { reason: 'session_required' } });

    // A step-up on that session refreshes it: the same sessionId now vouches for a fresh SMS code.
    const stepUp = await h.desk.login.startStepUp({ auth: adminAuth });
    const confirmed = await h.desk.login.submitCode({ flowId: stepUp.flowId, code: await lastSmsCode(h, ADMIN_PHONE) });
    expect(resultOf(confirmed).auth.sessionId).toBe(adminAuth.sessionId);
    expect(confirmed.session).toBeUndefined();
    const org = await h.desk.accounts.setOrganizationSettings({
      auth: adminAuth,
      settings: { smsCodeForLogin: false },
    });
    expect(org.settings.smsCodeForLogin).toBe(false);
  });

  it('a revoked session no longer counts for step-up', async () => {
    const { h, adminAuth } = await deskWithBob();
    expect(await h.desk.sessions.revokeOthers(adminAuth)).toEqual({ revoked: 0 });
    const other = resultOf(
      await h.desk.login.submitCode({
        flowId: (await h.desk.login.startStepUp({ auth: adminAuth })).flowId,
        code: await lastSmsCode(h, ADMIN_PHONE),
      }),
    ).auth;
    await h.desk.sessions.revoke({ auth: other, sessionId: adminAuth.sessionId! });
    await expect(
      h.desk.accounts.setOrganizationSettings({ auth: adminAuth, settings: { smsCodeForLogin: false } }),
    ).rejects.toMatchObject({ code: 'SECOND_FACTOR_REQUIRED' });
  });
});

describe('a step-up refreshes a live session and never opens one', () => {
  it('a step-up without a live session of that principal is refused before any SMS: a code alone is no login', async () => {
    const { h, adminAuth } = await deskWithBob();
    const smsBefore = h.sms.sent.length;
    const { sessionId: _dropped, ...forged } = adminAuth;
    for (const auth of [forged, { ...adminAuth, amr: [], authenticatedAt: 0, sessionId: 'ses_unknown' }]) {
      await expect(h.desk.login.startStepUp({ auth: auth as AuthContext })).rejects.toMatchObject({
        code: 'SESSION_INVALID',
      });
    }
    expect(h.sms.sent.length).toBe(smsBefore);
  });

  it('a step-up whose session ended before the code was entered gives no session and no device', async () => {
    const { h, adminAuth } = await deskWithBob();
    const stepUp = await h.desk.login.startStepUp({ auth: adminAuth });
    await h.desk.sessions.revoke({ auth: adminAuth, sessionId: adminAuth.sessionId! });
    await expect(
      h.desk.login.submitCode({
        flowId: stepUp.flowId,
        code: await lastSmsCode(h, ADMIN_PHONE),
        rememberDevice: true,
      }),
    ).rejects.toMatchObject({ code: 'STEP_NOT_ALLOWED', details: { reason: 'session_ended' } });
    expect(await h.storage.list(SESSION_KIND, { where: { state: 'active' }, limit: 100 })).toHaveLength(1); // bob's
  });
});

describe('ending every session', () => {
  it("revokeOthers ends all of a subject's sessions, not only the first page (1,201 of them)", async () => {
    const { h } = await deskWithBob();
    const bob = resultOf(await bobLogsIn(h)).auth;
    for (let i = 0; i < 1_200; i++) await withStoredSession(h.storage, h.clock, bob);
    expect(await h.desk.sessions.revokeOthers(bob)).toEqual({ revoked: 1_201 });
    const subject = `account:${(bob.principal as { accountId: string }).accountId}`;
    const active = await h.storage.list(SESSION_KIND, { where: { subject, state: 'active' }, limit: 5_000 });
    expect(active.map((record) => record.id)).toEqual([bob.sessionId]);
  });
});

describe('remembered devices', () => {
  it('a remembered device skips the SMS and stops working after a password reset', async () => {
    const { h } = await deskWithBob();
    const remembered = await bobLogsIn(h, { rememberDevice: true, deviceLabel: 'Firefox on Windows' });
    const device = remembered.device!;
    expect(device.token).toMatch(/^dev_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(device.expiresAt).toBe(h.clock.now() + 30 * DAY);

    const smsBefore = h.sms.to(BOB_PHONE).length;
    const { flowId } = await h.desk.login.start();
    await h.desk.login.submitIdentifier({ flowId, identifier: 'bob@acme' });
    const skipped = await h.desk.login.submitPassword({ flowId, password: BOB_PASSWORD, deviceToken: device.token });
    expect(skipped.state).toBe('authenticated');
    expect(resultOf(skipped).amr).toEqual(['password']);
    await h.desk.dispatchOutbox();
    expect(h.sms.to(BOB_PHONE)).toHaveLength(smsBefore);
    const auth = await h.desk.sessions.verify(sessionTokenOf(skipped));
    expect((await h.desk.sessions.devices(auth)).map((d) => d.label)).toEqual(['Firefox on Windows']);

    await h.desk.accounts.requestPasswordReset({ identifier: 'bob@acme', channel: 'email' });
    const newPassword = 'a brand new passphrase';
    await h.desk.accounts.resetPassword({ token: await resetLinkToken(h), newPassword });
    const again = await h.desk.login.start();
    await h.desk.login.submitIdentifier({ flowId: again.flowId, identifier: 'bob@acme' });
    const after = await h.desk.login.submitPassword({
      flowId: again.flowId,
      password: newPassword,
      deviceToken: device.token,
    });
    expect(after.state).toBe('awaiting_code');
  });

  it('a remembered device stops skipping the code once the account was disabled, even after it is enabled again', async () => {
    const { h, adminAuth } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    await h.desk.accounts.setUserStatus({ auth: adminAuth, login: 'bob@acme', status: 'disabled' });
    await h.desk.accounts.setUserStatus({ auth: adminAuth, login: 'bob@acme', status: 'active' });
    const { flowId } = await h.desk.login.start();
    await h.desk.login.submitIdentifier({ flowId, identifier: 'bob@acme' });
    const after = await h.desk.login.submitPassword({ flowId, password: BOB_PASSWORD, deviceToken: device.token });
    expect(after.state).toBe('awaiting_code');
  });

  it('a forged, foreign or forgotten device token does not skip the code', async () => {
    const { h } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    const tryWith = async (deviceToken: string) => {
      const view = await toPassword(h, 'bob@acme', BOB_PASSWORD);
      expect(view.state).toBe('awaiting_code');
      const { flowId } = await h.desk.login.start();
      await h.desk.login.submitIdentifier({ flowId, identifier: 'bob@acme' });
      return (await h.desk.login.submitPassword({ flowId, password: BOB_PASSWORD, deviceToken })).state;
    };
    expect(await tryWith(rewritten(device.token))).toBe('awaiting_code');
    expect(await tryWith('dev_nonsense')).toBe('awaiting_code');
    const auth = await h.desk.sessions.verify(sessionTokenOf(await bobLogsIn(h)));
    const [listed] = await h.desk.sessions.devices(auth);
    await h.desk.sessions.forgetDevice({ auth, deviceId: listed!.id });
    expect(await tryWith(device.token)).toBe('awaiting_code');
  });

  it('is not given without a second factor, and expires after 30 days', async () => {
    const { h } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    h.clock.advance(30 * DAY - 1);
    const { flowId } = await h.desk.login.start();
    await h.desk.login.submitIdentifier({ flowId, identifier: 'bob@acme' });
    const live = await h.desk.login.submitPassword({ flowId, password: BOB_PASSWORD, deviceToken: device.token });
    expect(live.state).toBe('authenticated');
    expect(live.device).toBeUndefined();
    h.clock.advance(1);
    const late = await h.desk.login.start();
    await h.desk.login.submitIdentifier({ flowId: late.flowId, identifier: 'bob@acme' });
    const expired = await h.desk.login.submitPassword({
      flowId: late.flowId,
      password: BOB_PASSWORD,
      deviceToken: device.token,
    });
    expect(expired.state).toBe('awaiting_code');
  });
});

async function resetLinkToken(h: Awaited<ReturnType<typeof deskWithBob>>['h']): Promise<string> {
  await h.desk.dispatchOutbox();
  const mails = h.mailer.to('bob@acme.example');
  const token = /token=([A-Za-z0-9_-]+)/.exec(mails.at(-1)?.text ?? '')?.[1];
  if (!token) throw new Error('no reset link');
  return token;
}
