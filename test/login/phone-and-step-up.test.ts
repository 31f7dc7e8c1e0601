import { describe, expect, it } from 'vitest';
import type { RandomSource } from '../../src/ports/random-source.js';
import { seededRandom } from '../security/fake-random.js';
import {
  ADMIN_PASSWORD,
  ADMIN_PHONE,
  DESK_PHONE,
  MINUTE,
  lastSmsCode,
  makeAcme,
  makeAcmeWithBob,
  makeLoginDesk,
  otherCode,
  resultOf,
  toPassword,
} from './_harness.js';

/** A random source whose sequence can be restarted, so two desks draw the same flow ids. */
function resettableRandom(): RandomSource & { reset(): void } {
  let inner = seededRandom(7);
  return {
    fill: (bytes) => inner.fill(bytes),
    reset: () => void (inner = seededRandom(7)),
  };
}

describe('phone-number login (number → Tovább → Kérem az SMS-t → code → Belépek)', () => {
  it('the code of an anonymous phone-number login counts as `checked`: the view answered from the shared budget, so it is never held back silently', async () => {
    const h = makeLoginDesk();
    const { adminAuth } = await makeAcme(h);
    await h.desk.accounts.registerPhoneNumber({ auth: adminAuth, phone: '301234567', permissions: ['tickets.read'] });
    await h.desk.login.startPhoneLogin({ number: '301234567' });
    const codes = (await h.storage.listOutbox({ limit: 100 })).filter(
      (m) => (m.payload as { to?: string }).to === DESK_PHONE,
    );
    expect(codes.map((m) => (m.payload as { budget?: string }).budget)).toEqual(['checked']);
  });

  it('logs in with the SMS code, with only the number’s grant and amr phone', async () => {
    const h = makeLoginDesk();
    const { adminAuth, organization } = await makeAcme(h);
    await h.desk.accounts.registerPhoneNumber({ auth: adminAuth, phone: '301234567', permissions: ['tickets.read'] });
    const view = await h.desk.login.startPhoneLogin({ number: '06 30 123 4567' });
    expect(view).toMatchObject({
      state: 'awaiting_code',
      attemptsLeft: 5,
      resendsLeft: 3,
      maskedPhone: '+36 30 *** **67',
      error: null,
    });
    const result = resultOf(
      await h.desk.login.submitCode({ flowId: view.flowId, code: await lastSmsCode(h, DESK_PHONE) }),
    );
    expect(result).toMatchObject({
      principal: { type: 'phone', phone: DESK_PHONE, organizationId: organization.id },
      organizationId: organization.id,
      permissions: ['tickets.read'],
      amr: ['phone'],
    });
  });

  it('a phone session cannot do what a business user with users.manage can', async () => {
    const h = makeLoginDesk();
    const { adminAuth } = await makeAcmeWithBob(h, ['users.manage', 'tickets.read']);
    await h.desk.accounts.registerPhoneNumber({
      auth: adminAuth,
      phone: DESK_PHONE,
      permissions: ['tickets.read', 'tickets.create'],
    });
    const phoneView = await h.desk.login.startPhoneLogin({ number: DESK_PHONE });
    const phone = resultOf(
      await h.desk.login.submitCode({ flowId: phoneView.flowId, code: await lastSmsCode(h, DESK_PHONE) }),
    );
    const bobView = await toPassword(h, 'bob@acme', 'bob chosen passphrase');
    const bob = resultOf(
      await h.desk.login.submitCode({ flowId: bobView.flowId, code: await lastSmsCode(h, '+36305550102') }),
    );
    expect(bob.permissions).toContain('users.manage');
    expect(phone.permissions).not.toContain('users.manage');

    const newUser = (auth: typeof bob.auth, username: string) =>
      h.desk.accounts.createBusinessUser({ auth, username, email: `${username}@acme.example`, permissions: [] });
    await expect(newUser(phone.auth, 'eve')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(newUser(bob.auth, 'dave')).resolves.toMatchObject({ login: 'dave@acme' });
  });

  it('answers a known and an unknown number with deep-equal views; only the outbox differs', async () => {
    const run = async (registered: boolean) => {
      const random = resettableRandom();
      const h = makeLoginDesk({ random });
      const { adminAuth } = await makeAcme(h);
      if (registered)
        await h.desk.accounts.registerPhoneNumber({
          auth: adminAuth,
          phone: DESK_PHONE,
          permissions: ['tickets.read'],
        });
      await h.desk.dispatchOutbox();
      const outboxBefore = (await h.desk.outbox({ limit: 1000 })).length;
      random.reset();
      const views = [];
      const start = await h.desk.login.startPhoneLogin({ number: '30 123 4567' });
      views.push(start);
      views.push(await h.desk.login.submitCode({ flowId: start.flowId, code: '000000' }));
      h.clock.advance(30_000);
      views.push(await h.desk.login.resendCode({ flowId: start.flowId }));
      views.push(await h.desk.login.resendCode({ flowId: start.flowId }));
      views.push(await h.desk.login.get(start.flowId));
      const outbox = (await h.desk.outbox({ limit: 1000 })).length - outboxBefore;
      return { views, outbox };
    };
    const known = await run(true);
    const unknown = await run(false);
    expect(unknown.views).toEqual(known.views);
    expect(known.outbox).toBe(2);
    expect(unknown.outbox).toBe(0);
  });

  it('an unknown number can never log in, and locks like a known one', async () => {
    const h = makeLoginDesk();
    const view = await h.desk.login.startPhoneLogin({ number: DESK_PHONE });
    let last = view;
    for (let i = 0; i < 5; i++) last = await h.desk.login.submitCode({ flowId: view.flowId, code: `00000${i}` });
    expect(last).toMatchObject({ state: 'locked', error: { code: 'LOCKED', retryAfter: h.clock.now() + MINUTE } });
    expect(await h.desk.login.startPhoneLogin({ number: DESK_PHONE })).toMatchObject({
      state: 'locked',
      error: { code: 'LOCKED' },
    });
  });
});

describe('step-up: a fresh SMS confirmation for the main administrator', () => {
  it('lets the main administrator switch the SMS login code back on after logging in with the password only', async () => {
    const h = makeLoginDesk();
    const { adminAuth } = await makeAcme(h);
    await h.desk.accounts.setOrganizationSettings({ auth: adminAuth, settings: { smsCodeForLogin: false } });
    h.clock.advance(30 * MINUTE);
    const login = resultOf(await toPassword(h, 'admin@acme', ADMIN_PASSWORD));
    expect(login.amr).toEqual(['password']);
    await expect(
      h.desk.accounts.setOrganizationSettings({ auth: login.auth, settings: { smsCodeForLogin: true } }),
    ).rejects.toMatchObject({ code: 'SECOND_FACTOR_REQUIRED' });

    const stepUp = await h.desk.login.startStepUp({ auth: login.auth });
    expect(stepUp).toMatchObject({ state: 'awaiting_code', maskedPhone: '+36 30 *** **01' });
    const wrong = await h.desk.login.submitCode({
      flowId: stepUp.flowId,
      code: otherCode(await lastSmsCode(h, ADMIN_PHONE)),
    });
    expect(wrong.error).toEqual({ code: 'WRONG_CODE' });
    const confirmed = resultOf(
      await h.desk.login.submitCode({ flowId: stepUp.flowId, code: await lastSmsCode(h, ADMIN_PHONE) }),
    );
    expect(confirmed.amr).toEqual(['password', 'sms']);
    const org = await h.desk.accounts.setOrganizationSettings({
      auth: confirmed.auth,
      settings: { smsCodeForLogin: true },
    });
    expect(org.settings.smsCodeForLogin).toBe(true);
  });

  it('refuses a phone principal', async () => {
    const h = makeLoginDesk();
    const { organization } = await makeAcme(h);
    const auth = {
      principal: { type: 'phone' as const, phone: DESK_PHONE, organizationId: organization.id, permissions: [] },
      amr: ['phone' as const],
      authenticatedAt: h.clock.now(),
    };
    await expect(h.desk.login.startStepUp({ auth })).rejects.toMatchObject({ code: 'STEP_NOT_ALLOWED' });
  });
});
