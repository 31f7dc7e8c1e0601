/**
 * Attacks on the login module that a security review found (parallel guesses against the
 * lockout, SMS pumping through phone login, racing password changes, enumeration through the
 * flow history, reuse of a temporary password). Each test failed before its fix.
 */
import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { LOCKOUT_KIND, type LockoutState } from '../../src/security/lockout.js';
import type { PasswordHasher } from '../../src/ports/password-hasher.js';
import type { RandomSource } from '../../src/ports/random-source.js';
import type { Commit, Storage } from '../../src/ports/storage.js';
import { seededRandom } from '../security/fake-random.js';
import {
  BOB_PASSWORD,
  BOB_PHONE,
  DESK_PHONE,
  HOUR,
  MINUTE,
  controllableStorage,
  fastHasher,
  lastSmsCode,
  lastTemporaryPassword,
  makeAcme,
  makeAcmeWithBob,
  makeLoginDesk,
  makePersonal,
  otherCode,
  resultOf,
  stepOf,
  toPassword,
  type LoginHarness,
} from './_harness.js';

/** A hasher that counts how often each password is verified. */
function countingHasher(): PasswordHasher & { verified: Map<string, number> } {
  const verified = new Map<string, number>();
  return {
    verified,
    hash: (password) => fastHasher.hash(password),
    verify: (password, stored) => {
      verified.set(password, (verified.get(password) ?? 0) + 1);
      return fastHasher.verify(password, stored);
    },
  };
}

const writesLockout = (c: Commit) => c.writes.some((w) => w.kind === LOCKOUT_KIND);

async function lockoutOf(storage: Storage, key: string): Promise<LockoutState | null> {
  return ((await storage.load(LOCKOUT_KIND, key))?.state as unknown as LockoutState | undefined) ?? null;
}

/** A flow of `identifier` waiting for its password. */
async function atPassword(h: LoginHarness, identifier: string) {
  const { flowId } = await h.desk.login.start();
  await h.desk.login.submitIdentifier({ flowId, identifier });
  return flowId;
}

describe('parallel guesses cannot get around the lockout', () => {
  it('a right password whose commit comes after 5 wrong ones were committed answers locked, not authenticated', async () => {
    const control = controllableStorage();
    const hasher = countingHasher();
    const h = makeLoginDesk({ storage: control.storage, passwordHasher: hasher });
    const alice = await makePersonal(h); // no phone: the right password alone logs in
    await h.desk.accounts.activate({ token: alice.token });
    const right = await atPassword(h, alice.username);
    const wrongFlows = [];
    for (let i = 0; i < 5; i++) wrongFlows.push(await atPassword(h, alice.username));

    // The right guess reads the lockout (no failures), checks the password, and reaches its
    // commit; meanwhile five wrong guesses in other flows commit and lock the account.
    const held = control.hold(stepOf(right, 'login.password'));
    const rightAnswer = h.desk.login.submitPassword({ flowId: right, password: alice.password });
    await held.reached;
    for (const flowId of wrongFlows) await h.desk.login.submitPassword({ flowId, password: 'not her password' });
    held.release();

    const view = await rightAnswer;
    expect(view.result).toBeUndefined();
    expect(view).toMatchObject({ state: 'locked', error: { code: 'LOCKED' } });
    // The re-run after the lost race did not hash the password again.
    expect(hasher.verified.get(alice.password)).toBe(1);
  });

  it('a right code whose commit comes after 5 wrong codes in other phone-login flows answers locked', async () => {
    const control = controllableStorage();
    const h = makeLoginDesk({ storage: control.storage });
    const { adminAuth } = await makeAcme(h);
    await h.desk.accounts.registerPhoneNumber({ auth: adminAuth, phone: DESK_PHONE, permissions: ['tickets.read'] });
    const right = await h.desk.login.startPhoneLogin({ number: DESK_PHONE });
    const code = await lastSmsCode(h, DESK_PHONE);
    const others = [];
    for (let i = 0; i < 5; i++) others.push(await h.desk.login.startPhoneLogin({ number: DESK_PHONE }));

    const held = control.hold(stepOf(right.flowId, 'login.code'));
    const rightAnswer = h.desk.login.submitCode({ flowId: right.flowId, code });
    await held.reached;
    for (const other of others) await h.desk.login.submitCode({ flowId: other.flowId, code: otherCode(code) });
    held.release();

    const view = await rightAnswer;
    expect(view.result).toBeUndefined();
    expect(view).toMatchObject({ state: 'locked', error: { code: 'LOCKED' } });
  });

  it('a burst of parallel guesses across many flows locks, never authenticates, and never throws', async () => {
    const hasher = countingHasher();
    const control = controllableStorage();
    const h = makeLoginDesk({ storage: control.storage, passwordHasher: hasher });
    const alice = await makePersonal(h);
    const activated = await h.desk.accounts.activate({ token: alice.token });
    if (!activated.ok) throw new Error('activation failed');
    const flows = [];
    for (let i = 0; i < 40; i++) flows.push(await atPassword(h, alice.username));
    const right = flows.pop()!;
    const held = control.hold(stepOf(right, 'login.password'));
    const rightAnswer = h.desk.login.submitPassword({ flowId: right, password: alice.password });
    await held.reached;
    const wrong = await Promise.allSettled(
      flows.map((flowId, i) => h.desk.login.submitPassword({ flowId, password: `wrong guess ${i}` })),
    );
    held.release();
    const answers = [...wrong, await Promise.allSettled([rightAnswer]).then(([a]) => a!)];

    expect(answers.filter((a) => a.status === 'rejected')).toEqual([]);
    const views = answers.map((a) => (a.status === 'fulfilled' ? a.value : null));
    expect(views.some((v) => v?.result !== undefined)).toBe(false);
    for (const v of views) expect(['awaiting_password', 'locked']).toContain(v?.state);
    expect(views.at(-1)).toMatchObject({ state: 'locked' });
    const lockout = await lockoutOf(control.storage, `account:${activated.accountId}`);
    expect(lockout?.failures).toBeGreaterThanOrEqual(5);
    expect(lockout?.lockedUntil).toBeGreaterThan(h.clock.now());
    // The lock taken in parallel holds: the right password in a new flow is refused.
    expect((await toPassword(h, alice.username, alice.password)).state).toBe('locked');
    // Every guess hashed at most once, whatever its retries.
    for (const count of hasher.verified.values()) expect(count).toBe(1);
  });

  it('a step that keeps losing the race on the lockout record ends its flow locked instead of throwing VERSION_CONFLICT', async () => {
    const control = controllableStorage();
    const hasher = countingHasher();
    const h = makeLoginDesk({ storage: control.storage, passwordHasher: hasher });
    await makeAcmeWithBob(h);
    const wrongFlow = await atPassword(h, 'bob@acme');
    const rightFlow = await atPassword(h, 'bob@acme');
    const before = hasher.verified.get(BOB_PASSWORD) ?? 0;
    control.refuse(writesLockout);
    const wrong = await h.desk.login.submitPassword({ flowId: wrongFlow, password: 'a wrong guess' });
    const right = await h.desk.login.submitPassword({ flowId: rightFlow, password: BOB_PASSWORD });
    control.refuse(null);
    for (const view of [wrong, right]) {
      expect(view).toMatchObject({ state: 'locked', error: { code: 'LOCKED', retryAfter: h.clock.now() + MINUTE } });
    }
    // 8 attempts each, one hash each.
    expect(hasher.verified.get('a wrong guess')).toBe(1);
    expect(hasher.verified.get(BOB_PASSWORD)).toBe(before + 1);
    // Nothing was counted against the account while the lockout record was out of reach.
    expect((await toPassword(h, 'bob@acme', BOB_PASSWORD)).state).toBe('awaiting_code');
  });
});

describe('anonymous phone-login requests cannot spend an account’s login SMS', () => {
  it('10 phone-login requests for bob’s number leave bob’s password + SMS login its code', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    for (let i = 0; i < 10; i++) {
      const view = await h.desk.login.startPhoneLogin({ number: BOB_PHONE });
      expect(view.error).toBeNull();
    }
    expect((await h.desk.login.startPhoneLogin({ number: BOB_PHONE })).error).toMatchObject({ code: 'SMS_LIMIT' });
    const view = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    expect(view).toMatchObject({ state: 'awaiting_code', error: null });
    const code = await lastSmsCode(h, BOB_PHONE);
    expect((await h.desk.login.submitCode({ flowId: view.flowId, code })).state).toBe('authenticated');
  });

  it('accounts sharing one number stop at the per-number ceiling (3 × smsPerNumber)', async () => {
    const h = makeLoginDesk({ policy: { login: { smsPerNumber: 2 } } });
    const phone = '+36 30 999 0000';
    const users = [];
    for (const username of ['ann', 'ben', 'cid', 'dan']) {
      const user = await makePersonal(h, { username, phone });
      await h.desk.accounts.activate({ token: user.token });
      users.push(user);
    }
    // ann, ben and cid each use their own budget of 2: 6 SMS to the number, the ceiling.
    for (const user of users.slice(0, 3)) {
      for (let i = 0; i < 2; i++) expect((await toPassword(h, user.username, user.password)).error).toBeNull();
      expect((await toPassword(h, user.username, user.password)).error).toMatchObject({ code: 'SMS_LIMIT' });
    }
    const dan = users[3]!;
    expect((await toPassword(h, dan.username, dan.password)).error).toMatchObject({ code: 'SMS_LIMIT' });
    await h.desk.dispatchOutbox();
    expect(h.sms.to('+36309990000')).toHaveLength(6);
  });
});

describe('a refused changePassword does not change the password', () => {
  it('two concurrent changePassword calls on one flow: exactly one password is set, the one of the call that succeeded', async () => {
    const h = makeLoginDesk();
    const { bob } = await makeAcme(h);
    const temporary = await lastTemporaryPassword(h, 'bob@acme.example');
    const view = await toPassword(h, 'bob@acme', temporary);
    await h.desk.login.submitCode({ flowId: view.flowId, code: await lastSmsCode(h, BOB_PHONE) });
    const passwords = ['first new passphrase', 'second new passphrase'];
    const answers = await Promise.allSettled(
      passwords.map((newPassword) => h.desk.login.changePassword({ flowId: view.flowId, newPassword })),
    );
    const winners = passwords.filter((_, i) => answers[i]!.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const loser = answers.find((a) => a.status === 'rejected');
    expect(loser?.status === 'rejected' && isHelpdeskError(loser.reason, 'STEP_NOT_ALLOWED')).toBe(true);
    const history = await h.desk.accounts.accountHistory(bob.id);
    expect(history.filter((e) => e.type === 'account.password_changed')).toHaveLength(1);
    h.clock.advance(HOUR);
    const winner = winners[0]!;
    const other = passwords.find((p) => p !== winner)!;
    expect((await toPassword(h, 'bob@acme', other)).error).toEqual({ code: 'WRONG_PASSWORD' });
    expect((await toPassword(h, 'bob@acme', winner)).state).toBe('awaiting_code');
  });
});

/** A random source whose sequence can be restarted, so two desks draw the same flow ids. */
function resettableRandom(): RandomSource & { reset(): void } {
  let inner = seededRandom(11);
  return { fill: (bytes) => inner.fill(bytes), reset: () => void (inner = seededRandom(11)) };
}

describe('the flow history does not tell whether an identifier exists', () => {
  it('known and unknown identifiers give deep-equal histories up to the password step', async () => {
    const run = async (identifier: string) => {
      const random = resettableRandom();
      const h = makeLoginDesk({ random });
      await makeAcmeWithBob(h);
      random.reset();
      const view = await toPassword(h, identifier, 'not the password');
      expect(view.error).toEqual({ code: 'WRONG_PASSWORD' });
      return h.desk.login.history(view.flowId);
    };
    const known = await run('bob@acme');
    const unknown = await run('nobody@acme');
    expect(known.map((e) => e.type)).toEqual(['login.started', 'login.identifier', 'login.password']);
    expect(unknown).toEqual(known);
  });

  it('names the account once the password is verified', async () => {
    const h = makeLoginDesk();
    const { bob } = await makeAcmeWithBob(h);
    const view = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    const history = await h.desk.login.history(view.flowId);
    expect(history.find((e) => e.type === 'login.identifier')?.data).not.toHaveProperty('accountId');
    expect(history.find((e) => e.type === 'login.password')?.data).toMatchObject({ accountId: bob.id });
  });
});

describe('a temporary password is usable once', () => {
  it('a second flow with the temporary password, after the first reached the new-password step and was abandoned, fails', async () => {
    const h = makeLoginDesk();
    const { adminAuth } = await makeAcme(h);
    const temporary = await lastTemporaryPassword(h, 'bob@acme.example');
    const first = await toPassword(h, 'bob@acme', temporary);
    await h.desk.login.submitCode({ flowId: first.flowId, code: await lastSmsCode(h, BOB_PHONE) });
    expect((await h.desk.login.get(first.flowId)).state).toBe('awaiting_new_password');
    h.clock.advance(HOUR);
    const second = await toPassword(h, 'bob@acme', temporary);
    expect(second).toMatchObject({ state: 'failed', error: { code: 'TEMPORARY_PASSWORD_EXPIRED' } });
    // The administrator reissues one; the new one works once.
    await h.desk.accounts.reissueTemporaryPassword({ auth: adminAuth, login: 'bob' });
    const reissued = await lastTemporaryPassword(h, 'bob@acme.example');
    const third = await toPassword(h, 'bob@acme', reissued);
    expect(third.state).toBe('awaiting_code');
    await h.desk.login.submitCode({ flowId: third.flowId, code: await lastSmsCode(h, BOB_PHONE) });
    expect(
      resultOf(await h.desk.login.changePassword({ flowId: third.flowId, newPassword: BOB_PASSWORD })).amr,
    ).toEqual(['password', 'sms']);
  });

  it('two flows racing with the temporary password: one goes on, the other fails', async () => {
    const h = makeLoginDesk();
    await makeAcme(h);
    const temporary = await lastTemporaryPassword(h, 'bob@acme.example');
    const flows = [await atPassword(h, 'bob@acme'), await atPassword(h, 'bob@acme')];
    const views = await Promise.all(
      flows.map((flowId) => h.desk.login.submitPassword({ flowId, password: temporary })),
    );
    expect(views.map((v) => v.state).sort()).toEqual(['awaiting_code', 'failed']);
  });
});
