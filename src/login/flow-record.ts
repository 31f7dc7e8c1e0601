import { deepFreeze } from '../_lib/json.js';
import { defineAggregate, type Loaded } from '../engine/aggregate.js';
import { LOCKOUT_KIND } from '../security/lockout.js';
import { RATE_WINDOW_KIND } from '../security/rate-limiter.js';
import { loginErrors, type LoginErrorCode } from './error-codes.js';
import {
  FINAL_LOGIN_STATES,
  loginMachine,
  type LoginEffect,
  type LoginEvent,
  type LoginFlowContext,
  type LoginFlowState,
} from './login-machine.js';
import type { LoginFlowView, LoginResult } from './types.js';

/** The record kind of login flows (id `lgn_…`; indexed by `state`). */
export const LOGIN_FLOW_KIND = 'login_flow';

/** Every record kind the login module writes (besides the security module's `one_time_code`). */
export const LOGIN_RECORD_KINDS = [LOGIN_FLOW_KIND, LOCKOUT_KIND, RATE_WINDOW_KIND] as const;

/** The purpose login codes are bound to; a `password_reset` code never matches here, nor the other way round. */
export const LOGIN_CODE_PURPOSE = 'login';

/** A login flow as a command sees it. */
export type LoadedFlow = Loaded<typeof loginMachine>;

/** The name of a step: in STEP_NOT_ALLOWED details and in the flow's history (`login.<step>`). */
export type LoginStep =
  'identifier' | 'password' | 'code' | 'resend' | 'new_password' | 'enrol' | 'phone' | 'step_up' | 'expired' | 'factor';

/** A user event of an existing flow: what `command` runs. */
export type FlowEventType = 'identify' | 'password' | 'code' | 'resend' | 'newPassword' | 'enrol' | 'chooseFactor';

/** The step each event is, and for the user events of an existing flow, the one state that takes it. */
const STEPS: Record<LoginEvent['type'], LoginStep> = {
  identify: 'identifier',
  password: 'password',
  code: 'code',
  resend: 'resend',
  newPassword: 'new_password',
  enrol: 'enrol',
  phone: 'phone',
  stepUp: 'step_up',
  expire: 'expired',
  chooseFactor: 'factor',
};
const EXPECTED_STATE: Record<FlowEventType, LoginFlowState> = {
  identify: 'awaiting_identifier',
  password: 'awaiting_password',
  code: 'awaiting_code',
  resend: 'awaiting_code',
  newPassword: 'awaiting_new_password',
  enrol: 'awaiting_enrolment',
  chooseFactor: 'awaiting_factor',
};

/** The step an event is. */
export const stepOf = (type: LoginEvent['type']): LoginStep => STEPS[type];

/** The state a flow must be in for a user event; any other answers STEP_NOT_ALLOWED before anything is checked. */
export const expectedStateOf = (type: FlowEventType): LoginFlowState => EXPECTED_STATE[type];

/** STEP_NOT_ALLOWED: a step out of order, on an ended flow, or refused for `reason`. */
export function stepNotAllowed(flowId: string, state: LoginFlowState, step: LoginStep, reason?: string) {
  return loginErrors.raise(
    'STEP_NOT_ALLOWED',
    { flowId, state, step, ...(reason ? { reason } : {}) },
    `Cannot ${step.replace('_', ' ')} now: the login flow is ${state}.`,
  );
}

/** FLOW_NOT_FOUND for an unknown flow id. */
export const flowNotFound = (flowId: string) =>
  loginErrors.raise('FLOW_NOT_FOUND', { flowId }, `No login flow with id "${flowId}".`);

const stateOf = (flow: { value: unknown }) => flow.value as LoginFlowState;

/**
 * The `login_flow` aggregate. A live flow is due at the end of its lifetime (`expiresAt`), so the
 * sweep marks it expired: the deadline is data in the record, not an xstate timer.
 */
export const loginFlows = defineAggregate<typeof loginMachine, Record<never, never>, LoginEffect>({
  kind: LOGIN_FLOW_KIND,
  machine: loginMachine,
  idOf: (context) => context.flowId,
  indexes: (snapshot) => ({ state: stateOf(snapshot) }),
  nextDueAt: (snapshot) => (FINAL_LOGIN_STATES.has(stateOf(snapshot)) ? null : snapshot.context.expiresAt),
  notFound: flowNotFound,
  refusal: (snapshot, event) => stepNotAllowed(snapshot.context.flowId, stateOf(snapshot), stepOf(event.type)),
});

/** Outcomes only the right password leads to (the flow ended, so `passwordVerified` stayed false). */
const AFTER_RIGHT_PASSWORD: ReadonlySet<LoginErrorCode> = new Set([
  'ACCOUNT_NOT_ACTIVATED',
  'ACCOUNT_DISABLED',
  'TEMPORARY_PASSWORD_EXPIRED',
  'PHONE_REQUIRED',
]);

/** Whether the flow has shown who it is about: a verified password (or a step-up of a signed-in account). */
export function passwordProven(ctx: LoginFlowContext): boolean {
  return ctx.passwordVerified || (ctx.error !== null && AFTER_RIGHT_PASSWORD.has(ctx.error.code));
}

/** A flow's state and context: a stored record's `state`, or a snapshot. */
export interface FlowState {
  value: LoginFlowState;
  context: LoginFlowContext;
}

/** The view of a flow at `now`: a live flow past its lifetime reads as `expired` even before the sweep. */
export function loginFlowView(flow: FlowState, now: number, result?: LoginResult): LoginFlowView {
  const ctx = flow.context;
  const lapsed = !FINAL_LOGIN_STATES.has(flow.value) && now >= ctx.expiresAt;
  const state: LoginFlowState = lapsed ? 'expired' : flow.value;
  const coding = state === 'awaiting_code';
  const view: LoginFlowView = {
    flowId: ctx.flowId,
    state,
    attemptsLeft: coding ? ctx.codeAttemptsLeft : null,
    // No resend time is promised once none are left (a resend then answers RESEND_LIMIT).
    resendAvailableAt: coding && ctx.resendsLeft > 0 ? ctx.resendAvailableAt : null,
    resendsLeft: coding ? ctx.resendsLeft : null,
    maskedPhone: ctx.maskedPhone,
    expiresAt: ctx.expiresAt,
    error: lapsed ? null : ctx.error === null ? null : { ...ctx.error },
  };
  // Second factors (docs/factors.md): the choice while it is open, then the chosen one.
  if (state === 'awaiting_factor') view.factors = structuredClone(ctx.factors ?? []);
  if (ctx.factor) view.factor = { ...ctx.factor };
  if (result) {
    // The tokens go to the view's top level, once; the result itself stays free of secrets.
    const { session, device, ...rest } = result;
    view.result = structuredClone(rest);
    if (session) view.session = { ...session };
    if (device) view.device = { ...device };
  }
  return deepFreeze(view);
}

/** The view of a loaded flow. */
export const viewOfFlow = (flow: LoadedFlow, now: number, result?: LoginResult): LoginFlowView =>
  loginFlowView({ value: stateOf(flow.snapshot), context: flow.snapshot.context }, now, result);
