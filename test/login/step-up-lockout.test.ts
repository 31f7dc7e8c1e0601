/**
 * DESIGN §5: the lockout never locks out the owner. A step-up starts from a live session of the
 * account: it passes the account's lock (which strangers can raise knowing only the login), and
 * counts its own wrong codes under that session, so five wrong step-up codes still lock that
 * session's step-up.
 */
import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../../src/accounts/principal.js';
import { LOCKOUT_KIND } from '../../src/security/lockout.js';
import {
  BOB_PASSWORD,
  BOB_PHONE,
  MINUTE,
  bobLogsIn,
  deskWithBob,
  lastSmsCode,
  otherCode,
  resultOf,
  type LoginHarness,
} from '../sessions/_harness.js';

async function attempt(h: LoginHarness, password: string) {
  const { flowId } = await h.desk.login.start();
  await h.desk.login.submitIdentifier({ flowId, identifier: 'bob@acme' });
  return h.desk.login.submitPassword({ flowId, password });
}

/** An anonymous stranger who knows only the login sends five wrong passwords: the account locks. */
async function strangerLocks(h: LoginHarness) {
  for (let i = 0; i < 5; i++) await attempt(h, `stranger guess ${i}`);
  expect((await attempt(h, BOB_PASSWORD)).state).toBe('locked');
}

async function signedInBob(h: LoginHarness): Promise<AuthContext> {
  return resultOf(await bobLogsIn(h)).auth;
}

/** A step-up of `auth` and five wrong codes: the views of the five. */
async function fiveWrongCodes(h: LoginHarness, auth: AuthContext) {
  const stepUp = await h.desk.login.startStepUp({ auth });
  expect(stepUp.state).toBe('awaiting_code');
  const wrong = otherCode(await lastSmsCode(h, BOB_PHONE));
  const views = [];
  for (let i = 0; i < 5; i++) views.push(await h.desk.login.submitCode({ flowId: stepUp.flowId, code: wrong }));
  return views;
}

describe("a stranger's lock does not block the signed-in owner's step-up", () => {
  it("the signed-in owner steps up while a stranger's wrong passwords keep the account locked", async () => {
    const { h } = await deskWithBob();
    const auth = await signedInBob(h);
    h.clock.advance(30 * MINUTE);
    await strangerLocks(h);
    const stepUp = await h.desk.login.startStepUp({ auth });
    expect(stepUp).toMatchObject({ state: 'awaiting_code', error: null });
    const done = await h.desk.login.submitCode({ flowId: stepUp.flowId, code: await lastSmsCode(h, BOB_PHONE) });
    expect(resultOf(done).amr).toEqual(['password', 'sms']);
    expect(resultOf(done).auth.sessionId).toBe(auth.sessionId);
  });

  it('a lock raised between the step-up start and its code does not stop the code either', async () => {
    const { h } = await deskWithBob();
    const auth = await signedInBob(h);
    const stepUp = await h.desk.login.startStepUp({ auth });
    await strangerLocks(h);
    const done = await h.desk.login.submitCode({ flowId: stepUp.flowId, code: await lastSmsCode(h, BOB_PHONE) });
    expect(done.state).toBe('authenticated');
  });
});

describe("a step-up's wrong codes lock that session's step-up", () => {
  it("five wrong step-up codes lock that session's step-up until the wait ends", async () => {
    const { h } = await deskWithBob();
    const auth = await signedInBob(h);
    const views = await fiveWrongCodes(h, auth);
    expect(views.map((v) => v.state)).toEqual([
      'awaiting_code',
      'awaiting_code',
      'awaiting_code',
      'awaiting_code',
      'locked',
    ]);
    expect(views[4]!.error).toEqual({ code: 'LOCKED', retryAfter: h.clock.now() + MINUTE });
    // A new step-up from the same session is locked at once, no code sent.
    await h.desk.dispatchOutbox();
    const sent = h.sms.to(BOB_PHONE).length;
    const again = await h.desk.login.startStepUp({ auth });
    expect(again).toMatchObject({ state: 'locked', error: { code: 'LOCKED', retryAfter: h.clock.now() + MINUTE } });
    await h.desk.dispatchOutbox();
    expect(h.sms.to(BOB_PHONE)).toHaveLength(sent);
    h.clock.advance(MINUTE);
    expect((await h.desk.login.startStepUp({ auth })).state).toBe('awaiting_code');
  });

  it('the step-up lock is the account’s: a fresh session gets no fresh guesses', async () => {
    const { h } = await deskWithBob();
    const first = await signedInBob(h);
    await fiveWrongCodes(h, first);
    expect((await h.desk.login.startStepUp({ auth: first })).state).toBe('locked');
    // Whoever holds the password (and a remembered device, which skips the code) can open new
    // sessions at will: each must not bring five more guesses.
    const second = await signedInBob(h);
    expect((await h.desk.login.startStepUp({ auth: second })).state).toBe('locked');
    h.clock.advance(MINUTE);
    const stepUp = await h.desk.login.startStepUp({ auth: second });
    expect(stepUp.state).toBe('awaiting_code');
    const done = await h.desk.login.submitCode({ flowId: stepUp.flowId, code: await lastSmsCode(h, BOB_PHONE) });
    expect(done.state).toBe('authenticated');
  });

  it('wrong step-up codes spread over flows of one session still lock it, and the wait doubles', async () => {
    const { h } = await deskWithBob();
    const auth = await signedInBob(h);
    for (let flow = 0; flow < 5; flow++) {
      const stepUp = await h.desk.login.startStepUp({ auth });
      expect(stepUp.state).toBe('awaiting_code');
      await h.desk.login.submitCode({ flowId: stepUp.flowId, code: otherCode(await lastSmsCode(h, BOB_PHONE)) });
      h.clock.advance(31_000);
    }
    expect((await h.desk.login.startStepUp({ auth })).state).toBe('locked');
    h.clock.advance(MINUTE);
    const stepUp = await h.desk.login.startStepUp({ auth });
    const last = await h.desk.login.submitCode({
      flowId: stepUp.flowId,
      code: otherCode(await lastSmsCode(h, BOB_PHONE)),
    });
    expect(last.error).toEqual({ code: 'LOCKED', retryAfter: h.clock.now() + 2 * MINUTE });
  });

  it("a completed step-up starts the session's count over", async () => {
    const { h } = await deskWithBob();
    const auth = await signedInBob(h);
    const stepUp = await h.desk.login.startStepUp({ auth });
    const code = await lastSmsCode(h, BOB_PHONE);
    for (let i = 0; i < 4; i++) await h.desk.login.submitCode({ flowId: stepUp.flowId, code: otherCode(code) });
    expect((await h.desk.login.submitCode({ flowId: stepUp.flowId, code })).state).toBe('authenticated');
    h.clock.advance(31_000);
    const views = await fiveWrongCodes(h, auth);
    expect(views.slice(0, 4).map((v) => v.state)).toEqual(Array(4).fill('awaiting_code'));
  });

  it('the step-up lock record holds no session id', async () => {
    const { h } = await deskWithBob();
    const auth = await signedInBob(h);
    await fiveWrongCodes(h, auth);
    const records = await h.storage.list(LOCKOUT_KIND, { where: {}, limit: 100 });
    expect(records.length).toBeGreaterThan(0);
    expect(JSON.stringify(records)).not.toContain(auth.sessionId!);
  });
});
