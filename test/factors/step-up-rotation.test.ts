import { describe, expect, it } from 'vitest';
import { lastSmsCode, resultOf } from '../login/_harness.js';
import { ALICE_PHONE, currentTotp, makeFactorDesk, signedInAlice } from './_harness.js';

// A thief with the owner's password and a remembered-device cookie logs in without a code (the
// device skips it) as often as he likes. Step-up must still hold him to five wrong codes and the
// doubling wait, not five per fresh session.

describe('step-up guesses over fresh sessions', () => {
  it('a thief rotating sessions with a stolen device cookie gets five wrong app codes in all, then waits', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { factor, totp } = await h.desk.factors.enrol({ auth: alice.auth, type: 'totp' });
    await h.desk.factors.confirm({ auth: alice.auth, factorId: factor.id, code: await currentTotp(h, totp!.secret) });
    h.clock.advance(30_000);
    const { flowId } = await h.desk.login.start();
    await h.desk.login.submitIdentifier({ flowId, identifier: 'alice' });
    let view = await h.desk.login.submitPassword({ flowId, password: alice.password });
    if (view.state === 'awaiting_factor')
      view = await h.desk.login.chooseFactor({ flowId, factorId: view.factors![0]!.id });
    const done = await h.desk.login.submitCode({
      flowId,
      code: await lastSmsCode(h, ALICE_PHONE),
      rememberDevice: true,
    });
    const deviceToken = done.device!.token;
    const right = await currentTotp(h, totp!.secret);
    const wrongCode = (i: number) => (String(i).padStart(6, '0') === right ? '999999' : String(i).padStart(6, '0'));

    let wrong = 0;
    let lockedStarts = 0;
    for (let round = 0; round < 6; round++) {
      const f = await h.desk.login.start({ deviceToken });
      await h.desk.login.submitIdentifier({ flowId: f.flowId, identifier: 'alice' });
      const signedIn = await h.desk.login.submitPassword({ flowId: f.flowId, password: alice.password, deviceToken });
      expect(signedIn.state).toBe('authenticated');
      const auth = resultOf(signedIn).auth;
      for (;;) {
        const stepUp = await h.desk.login.startStepUp({ auth, method: 'totp' });
        if (stepUp.state === 'locked') {
          lockedStarts++;
          break;
        }
        const answer = await h.desk.login.submitCode({ flowId: stepUp.flowId, code: wrongCode(wrong) });
        wrong++;
        if (answer.state === 'locked') break;
      }
    }
    expect(wrong).toBe(5);
    expect(lockedStarts).toBeGreaterThanOrEqual(5);
  });
});
