/**
 * What a completed lost-factor recovery ends: the login flows that got past their password before
 * it, the lost factor itself (a lost mailbox gets no login code), and every lock on the account.
 */
import { describe, expect, it } from 'vitest';
import { resultOf, toPassword } from '../login/_harness.js';
import { ENCRYPTION_KEY, lastMailedCode, signedInAlice } from '../factors/_harness.js';
import { isHelpdeskError } from '../../src/errors.js';
import { FACTOR_SET_KIND } from '../../src/factors/factor-record.js';
import {
  ALICE_PHONE,
  HOUR,
  approvedCase,
  lastSmsCode,
  makeAlice,
  makeRecoveryDesk,
  outboxTo,
  recoveredCase,
} from './_harness.js';

const withEncryption = () =>
  makeRecoveryDesk({ secrets: { pepper: 'test-pepper-of-at-least-32-bytes!', encryptionKey: ENCRYPTION_KEY } });

describe('a completed recovery ends the login flows started before it', () => {
  it('a login flow at the code step when the recovery completes fails at its next code, and the lost phone stays removed', async () => {
    const h = makeRecoveryDesk({ policy: { recovery: { waitingPeriod: 60_000 } } });
    const alice = await makeAlice(h);
    const opened = await approvedCase(h, { lostFactor: 'phone' });
    const thief = await toPassword(h, 'alice', alice.password);
    const code = await lastSmsCode(h, ALICE_PHONE);
    h.clock.advance(60_000);
    await h.desk.runDueTimers();
    expect((await h.desk.recovery.get(opened.caseId)).status).toBe('completed');
    const done = await h.desk.login.submitCode({ flowId: thief.flowId, code });
    expect(done).toMatchObject({ state: 'failed', error: { code: 'WRONG_PASSWORD' } });
    expect(done.session).toBeUndefined();
    expect(await h.desk.accounts.getAccount(alice.accountId)).toMatchObject({ phone: null, mustEnrolFactor: true });
  });
});

describe('a lost mailbox is no second factor', () => {
  it('after a lost-email recovery the email factor is gone and no login code is mailed to the lost address', async () => {
    const h = withEncryption();
    const alice = await signedInAlice(h);
    const enrol = await h.desk.factors.enrol({ auth: alice.auth, type: 'email' });
    const confirmCode = await lastMailedCode(h, alice.email);
    expect((await h.desk.factors.confirm({ auth: alice.auth, factorId: enrol.factor.id, code: confirmCode })).ok).toBe(
      true,
    );
    await recoveredCase(h, { lostFactor: 'email' });

    // The phone on record is the factor left: its SMS code, no enrolment.
    const first = await toPassword(h, 'alice', alice.password);
    expect(first.state).toBe('awaiting_code');
    const auth = resultOf(
      await h.desk.login.submitCode({ flowId: first.flowId, code: await lastSmsCode(h, ALICE_PHONE) }),
    ).auth;
    expect((await h.desk.factors.list({ auth })).map((f) => f.type)).not.toContain('email');

    h.clock.advance(HOUR);
    const mailedBefore = (await outboxTo(h, alice.email)).filter((m) => m.template === 'factor.email_code').length;
    const second = await toPassword(h, 'alice', alice.password);
    expect(second.state).toBe('awaiting_code'); // the phone alone: straight to its SMS code
    expect(second.factors ?? []).toEqual([]);
    const stepUp = await h.desk.login.startStepUp({ auth, method: 'email' }).catch((e: unknown) => e);
    expect(isHelpdeskError(stepUp, 'STEP_NOT_ALLOWED')).toBe(true);
    const mailedAfter = (await outboxTo(h, alice.email)).filter((m) => m.template === 'factor.email_code').length;
    expect(mailedAfter).toBe(mailedBefore);
  });

  it('an email factor left on an account recovered before this release gets no code while the address is unverified', async () => {
    const h = withEncryption();
    const alice = await signedInAlice(h);
    const enrol = await h.desk.factors.enrol({ auth: alice.auth, type: 'email' });
    const confirmCode = await lastMailedCode(h, alice.email);
    await h.desk.factors.confirm({ auth: alice.auth, factorId: enrol.factor.id, code: confirmCode });
    const enrolled = await h.storage.load(FACTOR_SET_KIND, alice.accountId);
    await recoveredCase(h, { lostFactor: 'email' });
    // As a recovery completed by an older release left it: the email factor still stored.
    const now = await h.storage.load(FACTOR_SET_KIND, alice.accountId);
    const restored = await h.storage.commit({
      writes: [
        {
          kind: FACTOR_SET_KIND,
          id: alice.accountId,
          expectedVersion: now!.version,
          state: enrolled!.state,
          nextDueAt: null,
        },
      ],
      history: [],
      outbox: [],
      idempotency: [],
    });
    expect(restored).not.toBeNull();

    const first = await toPassword(h, 'alice', alice.password);
    const auth = resultOf(
      await h.desk.login.submitCode({ flowId: first.flowId, code: await lastSmsCode(h, ALICE_PHONE) }),
    ).auth;
    h.clock.advance(HOUR);
    const second = await toPassword(h, 'alice', alice.password);
    expect(second.state).toBe('awaiting_code');
    expect((second.factors ?? []).map((f) => f.type)).not.toContain('email');
    const stepUp = await h.desk.login.startStepUp({ auth, method: 'email' }).catch((e: unknown) => e);
    expect(isHelpdeskError(stepUp, 'STEP_NOT_ALLOWED')).toBe(true);
  });
});
