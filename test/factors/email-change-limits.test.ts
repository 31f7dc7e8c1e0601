import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../../src/accounts/principal.js';
import { ACCOUNT_KIND } from '../../src/accounts/store.js';
import { isHelpdeskError } from '../../src/errors.js';
import { errorCode, lastMailedCode, makeFactorDesk, signedInAlice, signInAliceAgain } from './_harness.js';

const HOUR = 3_600_000;

/** A six-digit code that is not `code`. */
const wrongFor = (code: string, i: number) => {
  const guess = String(100_000 + i);
  return guess === code ? String(100_000 + i + 500_000) : guess;
};

async function refusal(call: () => Promise<unknown>) {
  try {
    await call();
    return null;
  } catch (error) {
    if (isHelpdeskError(error)) return { code: error.code, details: error.details };
    throw error;
  }
}

describe('email change: guessing the code is capped per account, not per request', () => {
  it('wrong codes count across requests: at 10 within 24 h no new code is issued (RATE_LIMITED) and the address stays', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const target = 'victim@example.org';
    let wrong = 0;
    // Two requests with 5 wrong codes each: 10, the cap.
    for (let round = 0; round < 2; round++) {
      await h.desk.factors.changeEmail({ auth: alice.auth, email: target });
      const code = await lastMailedCode(h, target);
      for (let i = 0; i < 5; i++) {
        const r = await h.desk.factors.confirmEmailChange({ auth: alice.auth, code: wrongFor(code, wrong++) });
        expect(r.ok).toBe(false);
      }
    }
    const refused = await refusal(() => h.desk.factors.changeEmail({ auth: alice.auth, email: target }));
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', details: { reason: 'email_change_failures' } });
    expect((refused!.details as { retryAfter: number }).retryAfter).toBeGreaterThan(h.clock.now() + 23 * HOUR);
    expect((await h.desk.accounts.getAccount(alice.accountId)).email).toBe(alice.email);
  });

  it('a code issued near the cap allows only the guesses left', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    await h.desk.factors.changeEmail({ auth: alice.auth, email: 'first@example.org' });
    const first = await lastMailedCode(h, 'first@example.org');
    for (let i = 0; i < 5; i++) await h.desk.factors.confirmEmailChange({ auth: alice.auth, code: wrongFor(first, i) });
    await h.desk.factors.changeEmail({ auth: alice.auth, email: 'second@example.org' });
    const second = await lastMailedCode(h, 'second@example.org');
    for (let i = 0; i < 4; i++)
      await h.desk.factors.confirmEmailChange({ auth: alice.auth, code: wrongFor(second, i) });
    await h.desk.factors.changeEmail({ auth: alice.auth, email: 'third@example.org' });
    const third = await lastMailedCode(h, 'third@example.org');
    // 9 wrong so far: this code allows one more guess.
    expect(await h.desk.factors.confirmEmailChange({ auth: alice.auth, code: wrongFor(third, 0) })).toMatchObject({
      ok: false,
    });
    expect(await h.desk.factors.confirmEmailChange({ auth: alice.auth, code: third })).toMatchObject({
      ok: false,
      code: 'TOO_MANY_ATTEMPTS',
    });
  });

  it('the cap is a rolling 24 h: a day after the wrong codes a new change works, and success clears the count', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    await h.desk.factors.changeEmail({ auth: alice.auth, email: 'first@example.org' });
    const first = await lastMailedCode(h, 'first@example.org');
    for (let i = 0; i < 5; i++) await h.desk.factors.confirmEmailChange({ auth: alice.auth, code: wrongFor(first, i) });
    await h.desk.factors.changeEmail({ auth: alice.auth, email: 'first@example.org' });
    const again = await lastMailedCode(h, 'first@example.org');
    for (let i = 0; i < 5; i++) await h.desk.factors.confirmEmailChange({ auth: alice.auth, code: wrongFor(again, i) });
    h.clock.advance(24 * HOUR - 1);
    let auth: AuthContext = await signInAliceAgain(h, alice.password);
    expect(await errorCode(() => h.desk.factors.changeEmail({ auth, email: 'later@example.org' }))).toBe(
      'RATE_LIMITED',
    );
    h.clock.advance(1);
    await h.desk.factors.changeEmail({ auth, email: 'later@example.org' });
    const code = await lastMailedCode(h, 'later@example.org');
    // The full five again, and the right code after four wrong ones.
    for (let i = 0; i < 4; i++) await h.desk.factors.confirmEmailChange({ auth, code: wrongFor(code, i) });
    expect(await h.desk.factors.confirmEmailChange({ auth, code })).toEqual({ ok: true, email: 'later@example.org' });
    // Success cleared the count: 9 more wrong codes still leave a request possible.
    auth = await signInAliceAgain(h, alice.password);
    await h.desk.factors.changeEmail({ auth, email: 'next@example.org' });
    const next = await lastMailedCode(h, 'next@example.org');
    for (let i = 0; i < 5; i++) await h.desk.factors.confirmEmailChange({ auth, code: wrongFor(next, i) });
    expect(await errorCode(() => h.desk.factors.changeEmail({ auth, email: 'next@example.org' }))).toBe('none');
  });

  it('at most 5 change requests per account within an hour (RATE_LIMITED with retryAfter), so a third party is not mail-bombed', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const start = h.clock.now();
    for (let i = 0; i < 5; i++) {
      await h.desk.factors.changeEmail({ auth: alice.auth, email: 'someone@example.org' });
      h.clock.advance(60_000);
    }
    const refused = await refusal(() => h.desk.factors.changeEmail({ auth: alice.auth, email: 'someone@example.org' }));
    expect(refused).toMatchObject({
      code: 'RATE_LIMITED',
      details: { reason: 'email_change_requests', retryAfter: start + HOUR },
    });
    const mails = (await h.storage.listOutbox({ limit: 1000 })).filter(
      (m) => (m.payload as { to: string }).to === 'someone@example.org',
    );
    expect(mails).toHaveLength(5);
    h.clock.advance(start + HOUR - h.clock.now() - 1);
    const auth = await signInAliceAgain(h, alice.password); // the step-up is older than 15 min by now
    expect(await errorCode(() => h.desk.factors.changeEmail({ auth, email: 'x@example.org' }))).toBe('RATE_LIMITED');
    h.clock.advance(1);
    expect(await errorCode(() => h.desk.factors.changeEmail({ auth, email: 'x@example.org' }))).toBe('none');
  });
});

describe('email change: whether an address belongs to someone is not told', () => {
  it('answers an address of another account exactly like a free one; only its code, from that inbox, meets the refusal', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    await h.desk.accounts.register({
      username: 'carol',
      email: 'carol@example.net',
      password: 'carol long passphrase',
      displayName: 'C',
    });
    const taken = await h.desk.factors.changeEmail({ auth: alice.auth, email: 'carol@example.net' });
    const free = await h.desk.factors.changeEmail({ auth: alice.auth, email: 'nobody@example.net' });
    expect(Object.keys(taken)).toEqual(Object.keys(free));
    expect(taken.expiresAt).toBe(free.expiresAt);
    // Re-ask the taken one, then enter the code that reached carol's inbox: refused, nothing changes.
    await h.desk.factors.changeEmail({ auth: alice.auth, email: 'carol@example.net' });
    const code = await lastMailedCode(h, 'carol@example.net');
    const refused = await refusal(() => h.desk.factors.confirmEmailChange({ auth: alice.auth, code }));
    expect(refused).toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'email_taken' } });
    expect((await h.desk.accounts.getAccount(alice.accountId)).email).toBe(alice.email);
  });
});

describe('the factor audit trail', () => {
  it('records the login and amr of the stored session, not of the context the caller passed', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const p = alice.auth.principal as Extract<AuthContext['principal'], { type: 'account' }>;
    const forged: AuthContext = {
      ...alice.auth,
      amr: ['password', 'totp', 'backup_code', 'email'],
      principal: { ...p, login: 'someone-else' },
    };
    const { factor } = await h.desk.factors.enrol({ auth: forged, type: 'backup_codes' });
    await h.desk.factors.rename({ auth: forged, factorId: factor.id, label: 'x' });
    await h.desk.factors.changeEmail({ auth: forged, email: 'alice.next@example.org' });
    const actors = (await h.storage.history(ACCOUNT_KIND, alice.accountId))
      .filter((e) => e.type.startsWith('factor.') || e.type.startsWith('account.email_change'))
      .map((e) => e.actor);
    expect(actors).toHaveLength(3);
    for (const actor of actors) {
      expect(actor).toEqual({ role: 'account', id: alice.accountId, login: 'alice', amr: ['password', 'sms'] });
    }
  });
});
