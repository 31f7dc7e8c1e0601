import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { UnitOfWork } from '../../src/engine/unit-of-work.js';
import { isHelpdeskError } from '../../src/errors.js';
import { loginOutcomes } from '../../src/login/error-codes.js';
import {
  expectedStateOf,
  LOGIN_FLOW_KIND,
  loginFlows,
  loginFlowView,
  type FlowEventType,
} from '../../src/login/flow-record.js';
import { LOGIN_FLOW_STATES, loginEvents, loginMachine } from '../../src/login/login-machine.js';
import { defaultLoginPolicy } from '../../src/login/policy.js';

const { flowTtl, codeTtl, maxCodeAttempts, maxResends, resendCooldown } = defaultLoginPolicy;
const limits = { flowTtl, codeTtl, maxCodeAttempts, maxResends, resendCooldown };

/** The states whose transitions name `type` (the machine's own configuration). */
function statesTaking(type: string): string[] {
  return LOGIN_FLOW_STATES.filter((state) => {
    const on = (loginMachine.config.states?.[state] as { on?: Record<string, unknown> } | undefined)?.on ?? {};
    return type in on;
  });
}

function newFlow(at = 0) {
  const uow = new UnitOfWork(createMemoryStorage(), at);
  const { next } = loginFlows.create(uow, { flowId: 'lgn_test', createdAt: at, limits });
  return { uow, flow: next };
}

describe('the login_flow record', () => {
  it('runs each user step only in the one state of the machine that takes it', () => {
    const steps: FlowEventType[] = ['identify', 'password', 'code', 'resend', 'newPassword', 'enrol'];
    for (const type of steps) expect(statesTaking(type), type).toEqual([expectedStateOf(type)]);
  });

  it('is due at the end of its lifetime while live, and never once it ended', () => {
    const { uow, flow } = newFlow(1_000);
    const live = uow.toCommit().writes[0];
    expect(live).toMatchObject({
      kind: LOGIN_FLOW_KIND,
      nextDueAt: 1_000 + flowTtl,
      indexes: { state: 'awaiting_identifier' },
    });
    loginFlows.apply(uow, flow, loginEvents.expire(1_000 + flowTtl));
    expect(uow.toCommit().writes[0]).toMatchObject({ nextDueAt: null, indexes: { state: 'expired' } });
  });

  it('refuses an event its state has no transition for with STEP_NOT_ALLOWED naming the flow, state and step', () => {
    const { uow, flow } = newFlow();
    let thrown: unknown;
    try {
      loginFlows.apply(uow, flow, loginEvents.code(1, { result: 'accepted' }));
    } catch (error) {
      thrown = error;
    }
    expect(isHelpdeskError(thrown, 'STEP_NOT_ALLOWED')).toBe(true);
    expect(thrown).toMatchObject({
      details: { flowId: 'lgn_test', state: 'awaiting_identifier', step: 'code' },
      message: 'Cannot code now: the login flow is awaiting_identifier.',
    });
  });

  it('shows only outcome codes declared in loginOutcomes, and a lapsed live flow as expired without its error', () => {
    const { uow, flow } = newFlow();
    const identified = loginFlows.apply(
      uow,
      flow,
      loginEvents.identify(1, { subjectKnown: false, accountId: null, lockoutKey: 'k' }),
    );
    const wrong = loginFlows.apply(uow, identified.next, loginEvents.password(2, { result: 'wrong' })).next;
    const stored = { value: 'awaiting_password' as const, context: wrong.snapshot.context };
    const view = loginFlowView(stored, 3);
    expect(view.error?.code).toBe('WRONG_PASSWORD');
    expect(Object.keys(loginOutcomes.codes)).toContain(view.error?.code);
    expect(loginFlowView(stored, flowTtl)).toMatchObject({ state: 'expired', error: null });
  });
});
