import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { isHelpdeskError } from '../../src/errors.js';
import { defaultLoginPolicy } from '../../src/login/policy.js';
import { loginEvents, loginMachine, type LoginEvent, type PasswordVerdict } from '../../src/login/login-machine.js';
import type { LoginFlowView } from '../../src/login/types.js';
import { BOB_PASSWORD, BOB_PHONE, SECOND, lastSmsCode, makeAcme, makeLoginDesk, otherCode } from './_harness.js';

type Snap = ReturnType<typeof loginMachine.resolveState>;
const limits = {
  flowTtl: defaultLoginPolicy.flowTtl,
  codeTtl: defaultLoginPolicy.codeTtl,
  maxCodeAttempts: defaultLoginPolicy.maxCodeAttempts,
  maxResends: defaultLoginPolicy.maxResends,
  resendCooldown: defaultLoginPolicy.resendCooldown,
};

const verdictArb: fc.Arbitrary<PasswordVerdict> = fc.oneof(
  fc.constantFrom<PasswordVerdict>(
    { result: 'wrong' },
    { result: 'not_activated' },
    { result: 'disabled' },
    { result: 'temporary_expired' },
    { result: 'phone_required' },
    { result: 'locked', retryAfter: 1 },
  ),
  fc.record({
    result: fc.constant('ok' as const),
    temporary: fc.boolean(),
    codeRequired: fc.boolean(),
    organizationId: fc.constant('org'),
    phone: fc.option(fc.constant('+36301234567'), { nil: null }),
    maskedPhone: fc.constant('+36 30 *** **67'),
    sms: fc.oneof(fc.constant({ allowed: true as const }), fc.constant({ allowed: false as const, availableAt: 1 })),
  }),
);

/** Any event in any order, at any time: what a confused or hostile driver could send. */
const eventArb = (at: number): fc.Arbitrary<LoginEvent> =>
  fc.oneof(
    fc
      .record({ subjectKnown: fc.boolean(), accountId: fc.option(fc.constant('acc'), { nil: null }) })
      .map((s) => loginEvents.identify(at, { ...s, lockoutKey: 'k' })),
    verdictArb.map((v) => loginEvents.password(at, v)),
    fc
      .constantFrom('accepted', 'wrong', 'expired', 'locked')
      .map((r) => loginEvents.code(at, r === 'locked' ? { result: 'locked', retryAfter: at + 1 } : { result: r })),
    fc
      .boolean()
      .map((allowed) => loginEvents.resend(at, allowed ? { allowed: true } : { allowed: false, availableAt: at + 1 })),
    fc
      .boolean()
      .map((ok) =>
        loginEvents.newPassword(at, ok ? { result: 'changed' } : { result: 'rejected', reason: 'too_short' }),
      ),
    fc.constant(loginEvents.expire(at)),
    fc.record({ known: fc.boolean(), locked: fc.boolean() }).map(({ known, locked }): LoginEvent => ({
      type: 'phone',
      at,
      subjectKnown: known,
      organizationId: known ? 'org' : null,
      phone: '+36301234567',
      maskedPhone: '+36 30 *** **67',
      lockoutKey: 'phone:+36301234567',
      lockedUntil: locked ? at + 1 : null,
      sms: { allowed: true },
    })),
  );

const stepsArb = fc.array(
  fc.integer({ min: 0, max: 6 * 60 }).chain((seconds) => eventArb(0).map((event) => ({ seconds, event }))),
  { maxLength: 25 },
);

describe('properties of the pure login machine', () => {
  it('never reaches authenticated without every factor the flow requires, nor after its lifetime', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const start = 1_000_000;
        let s = initialTransition(loginMachine, { flowId: 'f', createdAt: start, limits })[0] as Snap;
        let at = start;
        for (const { seconds, event } of steps) {
          at += seconds * SECOND;
          const before = s;
          s = transition(loginMachine, s, { ...event, at } as LoginEvent)[0] as Snap;
          if (s.value === 'authenticated' && before.value !== 'authenticated') {
            const c = s.context;
            expect(at).toBeLessThan(c.expiresAt);
            expect(c.subjectKnown).toBe(true);
            if (c.kind === 'password') expect(c.passwordVerified).toBe(true);
            if (c.codeRequired || c.kind !== 'password') expect(c.codeVerified).toBe(true);
            if (c.newPasswordRequired) expect(c.passwordChanged).toBe(true);
          }
          // Final states never change again; attempts never go back up.
          if (['authenticated', 'failed', 'expired', 'locked'].includes(String(before.value))) expect(s).toBe(before);
          expect(s.context.codeAttemptsLeft).toBeLessThanOrEqual(before.context.codeAttemptsLeft);
          expect(s.context.resendsLeft).toBeLessThanOrEqual(before.context.resendsLeft);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

type Command =
  | { kind: 'start' }
  | { kind: 'identifier'; who: 'bob@acme' | 'nobody@acme' }
  | { kind: 'password'; which: 'right' | 'wrong' | 'temporary' }
  | { kind: 'code'; which: 'right' | 'wrong' }
  | { kind: 'resend' }
  | { kind: 'changePassword' }
  | { kind: 'wait'; seconds: number }
  /** The right step for the flow's current state (so that runs do get far). */
  | { kind: 'next' };

// Weighted towards the happy path, so that many runs do log in and the invariant is exercised.
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'next' as const }), weight: 12 },
  { arbitrary: fc.constant({ kind: 'start' as const }), weight: 1 },
  {
    arbitrary: fc
      .constantFrom('bob@acme' as const, 'bob@acme' as const, 'nobody@acme' as const)
      .map((who) => ({ kind: 'identifier' as const, who })),
    weight: 4,
  },
  {
    arbitrary: fc
      .constantFrom('right' as const, 'wrong' as const, 'temporary' as const)
      .map((which) => ({ kind: 'password' as const, which })),
    weight: 4,
  },
  {
    arbitrary: fc
      .constantFrom('right' as const, 'right' as const, 'wrong' as const)
      .map((which) => ({ kind: 'code' as const, which })),
    weight: 4,
  },
  { arbitrary: fc.constant({ kind: 'resend' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'changePassword' as const }), weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: 400 }).map((seconds) => ({ kind: 'wait' as const, seconds })), weight: 1 },
);

describe('properties of the login service', () => {
  it('random step sequences never authenticate without every factor the organisation requires', async () => {
    let totalLogins = 0;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(commandArb, { minLength: 1, maxLength: 30 }), async (smsOn, commands) => {
        const h = makeLoginDesk();
        const { adminAuth, bobTemporary } = await makeAcme(h);
        if (!smsOn)
          await h.desk.accounts.setOrganizationSettings({ auth: adminAuth, settings: { smsCodeForLogin: false } });
        let bobPassword = bobTemporary;
        let flowId: string | null = null;
        let identified: string | null = null;
        let rightCodeSubmitted = false;
        let rightPasswordSubmitted = false;
        let logins = 0;
        for (const command of commands) {
          if (command.kind === 'wait') {
            h.clock.advance(command.seconds * SECOND);
            continue;
          }
          if (command.kind === 'start' || flowId === null) {
            flowId = (await h.desk.login.start()).flowId;
            identified = null;
            rightCodeSubmitted = false;
            rightPasswordSubmitted = false;
            if (command.kind === 'start') continue;
          }
          const id: string = flowId;
          let step: Command = command;
          if (command.kind === 'next') {
            const state = (await h.desk.login.get(id)).state;
            step =
              state === 'awaiting_identifier'
                ? { kind: 'identifier', who: 'bob@acme' }
                : state === 'awaiting_password'
                  ? { kind: 'password', which: 'right' }
                  : state === 'awaiting_code'
                    ? { kind: 'code', which: 'right' }
                    : state === 'awaiting_new_password'
                      ? { kind: 'changePassword' }
                      : { kind: 'start' };
            if (step.kind === 'start') {
              flowId = null;
              continue;
            }
          }
          const current = step;
          const call = async (): Promise<LoginFlowView> => {
            switch (current.kind) {
              case 'identifier':
                return h.desk.login.submitIdentifier({ flowId: id, identifier: current.who });
              case 'password': {
                const password =
                  current.which === 'right'
                    ? bobPassword
                    : current.which === 'temporary'
                      ? bobTemporary
                      : 'wrong passphrase';
                const view = await h.desk.login.submitPassword({ flowId: id, password });
                if (password === bobPassword && identified === 'bob@acme') rightPasswordSubmitted = true;
                return view;
              }
              case 'code': {
                const sent = await lastSmsCode(h, BOB_PHONE).catch(() => '000000');
                const code = current.which === 'right' ? sent : otherCode(sent);
                const view = await h.desk.login.submitCode({ flowId: id, code });
                if (current.which === 'right') rightCodeSubmitted = true;
                return view;
              }
              case 'resend':
                return h.desk.login.resendCode({ flowId: id });
              default:
                return h.desk.login.changePassword({ flowId: id, newPassword: BOB_PASSWORD });
            }
          };
          const answer: LoginFlowView | unknown = await call().catch((e: unknown) => e);
          if (answer instanceof Error) {
            // Only the documented refusals; a refused call never throws anything else.
            expect(
              ['STEP_NOT_ALLOWED', 'FLOW_EXPIRED'].some((code) => isHelpdeskError(answer, code)),
              String(answer),
            ).toBe(true);
            continue;
          }
          const view = answer as LoginFlowView;
          if (current.kind === 'identifier' && view.state === 'awaiting_password') identified = current.who;
          if (current.kind === 'changePassword' && view.state === 'authenticated') bobPassword = BOB_PASSWORD;
          if (view.state === 'authenticated' && view.result) {
            expect(identified).toBe('bob@acme');
            expect(rightPasswordSubmitted).toBe(true);
            if (smsOn) {
              expect(rightCodeSubmitted).toBe(true);
              expect(view.result.amr).toEqual(['password', 'sms']);
            } else expect(view.result.amr).toEqual(['password']);
            expect(bobPassword).toBe(BOB_PASSWORD); // the temporary password alone never logs in
            flowId = null;
            logins++;
          }
        }
        totalLogins += logins;
      }),
      { numRuns: 60 },
    );
    // Not vacuous: the weighted sequences do log in.
    expect(totalLogins).toBeGreaterThan(10);
  }, 120_000);
});
