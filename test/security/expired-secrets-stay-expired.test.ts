import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/testing/manual-clock.js';
import {
  lastSmsCode,
  makeLoginDesk,
  makePersonal,
  resetLinkTo,
  toPassword,
  type LoginHarness,
} from '../login/_harness.js';

// A single-use secret found expired stays expired (docs/accounts.md): a clock stepped back
// afterwards (an NTP correction) does not make an activation link, a reset link or a login code
// acceptable again.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A desk whose clock may be stepped back; `base` moves forward as a ManualClock does. */
function steppingDesk(): { h: LoginHarness; base: ManualClock; stepBack: (ms: number) => void } {
  const base = new ManualClock('2026-03-02T09:00:00Z');
  let back = 0;
  const h = makeLoginDesk({ clock: { now: () => base.now() - back } });
  return {
    h,
    base,
    stepBack: (ms) => {
      back += ms;
    },
  };
}

describe('an expired single-use secret stays expired when the clock steps back', () => {
  it('an activation link', async () => {
    const { h, base, stepBack } = steppingDesk();
    const alice = await makePersonal(h);
    base.advance(24 * HOUR);
    expect(await h.desk.accounts.activate({ token: alice.token })).toMatchObject({ ok: false, code: 'TOKEN_EXPIRED' });
    stepBack(HOUR);
    expect(await h.desk.accounts.activate({ token: alice.token })).toMatchObject({ ok: false, code: 'TOKEN_EXPIRED' });
  });

  it('a password-reset link', async () => {
    const { h, base, stepBack } = steppingDesk();
    const alice = await makePersonal(h);
    await h.desk.accounts.activate({ token: alice.token });
    const token = await resetLinkTo(h, alice.email);
    base.advance(HOUR);
    const input = { token, newPassword: 'a brand new passphrase' };
    expect(await h.desk.accounts.resetPassword(input)).toMatchObject({ ok: false, code: 'TOKEN_EXPIRED' });
    stepBack(10 * MINUTE);
    expect(await h.desk.accounts.resetPassword(input)).toMatchObject({ ok: false, code: 'TOKEN_EXPIRED' });
  });

  it('a login code', async () => {
    const { h, base, stepBack } = steppingDesk();
    const phone = '+36305550177';
    const alice = await makePersonal(h, { phone });
    await h.desk.accounts.activate({ token: alice.token });
    const view = await toPassword(h, 'alice', alice.password);
    expect(view.state).toBe('awaiting_code');
    const code = await lastSmsCode(h, phone);
    base.advance(5 * MINUTE);
    const late = await h.desk.login.submitCode({ flowId: view.flowId, code });
    expect(late.error).toMatchObject({ code: 'CODE_EXPIRED' });
    stepBack(MINUTE);
    const again = await h.desk.login.submitCode({ flowId: view.flowId, code });
    expect(again.state).not.toBe('authenticated');
    expect(again.error).toMatchObject({ code: 'CODE_EXPIRED' });
  });
});
