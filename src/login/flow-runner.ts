import { runCommand, type UnitOfWork } from '../engine/unit-of-work.js';
import { isHelpdeskError } from '../errors.js';
import type { Json } from '../ports/json.js';
import { randomToken } from '../security/index.js';
import { loadLockout, lockedUntil } from '../security/lockout.js';
import { carryOut } from './effects.js';
import { loginErrors } from './error-codes.js';
import {
  expectedStateOf,
  loginFlows,
  passwordProven,
  stepNotAllowed,
  stepOf,
  viewOfFlow,
  type FlowEventType,
  type LoadedFlow,
} from './flow-record.js';
import { lockoutKeyOf, type LoginKit } from './login-kit.js';
import { FINAL_LOGIN_STATES, type LoginEvent, type LoginFlowState } from './login-machine.js';
import type { LoginFlowView, LoginResult } from './types.js';
import type { DeviceClaim } from '../sessions/devices.js';

const ANONYMOUS: Json = { role: 'anonymous' };
const SYSTEM: Json = { role: 'system' };

/** Builds the event of a step from the flow as loaded in this attempt (called again when the command re-runs). */
export type BuildEvent<T extends FlowEventType> = (
  uow: UnitOfWork,
  flow: LoadedFlow,
) => Promise<Extract<LoginEvent, { type: T }>>;

/** The first event of a phone or step-up flow, applied in the commit that creates the flow. */
export type FirstEvent = (uow: UnitOfWork, flowId: string) => Promise<{ event: LoginEvent; actor?: Json }>;

/** The skeleton every login command runs on: load the flow, step it, carry out the effects, answer its view. */
export interface FlowRunner {
  /**
   * Runs one step on an existing flow, in one command (`runCommand`), so concurrent calls on
   * one flow are ordered by its version. A flow past its lifetime is first moved to `expired`
   * (committed) and the call answers FLOW_EXPIRED; a flow in another state than the step's
   * answers STEP_NOT_ALLOWED before any credential is looked at, so nothing is counted.
   */
  command<T extends FlowEventType>(
    flowId: string,
    type: T,
    build: BuildEvent<T>,
    maxAttempts?: number,
  ): Promise<LoginFlowView>;
  /**
   * A password or code step. Its commit is guarded by the lockout record, which every guess on
   * the account (or number) writes, so a burst of parallel guesses makes steps lose the race
   * again and again. A step still losing after `runCommand`'s 8 attempts is not thrown to the
   * host as VERSION_CONFLICT: its flow ends `locked` (`retryAfter`: the lock in force, else
   * `lockoutBaseWait` from now) without the credential being checked or counted — a burst of
   * guesses on one account is an attack in progress.
   */
  underContention(
    flowId: string,
    type: 'password' | 'code',
    build: BuildEvent<'password' | 'code'>,
  ): Promise<LoginFlowView>;
  /**
   * Creates a flow (for the client whose key HMAC is `clientKey`, if any) and, for phone and
   * step-up flows, applies their first event in the same commit.
   */
  createFlow(first?: FirstEvent, clientKey?: string | null, deviceClaim?: DeviceClaim | null): Promise<LoginFlowView>;
  /**
   * Applies one event and saves the flow (STEP_NOT_ALLOWED when the machine has no transition
   * for it), carries out its effects, and writes the step's one history entry. Returns the
   * login result when this step completed the login.
   */
  applyStep(
    uow: UnitOfWork,
    flow: LoadedFlow,
    event: LoginEvent,
    actor?: Json,
  ): Promise<{ next: LoadedFlow; result: LoginResult | undefined }>;
}

/** The flow runner of one login service. */
export function createFlowRunner(kit: LoginKit): FlowRunner {
  const { deps } = kit;
  const run = <T>(handler: (uow: UnitOfWork) => Promise<T>, maxAttempts?: number) =>
    runCommand(deps.storage, () => deps.clock.now(), handler, maxAttempts === undefined ? {} : { maxAttempts });

  const runner: FlowRunner = {
    async applyStep(uow, flow, event, actor = ANONYMOUS) {
      const { next, effects, from } = loginFlows.apply(uow, flow, event);
      const ctx = next.snapshot.context;
      const data: Record<string, Json> = {
        from: from as Json,
        to: next.snapshot.value as Json,
        error: ctx.error?.code ?? null,
      };
      // Only once the password is proven: before, the entry would tell whether the identifier exists.
      if (ctx.accountId !== null && passwordProven(ctx)) data.accountId = ctx.accountId;
      const done = await carryOut(kit, uow, ctx, effects);
      if (done.sms) data.sms = done.sms;
      loginFlows.record(uow, ctx.flowId, { type: `login.${stepOf(event.type)}`, actor, data });
      return { next, result: done.result };
    },

    async command(flowId, type, build, maxAttempts) {
      const outcome = await run(async (uow) => {
        const flow = await loginFlows.load(uow, flowId);
        const state = flow.snapshot.value as LoginFlowState;
        if (state === 'expired') return { expired: true } as const;
        if (!FINAL_LOGIN_STATES.has(state) && uow.now >= flow.snapshot.context.expiresAt) {
          await runner.applyStep(uow, flow, { type: 'expire', at: uow.now }, SYSTEM);
          return { expired: true } as const;
        }
        if (state !== expectedStateOf(type)) throw stepNotAllowed(flowId, state, stepOf(type));
        const { next, result } = await runner.applyStep(uow, flow, await build(uow, flow));
        return { expired: false, view: viewOfFlow(next, uow.now, result) } as const;
      }, maxAttempts);
      if (outcome.expired)
        throw loginErrors.raise('FLOW_EXPIRED', { flowId }, 'The login flow has expired; start again.');
      return outcome.view;
    },

    async underContention(flowId, type, build) {
      try {
        return await runner.command(flowId, type, build);
      } catch (error) {
        if (!isHelpdeskError(error, 'VERSION_CONFLICT')) throw error;
      }
      // Writes the flow only (its own record), so it does not contend on the lockout record.
      const giveUp: BuildEvent<'password' | 'code'> = async (uow, flow) => {
        const key = lockoutKeyOf(flow.snapshot.context);
        const retryAfter = lockedUntil(await loadLockout(uow, key), uow.now) ?? uow.now + kit.policy.lockoutBaseWait;
        return type === 'password'
          ? { type: 'password', at: uow.now, verdict: { result: 'locked', retryAfter } }
          : { type: 'code', at: uow.now, outcome: { result: 'locked', retryAfter } };
      };
      return runner.command(flowId, type, giveUp, 32);
    },

    async createFlow(first, clientKey = null, deviceClaim = null) {
      const flowId = `lgn_${randomToken(deps.random, 16)}`;
      return run(async (uow) => {
        const input = { flowId, createdAt: uow.now, limits: kit.limits, clientKey, deviceClaim };
        const { next: created } = loginFlows.create(uow, input);
        const expiresAt = created.snapshot.context.expiresAt;
        const data = { from: null, to: 'awaiting_identifier', expiresAt };
        loginFlows.record(uow, flowId, { type: 'login.started', actor: ANONYMOUS, data });
        if (!first) return viewOfFlow(created, uow.now);
        const { event, actor } = await first(uow, flowId);
        const { next, result } = await runner.applyStep(uow, created, event, actor);
        return viewOfFlow(next, uow.now, result);
      });
    },
  };
  return runner;
}
