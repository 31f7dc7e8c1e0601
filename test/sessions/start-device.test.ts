import { describe, expect, it } from 'vitest';
import { LOGIN_FLOW_KIND } from '../../src/login/service.js';
import {
  ADMIN_PASSWORD,
  BOB_PASSWORD,
  BOB_PHONE,
  HOUR,
  bobLogsIn,
  deskWithBob,
  resultOf,
  type LoginHarness,
} from './_harness.js';

const DAY = 24 * HOUR;

/** start (with what is given) → identifier → password (with what is given): the view. */
async function loginWith(
  h: LoginHarness,
  start: { deviceToken?: string },
  password: { deviceToken?: string } = {},
  identifier = 'bob@acme',
  secret = BOB_PASSWORD,
) {
  const { flowId } = await h.desk.login.start(start);
  await h.desk.login.submitIdentifier({ flowId, identifier });
  return h.desk.login.submitPassword({ flowId, password: secret, ...password });
}

/** The same token with one character of its secret changed. */
const rewritten = (token: string) => token.slice(0, -1) + (token.at(-1) === 'A' ? 'B' : 'A');

describe('login.start({ deviceToken })', () => {
  it('a remembered device given to start skips the SMS code, as at submitPassword', async () => {
    const { h } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    await h.desk.dispatchOutbox();
    const smsBefore = h.sms.to(BOB_PHONE).length;
    const view = await loginWith(h, { deviceToken: device.token });
    expect(view.state).toBe('authenticated');
    expect(resultOf(view).amr).toEqual(['password']);
    await h.desk.dispatchOutbox();
    expect(h.sms.to(BOB_PHONE)).toHaveLength(smsBefore);
  });

  it('keeps only the MAC of the token with the flow, never the token', async () => {
    const { h } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    const { flowId } = await h.desk.login.start({ deviceToken: device.token });
    const stored = JSON.stringify(await h.storage.load(LOGIN_FLOW_KIND, flowId));
    expect(stored).not.toContain(device.token.split('.')[1]!);
    expect(stored).toContain(device.token.split('.')[0]!);
  });

  it("submitPassword's token wins over start's when both are given", async () => {
    const { h } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    const forged = rewritten(device.token);
    expect((await loginWith(h, { deviceToken: device.token }, { deviceToken: forged })).state).toBe('awaiting_code');
    expect((await loginWith(h, { deviceToken: forged }, { deviceToken: device.token })).state).toBe('authenticated');
  });

  it('a forged, malformed, foreign or expired token given to start does not skip the code', async () => {
    const { h } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    expect((await loginWith(h, { deviceToken: rewritten(device.token) })).state).toBe('awaiting_code');
    expect((await loginWith(h, { deviceToken: 'dev_nonsense' })).state).toBe('awaiting_code');
    // Bob's device is not the main administrator's.
    const admin = await loginWith(h, { deviceToken: device.token }, {}, 'admin@acme', ADMIN_PASSWORD);
    expect(admin.state).toBe('awaiting_code');
    h.clock.advance(30 * DAY);
    expect((await loginWith(h, { deviceToken: device.token })).state).toBe('awaiting_code');
  });

  it('a wrong password with a remembered device given to start is still a wrong password', async () => {
    const { h } = await deskWithBob();
    const device = (await bobLogsIn(h, { rememberDevice: true })).device!;
    const view = await loginWith(h, { deviceToken: device.token }, {}, 'bob@acme', 'not the passphrase');
    expect(view).toMatchObject({ state: 'awaiting_password', error: { code: 'WRONG_PASSWORD' } });
  });
});
