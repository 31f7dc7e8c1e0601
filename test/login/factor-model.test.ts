import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import {
  loginEvents,
  loginMachine,
  type FactorChoice,
  type LoginEffect,
  type LoginEvent,
} from '../../src/login/login-machine.js';
import { loginLimits } from './_harness.js';

// Model-based tests of the factor choice over the pure machine: every xstate/graph path through
// `awaiting_factor`, with the effects each step asks for.
const T0 = Date.UTC(2026, 2, 2, 9);
const input = { flowId: 'lgn_factor_model', createdAt: T0, limits: loginLimits };
type Snap = ReturnType<typeof loginMachine.resolveState>;

const factors: FactorChoice[] = [
  { id: 'phone', type: 'sms', label: 'Phone', maskedAddress: '+36 30 *** **02' },
  { id: 'fac_mail', type: 'email', label: 'Email', maskedAddress: 'a***@example.com' },
  { id: 'fac_app', type: 'totp', label: 'App', maskedAddress: null },
  { id: 'fac_backup', type: 'backup_codes', label: 'Backup codes', maskedAddress: null },
];

type Label =
  | 'identify'
  | 'password:ok-factors'
  | 'password:ok-code'
  | `choose:${string}`
  | 'code:right'
  | 'code:wrong'
  | 'resend'
  | 'expire';

const LABELS: Label[] = [
  'identify',
  'password:ok-factors',
  'password:ok-code',
  ...factors.map((f) => `choose:${f.id}` as const),
  'choose:fac_not_offered',
  'code:right',
  'code:wrong',
  'resend',
  'expire',
];

function concrete(s: Snap, label: Label): LoginEvent {
  const at = s.context.updatedAt + 1000;
  if (label === 'identify') return loginEvents.identify(at, { subjectKnown: true, accountId: 'acc', lockoutKey: 'k' });
  if (label === 'password:ok-code') return loginEvents.passwordOk(at);
  if (label === 'password:ok-factors') {
    const ok = loginEvents.passwordOk(at);
    return { ...ok, verdict: { ...ok.verdict, factors } };
  }
  if (label.startsWith('choose:')) return loginEvents.chooseFactor(at, label.slice(7));
  if (label === 'code:right') return loginEvents.code(at, { result: 'accepted' });
  if (label === 'code:wrong') return loginEvents.code(at, { result: 'wrong' });
  if (label === 'resend') return loginEvents.resend(Math.max(at, s.context.resendAvailableAt ?? at));
  return loginEvents.expire(s.context.expiresAt);
}

type Labelled = LoginEvent & { label: Label };
const paths = getShortestPaths(loginMachine, {
  input,
  events: ((s: Snap) => LABELS.map((label) => ({ ...concrete(s, label), label }))) as never,
  serializeState: ((s: Snap) =>
    JSON.stringify([
      s.value,
      s.context.factor?.id ?? null,
      s.context.codeAttemptsLeft,
      s.context.resendsLeft,
    ])) as never,
});

function replay(labels: readonly Label[]) {
  let s = initialTransition(loginMachine, input)[0] as Snap;
  const steps: Array<{ label: Label; before: Snap; after: Snap; effects: LoginEffect[] }> = [];
  for (const label of labels) {
    const [next, actions] = transition(loginMachine, s, concrete(s, label));
    const effects = actions.filter((a) =>
      ['sendCode', 'revokeCode', 'authenticated', 'lockedOut'].includes(a.type),
    ) as unknown as LoginEffect[];
    steps.push({ label, before: s, after: next as Snap, effects });
    s = next as Snap;
  }
  return steps;
}

const labelsOf = (path: (typeof paths)[number]) =>
  path.steps.map((step) => (step.event as Labelled).label).filter((l): l is Label => l !== undefined);

describe('model-based: choosing a second factor (login machine)', () => {
  it('reaches awaiting_factor, and authenticated through each factor', () => {
    const reached = new Set(paths.map((p) => String(p.state.value)));
    for (const state of ['awaiting_factor', 'awaiting_code', 'authenticated', 'failed', 'expired'])
      expect(reached).toContain(state);
    const viaFactor = new Set(
      paths
        .filter((p) => p.state.value === 'authenticated')
        .map((p) => (p.state.context as Snap['context']).factor?.type),
    );
    expect([...viaFactor].sort()).toEqual(['backup_codes', 'email', 'sms', 'totp', undefined].sort());
  });

  it('never authenticates a flow that offered factors without a chosen factor and a right code', () => {
    for (const path of paths) {
      if (path.state.value !== 'authenticated') continue;
      const c = path.state.context as Snap['context'];
      if ((c.factors ?? []).length > 0) {
        expect(c.factor).toBeTruthy();
        expect(c.codeVerified).toBe(true);
      }
    }
  });

  it('sends a code for SMS and email only, never for an app or backup codes, on choice and on resend', () => {
    for (const path of paths) {
      for (const step of replay([...labelsOf(path), 'resend'])) {
        const send = step.effects.find((e) => e.type === 'sendCode');
        if (!send) continue;
        const factor = step.after.context.factor;
        if (factor?.type === 'totp' || factor?.type === 'backup_codes')
          expect((send.params as { deliver: boolean }).deliver, `${step.label} on ${factor.type}`).toBe(false);
      }
    }
  });

  it('refuses a factor the flow did not offer, in every state', () => {
    for (const path of paths) {
      const end = replay(labelsOf(path)).at(-1)?.after ?? (initialTransition(loginMachine, input)[0] as Snap);
      const [next] = transition(loginMachine, end, concrete(end, 'choose:fac_not_offered'));
      expect(next.value).toBe(end.value);
      expect((next as Snap).context.factor ?? null).toEqual(end.context.factor ?? null);
    }
  });

  it('keeps the per-flow attempt limit for every factor: the fifth wrong code fails the flow', () => {
    for (const factor of factors) {
      const steps = replay([
        'identify',
        'password:ok-factors',
        `choose:${factor.id}`,
        ...Array<Label>(5).fill('code:wrong'),
      ]);
      expect(steps.at(-1)?.after.value, factor.type).toBe('failed');
    }
  });
});
