/**
 * DESIGN §5: the lockout never locks out the owner — remembered devices pass. A live remembered
 * device of the account passes the account's lock like a known client key, and its own wrong
 * guesses count on its own record, so a stolen device cookie still meets a lock. A token that is
 * not a live device of the account counts nothing, and answers alike whether the account exists.
 */
import { describe, expect, it } from 'vitest';
import { LOCKOUT_KIND } from '../../src/security/lockout.js';
import type { LoginFlowView } from '../../src/login/index.js';
import { ADMIN_PASSWORD, BOB_PASSWORD, HOUR, MINUTE, bobLogsIn, deskWithBob, resultOf } from '../sessions/_harness.js';
import { ADMIN_PHONE, lastSmsCode, type LoginHarness } from './_harness.js';

const DAY = 24 * HOUR;

/** start (with a device token) → identifier → password (with a device token): the view. */
async function login(
  h: LoginHarness,
  password: string,
  device: { atStart?: string; atPassword?: string } = {},
  identifier = 'bob@acme',
) {
  const { flowId } = await h.desk.login.start(
    device.atStart === undefined ? undefined : { deviceToken: device.atStart },
  );
  await h.desk.login.submitIdentifier({ flowId, identifier });
  return h.desk.login.submitPassword({
    flowId,
    password,
    ...(device.atPassword === undefined ? {} : { deviceToken: device.atPassword }),
  });
}

/** An anonymous stranger who knows only the login sends five wrong passwords: the account locks. */
async function strangerLocks(h: LoginHarness, identifier = 'bob@acme') {
  let last: LoginFlowView | undefined;
  for (let i = 0; i < 5; i++) last = await login(h, `stranger guess ${i}`, {}, identifier);
  expect(last?.state).toBe('locked');
}

/** The same token with one character of its secret changed. */
const forged = (token: string) => token.slice(0, -1) + (token.at(-1) === 'A' ? 'B' : 'A');

/** A view without what differs between any two flows. */
const shape = (view: LoginFlowView) => ({ ...view, flowId: '-', expiresAt: 0 });

describe('a remembered device passes the account lock', () => {
  it('the owner on his remembered device logs in every time while a stranger keeps the account locked', async () => {
    const { h } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    let ownerIn = 0;
    for (let round = 0; round < 24; round++) {
      await strangerLocks(h);
      h.clock.advance(10_000);
      const view = await login(h, BOB_PASSWORD, { atPassword: device.token });
      if (view.state === 'authenticated') ownerIn++;
      h.clock.advance(10 * MINUTE);
    }
    expect(ownerIn).toBe(24);
  });

  it('a remembered device given to start passes the lock too', async () => {
    const { h } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    await strangerLocks(h);
    const view = await login(h, BOB_PASSWORD, { atStart: device.token });
    expect(view.state).toBe('authenticated');
    expect(resultOf(view).amr).toEqual(['password']);
  });

  it('the right password without the device is still locked out while the account is locked', async () => {
    const { h } = await deskWithBob();
    await bobLogsIn(h, { rememberDevice: true });
    await strangerLocks(h);
    expect((await login(h, BOB_PASSWORD)).state).toBe('locked');
  });

  it("a stolen device cookie gets five wrong passwords, then the device's own lock", async () => {
    const { h } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    const views = [];
    for (let i = 0; i < 5; i++) views.push(await login(h, `thief guess ${i}`, { atPassword: device.token }));
    expect(views.map((v) => v.state)).toEqual([
      'awaiting_password',
      'awaiting_password',
      'awaiting_password',
      'awaiting_password',
      'locked',
    ]);
    expect(views[4]!.error).toEqual({ code: 'LOCKED', retryAfter: h.clock.now() + MINUTE });
    // Locked: not even the right password is checked on this device until the wait ends.
    expect((await login(h, BOB_PASSWORD, { atPassword: device.token })).state).toBe('locked');
    h.clock.advance(MINUTE);
    expect((await login(h, BOB_PASSWORD, { atPassword: device.token })).state).toBe('authenticated');
  });

  it("the device's wait doubles with each further wrong guess, like a client key's", async () => {
    const { h } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    for (let i = 0; i < 5; i++) await login(h, `thief guess ${i}`, { atPassword: device.token });
    h.clock.advance(MINUTE);
    const again = await login(h, 'thief guess 5', { atPassword: device.token });
    expect(again.error).toEqual({ code: 'LOCKED', retryAfter: h.clock.now() + 2 * MINUTE });
  });

  it("a device's lock is its own: the owner's other remembered device still logs in", async () => {
    const { h } = await deskWithBob();
    const stolen = (await bobLogsIn(h, { rememberDevice: true })).device!;
    const kept = (await bobLogsIn(h, { rememberDevice: true })).device!;
    for (let i = 0; i < 5; i++) await login(h, `thief guess ${i}`, { atPassword: stolen.token });
    expect((await login(h, BOB_PASSWORD, { atPassword: stolen.token })).state).toBe('locked');
    expect((await login(h, BOB_PASSWORD, { atPassword: kept.token })).state).toBe('authenticated');
  });

  it("a completed login on the device starts the device's count over", async () => {
    const { h } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    for (let i = 0; i < 4; i++) await login(h, `typo ${i}`, { atPassword: device.token });
    expect((await login(h, BOB_PASSWORD, { atPassword: device.token })).state).toBe('authenticated');
    for (let i = 0; i < 4; i++)
      expect((await login(h, `typo again ${i}`, { atPassword: device.token })).state).toBe('awaiting_password');
  });

  it('a password reset clears the account lock, and the devices it ends no longer pass any lock', async () => {
    const { h } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    await h.desk.accounts.requestPasswordReset({ identifier: 'bob@acme', channel: 'email' });
    await h.desk.dispatchOutbox();
    const mails = h.mailer.to('bob@acme.example');
    const token = /token=([A-Za-z0-9_-]+)/.exec(mails[mails.length - 1]!.text)![1]!;
    expect((await h.desk.accounts.resetPassword({ token, newPassword: 'bob brand new pass' })).ok).toBe(true);
    await strangerLocks(h);
    expect((await login(h, 'bob brand new pass', { atPassword: device.token })).state).toBe('locked');
  });
});

describe('a token that is not a live device of the account passes nothing', () => {
  it("another account's device, a forged, an expired or a forgotten device token does not pass the lock", async () => {
    const { h } = await deskWithBob();
    const bobDevice = (await bobLogsIn(h, { rememberDevice: true })).device!;
    // The main administrator's device.
    const { flowId } = await h.desk.login.start();
    await h.desk.login.submitIdentifier({ flowId, identifier: 'admin@acme' });
    await h.desk.login.submitPassword({ flowId, password: ADMIN_PASSWORD });
    const adminDone = await h.desk.login.submitCode({
      flowId,
      code: await lastSmsCode(h, ADMIN_PHONE),
      rememberDevice: true,
    });
    const adminDevice = adminDone.device!;

    await strangerLocks(h);
    expect((await login(h, BOB_PASSWORD, { atPassword: adminDevice.token })).state).toBe('locked');
    expect((await login(h, BOB_PASSWORD, { atStart: adminDevice.token })).state).toBe('locked');
    expect((await login(h, BOB_PASSWORD, { atPassword: forged(bobDevice.token) })).state).toBe('locked');
    expect((await login(h, BOB_PASSWORD, { atStart: forged(bobDevice.token) })).state).toBe('locked');
    // submitPassword's token wins over start's: a forged one there passes nothing.
    const mixed = await login(h, BOB_PASSWORD, { atStart: bobDevice.token, atPassword: forged(bobDevice.token) });
    expect(mixed.state).toBe('locked');

    // A forgotten device.
    const bobAuth = resultOf(await login(h, BOB_PASSWORD, { atPassword: bobDevice.token })).auth;
    const [listed] = await h.desk.sessions.devices(bobAuth);
    await h.desk.sessions.forgetDevice({ auth: bobAuth, deviceId: listed!.id });
    h.clock.advance(HOUR);
    await strangerLocks(h);
    expect((await login(h, BOB_PASSWORD, { atPassword: bobDevice.token })).state).toBe('locked');
  });

  it('an expired device does not pass the lock', async () => {
    const { h } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    h.clock.advance(30 * DAY);
    await strangerLocks(h);
    expect((await login(h, BOB_PASSWORD, { atPassword: device.token })).state).toBe('locked');
  });

  it("wrong guesses with another account's device count on the account, not on that device", async () => {
    const { h } = await deskWithBob();
    const bobDevice = (await bobLogsIn(h, { rememberDevice: true })).device!;
    // Five wrong admin passwords sent with bob's device: the admin account locks as without a device.
    const views = [];
    for (let i = 0; i < 5; i++) views.push(await login(h, `guess ${i}`, { atPassword: bobDevice.token }, 'admin@acme'));
    expect(views[4]!.state).toBe('locked');
    expect((await login(h, ADMIN_PASSWORD, {}, 'admin@acme')).state).toBe('locked');
    // Bob's device counted nothing of it.
    for (let i = 0; i < 4; i++)
      expect((await login(h, `typo ${i}`, { atPassword: bobDevice.token })).state).toBe('awaiting_password');
    expect((await login(h, BOB_PASSWORD, { atPassword: bobDevice.token })).state).toBe('authenticated');
  });

  it('a device token answers a locked unknown login and a locked account alike', async () => {
    const { h } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    // Unlocked: a wrong password with bob's device on a login nobody has, and on the admin's account.
    const unknown = await login(h, 'some password', { atPassword: device.token }, 'nobody@acme');
    const foreign = await login(h, 'some password', { atPassword: device.token }, 'admin@acme');
    expect(shape(unknown)).toEqual(shape(foreign));
    expect(unknown).toMatchObject({ state: 'awaiting_password', error: { code: 'WRONG_PASSWORD' } });
    // Locked: the same.
    await strangerLocks(h, 'nobody@acme');
    await strangerLocks(h, 'admin@acme');
    for (const token of [device.token, forged(device.token)]) {
      const lockedUnknown = await login(h, 'some password', { atPassword: token }, 'nobody@acme');
      const lockedForeign = await login(h, 'some password', { atPassword: token }, 'admin@acme');
      expect(lockedUnknown.state).toBe('locked');
      expect(shape(lockedUnknown)).toEqual(shape(lockedForeign));
    }
  });

  it('the device lock record holds no token', async () => {
    const { h } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    for (let i = 0; i < 5; i++) await login(h, `thief guess ${i}`, { atPassword: device.token });
    const records = await h.storage.list(LOCKOUT_KIND, { where: {}, limit: 100 });
    const stored = JSON.stringify(records);
    expect(stored).not.toContain(device.token.split('.')[1]!);
  });
});
