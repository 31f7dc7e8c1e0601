import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultLoginPolicy } from '../../src/login/policy.js';
import {
  emptyLockout,
  lockedUntil,
  lockoutEndedAt,
  recordFailure,
  recordSuccess,
  rememberClient,
} from '../../src/security/lockout.js';
import {
  BOB_PASSWORD,
  BOB_PHONE,
  MINUTE,
  SECOND,
  lastSmsCode,
  makeAcmeWithBob,
  makeLoginDesk,
  otherCode,
  toPassword,
} from './_harness.js';

describe('lockout rules (pure)', () => {
  it('locks at the 5th consecutive failure for 1 min, then doubles per failure up to 15 min', () => {
    let state = { ...emptyLockout };
    const waits: number[] = [];
    for (let i = 1; i <= 10; i++) {
      state = recordFailure(state, 0, defaultLoginPolicy);
      waits.push((lockedUntil(state, 0) ?? 0) / MINUTE);
    }
    expect(waits).toEqual([0, 0, 0, 0, 1, 2, 4, 8, 15, 15]);
    expect(recordSuccess()).toEqual(emptyLockout);
  });

  it('for retention, a lockout ends no earlier than its last failure and its lock, and never while it knows a client', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('fail' as const), gap: fc.integer({ min: 0, max: 3 * 60 * MINUTE }) }),
      fc.record({ kind: fc.constant('succeed' as const), client: fc.option(fc.constantFrom('c1', 'c2')) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        let state = { ...emptyLockout };
        let now = 0;
        let lastFailure: number | null = null;
        for (const s of steps) {
          if (s.kind === 'fail') {
            now += s.gap;
            state = recordFailure(state, now, defaultLoginPolicy);
            lastFailure = now;
          } else {
            state = s.client === null ? recordSuccess(state) : rememberClient(recordSuccess(state), s.client);
            lastFailure = null;
          }
        }
        const ended = lockoutEndedAt(state);
        if ((state.knownClients ?? []).length > 0) return ended === null;
        if (lastFailure === null) return ended === 0; // reset by a completed login: nothing to keep
        return ended !== null && ended >= lastFailure && ended >= (state.lockedUntil ?? 0);
      }),
    );
  });
});

describe('account lockout across flows', () => {
  async function failFiveTimes(h: ReturnType<typeof makeLoginDesk>, identifier = 'bob@acme') {
    const view = await h.desk.login.start();
    await h.desk.login.submitIdentifier({ flowId: view.flowId, identifier });
    let last = view;
    for (let i = 0; i < 5; i++)
      last = await h.desk.login.submitPassword({ flowId: view.flowId, password: `wrong ${i}` });
    return last;
  }

  it('the 5th wrong password locks the account for 1 minute; the view says locked with retryAfter', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const locked = await failFiveTimes(h);
    expect(locked).toMatchObject({ state: 'locked', error: { code: 'LOCKED', retryAfter: h.clock.now() + MINUTE } });
  });

  it('a new flow does not reset it: the right password at TTL−1 s is still locked, at TTL+1 s it works', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    await failFiveTimes(h);
    h.clock.advance(MINUTE - SECOND);
    expect((await toPassword(h, 'bob@acme', BOB_PASSWORD)).state).toBe('locked');
    h.clock.advance(2 * SECOND);
    expect((await toPassword(h, 'bob@acme', BOB_PASSWORD)).state).toBe('awaiting_code');
  });

  it('doubles the wait with every further failure, up to 15 minutes, until a completed login resets it', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    await failFiveTimes(h);
    for (const wait of [2, 4, 8, 15, 15]) {
      h.clock.advance(16 * MINUTE);
      const view = await toPassword(h, 'bob@acme', 'still wrong');
      expect(view.error).toEqual({ code: 'LOCKED', retryAfter: h.clock.now() + wait * MINUTE });
    }
    h.clock.advance(16 * MINUTE);
    const view = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    await h.desk.login.submitCode({ flowId: view.flowId, code: await lastSmsCode(h, BOB_PHONE) });
    // Reset: four failures are fine again, the fifth locks for 1 minute.
    const fresh = await failFiveTimes(h);
    expect(fresh.error).toEqual({ code: 'LOCKED', retryAfter: h.clock.now() + MINUTE });
  });

  it('wrong codes count too, and a right password alone does not reset the count', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const view = await toPassword(h, 'bob@acme', 'wrong 1');
    const coded = await h.desk.login.submitPassword({ flowId: view.flowId, password: BOB_PASSWORD });
    expect(coded.state).toBe('awaiting_code');
    const right = await lastSmsCode(h, BOB_PHONE);
    for (let i = 0; i < 3; i++) await h.desk.login.submitCode({ flowId: view.flowId, code: otherCode(right) });
    const fifth = await h.desk.login.submitCode({ flowId: view.flowId, code: otherCode(right) });
    expect(fifth).toMatchObject({ state: 'locked', error: { code: 'LOCKED' } });
  });

  it('a lock raised in one flow stops the code step of another flow', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const waiting = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    const right = await lastSmsCode(h, BOB_PHONE);
    await failFiveTimes(h);
    const view = await h.desk.login.submitCode({ flowId: waiting.flowId, code: right });
    expect(view).toMatchObject({ state: 'locked', error: { code: 'LOCKED' } });
  });

  it('never applies to forgotten-password requests', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    await failFiveTimes(h);
    await h.desk.accounts.requestPasswordReset({ identifier: 'bob@acme', channel: 'email' });
    await h.desk.dispatchOutbox();
    expect(h.mailer.to('bob@acme.example').at(-1)?.text).toMatch(/token=/);
  });
});
