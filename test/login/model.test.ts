import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { isHelpdeskError } from '../../src/errors.js';
import { defaultLoginPolicy } from '../../src/login/policy.js';
import { loginEvents, loginMachine, type LoginEvent, type PasswordVerdict } from '../../src/login/login-machine.js';
import type { LoginFlowView } from '../../src/login/types.js';
import {
  BOB_PASSWORD,
  BOB_PHONE,
  HOUR,
  SECOND,
  lastSmsCode,
  lastTemporaryPassword,
  loginLimits,
  makeAcmeWithBob,
  makeLoginDesk,
  makePersonal,
  otherCode,
} from './_harness.js';

const T0 = new Date('2026-03-02T09:00:00Z').getTime();
const input = { flowId: 'lgn_model', createdAt: T0, limits: loginLimits };
type Snap = ReturnType<typeof loginMachine.resolveState>;

/** The abstract steps a user (or the world) can take; each has a concrete machine event and a desk action. */
const PASSWORD_VERDICTS = [
  'wrong',
  'ok-code',
  'ok-temp-code',
  'ok-nocode',
  'ok-temp-nocode',
  'not_activated',
  'disabled',
  'temporary_expired',
  'phone_required',
  'locked',
] as const;
type Label =
  | 'identify:known'
  | 'identify:unknown'
  | `password:${(typeof PASSWORD_VERDICTS)[number]}`
  | 'code:right'
  | 'code:wrong'
  | 'code:expired'
  | 'resend'
  | 'newPassword:rejected'
  | 'newPassword:changed'
  | 'expire';

function verdict(kind: (typeof PASSWORD_VERDICTS)[number], at: number): PasswordVerdict {
  const ok = (temporary: boolean, codeRequired: boolean): PasswordVerdict => ({
    result: 'ok',
    temporary,
    codeRequired,
    organizationId: 'org',
    phone: codeRequired ? '+36305550102' : null,
    maskedPhone: codeRequired ? '+36 30 *** **02' : null,
    sms: { allowed: true },
  });
  switch (kind) {
    case 'ok-code':
      return ok(false, true);
    case 'ok-temp-code':
      return ok(true, true);
    case 'ok-nocode':
      return ok(false, false);
    case 'ok-temp-nocode':
      return ok(true, false);
    case 'locked':
      return { result: 'locked', retryAfter: at + 60_000 };
    default:
      return { result: kind };
  }
}

function concrete(s: Snap, label: Label): LoginEvent {
  const ctx = s.context;
  const at = ctx.updatedAt + SECOND;
  if (label === 'identify:known' || label === 'identify:unknown') {
    const known = label === 'identify:known';
    return loginEvents.identify(at, { subjectKnown: known, accountId: known ? 'acc' : null, lockoutKey: 'k' });
  }
  if (label.startsWith('password:'))
    return loginEvents.password(at, verdict(label.slice(9) as (typeof PASSWORD_VERDICTS)[number], at));
  switch (label) {
    case 'code:right':
      return loginEvents.code(at, { result: 'accepted' });
    case 'code:wrong':
      return loginEvents.code(at, { result: 'wrong' });
    case 'code:expired':
      return loginEvents.code(Math.max(at, ctx.codeExpiresAt ?? at), { result: 'expired' });
    case 'resend':
      return loginEvents.resend(Math.max(at, ctx.resendAvailableAt ?? at));
    case 'newPassword:rejected':
      return loginEvents.newPassword(at, { result: 'rejected', reason: 'too_short' });
    case 'newPassword:changed':
      return loginEvents.newPassword(at, { result: 'changed' });
    default:
      return loginEvents.expire(ctx.expiresAt);
  }
}

/** The steps a host can cause in a state (an unknown subject's password can only be wrong or locked). */
function labelsFor(s: Snap): Label[] {
  const passwords =
    s.context.subjectKnown || s.value === 'awaiting_identifier' ? PASSWORD_VERDICTS : (['wrong', 'locked'] as const);
  return [
    'identify:known',
    'identify:unknown',
    ...passwords.map((v) => `password:${v}` as const),
    'code:right',
    'code:wrong',
    'code:expired',
    'resend',
    'newPassword:rejected',
    'newPassword:changed',
    'expire',
  ];
}

type Labelled = LoginEvent & { label: Label };
const paths = getShortestPaths(loginMachine, {
  input,
  events: ((s: Snap) => labelsFor(s).map((label) => ({ ...concrete(s, label), label }))) as never,
  serializeState: ((s: Snap) =>
    JSON.stringify([s.value, s.context.subjectKnown, s.context.codeRequired, s.context.newPasswordRequired])) as never,
});

const replay = (labels: readonly Label[]): Snap => {
  let s = initialTransition(loginMachine, input)[0] as Snap;
  for (const label of labels) s = transition(loginMachine, s, concrete(s, label))[0] as Snap;
  return s;
};

// Every shortest path, then every step from its end: all transitions and refusals.
const scenarios: Label[][] = [];
for (const path of paths) {
  const labels = path.steps.map((step) => (step.event as Labelled).label).filter((l): l is Label => l !== undefined);
  scenarios.push(labels);
  const end = replay(labels);
  for (const label of labelsFor(end)) scenarios.push([...labels, label]);
}

/** A desk with one subject for each password verdict. */
async function world() {
  const h = makeLoginDesk();
  const { adminAuth } = await makeAcmeWithBob(h);
  const userWith = async (username: string, phone: string | null) => {
    await h.desk.accounts.createBusinessUser({
      auth: adminAuth,
      username,
      email: `${username}@acme.example`,
      ...(phone ? { phone } : {}),
      permissions: ['tickets.read'],
    });
    return lastTemporaryPassword(h, `${username}@acme.example`);
  };
  const frank = await userWith('frank', '+36305550106');
  h.clock.advance(72 * HOUR + SECOND); // frank's temporary password is now expired
  const carol = await userWith('carol', '+36305550103');
  const dave = await userWith('dave', null);
  const erin = await userWith('erin', '+36305550105');
  await h.desk.accounts.setUserStatus({ auth: adminAuth, login: 'erin@acme', status: 'disabled' });
  const alice = await makePersonal(h);
  await h.desk.accounts.activate({ token: alice.token });
  const pend = await makePersonal(h, { username: 'pend' });
  const beta = await h.desk.accounts.createOrganization({
    slug: 'beta',
    name: 'Beta',
    admin: { email: 'boss@beta.example', phone: '+36705550101' },
  });
  // Beta's administrator logs in for the first time, switches the SMS code off and creates tina.
  const betaFlow = await h.desk.login.start();
  await h.desk.login.submitIdentifier({ flowId: betaFlow.flowId, identifier: 'admin@beta' });
  await h.desk.login.submitPassword({
    flowId: betaFlow.flowId,
    password: await lastTemporaryPassword(h, 'boss@beta.example'),
  });
  await h.desk.login.submitCode({ flowId: betaFlow.flowId, code: await lastSmsCode(h, '+36705550101') });
  const betaAdmin = await h.desk.login.changePassword({
    flowId: betaFlow.flowId,
    newPassword: 'beta admin passphrase',
  });
  const betaAuth = betaAdmin.result!.auth;
  await h.desk.accounts.setOrganizationSettings({ auth: betaAuth, settings: { smsCodeForLogin: false } });
  await h.desk.accounts.createBusinessUser({
    auth: betaAuth,
    username: 'tina',
    email: 'tina@beta.example',
    permissions: [],
  });
  const tina = await lastTemporaryPassword(h, 'tina@beta.example');
  const subjects: Record<string, { identifier: string; password: string; phone: string | null }> = {
    'ok-code': { identifier: 'bob@acme', password: BOB_PASSWORD, phone: BOB_PHONE },
    'ok-temp-code': { identifier: 'carol@acme', password: carol, phone: '+36305550103' },
    'ok-nocode': { identifier: 'alice', password: alice.password, phone: null },
    'ok-temp-nocode': { identifier: 'tina@beta', password: tina, phone: null },
    not_activated: { identifier: 'pend', password: pend.password, phone: null },
    disabled: { identifier: 'erin@acme', password: erin, phone: null },
    temporary_expired: { identifier: 'frank@acme', password: frank, phone: null },
    phone_required: { identifier: 'dave@acme', password: dave, phone: null },
    locked: { identifier: 'grace', password: 'never right', phone: null },
    unknown: { identifier: 'nobody@acme', password: 'never right', phone: null },
  };
  return { h, subjects, betaId: beta.organization.id };
}

async function runOnDesk(labels: readonly Label[]) {
  const { h, subjects } = await world();
  const verdictLabel = labels.find((l) => l.startsWith('password:') && l !== 'password:wrong');
  const unknown =
    labels.includes('identify:unknown') && !labels.includes('identify:known')
      ? true
      : labels.indexOf('identify:unknown') !== -1 &&
        labels.indexOf('identify:unknown') < Math.max(0, labels.indexOf('identify:known'));
  const subject = subjects[unknown ? 'unknown' : (verdictLabel?.slice(9) ?? 'ok-code')] ?? subjects['ok-code']!;
  if (verdictLabel === 'password:locked') {
    const before = labels.slice(0, labels.indexOf(verdictLabel)).filter((l) => l === 'password:wrong').length;
    for (let i = 0; i < 4 - before; i++) {
      const { flowId } = await h.desk.login.start();
      await h.desk.login.submitIdentifier({ flowId, identifier: subject.identifier });
      await h.desk.login.submitPassword({ flowId, password: 'pre-failure' });
    }
  }
  const { flowId } = await h.desk.login.start();
  let model = initialTransition(loginMachine, { ...input, createdAt: h.clock.now() })[0] as Snap;
  let codeSentAt = h.clock.now();
  for (const label of labels) {
    const event = concrete(model, label);
    const [next] = transition(loginMachine, model, event) as unknown as [Snap];
    const accepted = next !== model;
    const deskCall = async (): Promise<LoginFlowView> => {
      const login = h.desk.login;
      if (label.startsWith('identify:')) return login.submitIdentifier({ flowId, identifier: subject.identifier });
      if (label.startsWith('password:'))
        return login.submitPassword({
          flowId,
          password: label === 'password:wrong' ? 'wrong passphrase' : subject.password,
        });
      const right = async () => (subject.phone ? lastSmsCode(h, subject.phone) : '000000');
      switch (label) {
        case 'code:right':
          return login.submitCode({ flowId, code: await right() });
        case 'code:wrong':
          return login.submitCode({ flowId, code: otherCode(await right()) });
        case 'code:expired':
          h.clock.set(Math.max(h.clock.now(), codeSentAt + defaultLoginPolicy.codeTtl));
          return login.submitCode({ flowId, code: await right() });
        case 'resend': {
          const view = await login.get(flowId);
          if (view.resendAvailableAt !== null) h.clock.set(Math.max(h.clock.now(), view.resendAvailableAt));
          return login.resendCode({ flowId });
        }
        case 'newPassword:rejected':
          return login.changePassword({ flowId, newPassword: 'short' });
        case 'newPassword:changed':
          return login.changePassword({ flowId, newPassword: 'a fresh chosen passphrase' });
        default: {
          const view = await login.get(flowId);
          h.clock.set(Math.max(h.clock.now(), view.expiresAt));
          await h.desk.runDueTimers();
          return login.get(flowId);
        }
      }
    };
    const before = await h.desk.login.get(flowId);
    const answer = await deskCall().catch((e: unknown) => e);
    if (accepted) {
      expect(answer, `${labels.join(' → ')}: ${label}`).not.toBeInstanceOf(Error);
      const view = answer as LoginFlowView;
      expect([view.state, view.error?.code ?? null], `${labels.join(' → ')}: ${label}`).toEqual([
        next.value,
        next.context.error?.code ?? null,
      ]);
      if (
        view.state === 'awaiting_code' &&
        view.error === null &&
        (label === 'resend' || label.startsWith('password:'))
      )
        codeSentAt = h.clock.now();
      if (view.state === 'authenticated') expect(view.result).toBeDefined();
      model = next;
    } else if (label === 'expire') {
      // The sweep finds nothing to do on an ended flow.
      expect((answer as LoginFlowView).state).toBe(before.state);
    } else {
      const refused = isHelpdeskError(answer, 'STEP_NOT_ALLOWED') || isHelpdeskError(answer, 'FLOW_EXPIRED');
      expect(refused, `${labels.join(' → ')}: ${label} should be refused`).toBe(true);
      const after = await h.desk.login.get(flowId);
      expect(after.state).toBe(before.state);
    }
  }
}

describe('model-based: the service follows the login machine along every xstate/graph path', () => {
  it('covers every state of the machine', () => {
    const reached = new Set(paths.map((p) => String(p.state.value)));
    expect([...reached].sort()).toEqual(
      [
        'authenticated',
        'awaiting_code',
        'awaiting_identifier',
        'awaiting_new_password',
        'awaiting_password',
        'expired',
        'failed',
        'locked',
      ].sort(),
    );
  });

  it('every path reaching authenticated went through every factor the flow required', () => {
    for (const path of paths) {
      if (path.state.value !== 'authenticated') continue;
      const c = path.state.context as Snap['context'];
      expect(c.passwordVerified).toBe(true);
      if (c.codeRequired) expect(c.codeVerified).toBe(true);
      if (c.newPasswordRequired) expect(c.passwordChanged).toBe(true);
    }
  });

  it(`replays ${scenarios.length} scenarios on a desk with the same answers`, { timeout: 240_000 }, async () => {
    for (const labels of scenarios) await runOnDesk(labels);
  });
});
