import type { AccountRepository } from '../accounts/account-repository.js';
import { maskPhone } from '../accounts/phone.js';
import { actorOf } from '../accounts/principal.js';
import type { CoreDeps } from '../engine/deps.js';
import type { DueHandler } from '../engine/timers.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { parseInput } from '../engine/validate.js';
import { LOGIN_FLOW_KIND, loginFlows, stepNotAllowed, viewOfFlow } from './flow-record.js';
import { createFlowRunner } from './flow-runner.js';
import { identifyEvent, phoneLoginEvent, stepUpEvent, codeFactorUsable } from './subject-events.js';
import { loginKit, type LoginKit } from './login-kit.js';
import { FINAL_LOGIN_STATES, type LoginFlowContext, type LoginFlowState, type SmsSlot } from './login-machine.js';
import type { LoginService } from './login-service.js';
import { resolveLoginPolicy, type LoginPolicy, type LoginPolicyOverrides } from './policy.js';
import {
  changePasswordSchema,
  enrolPhoneSchema,
  flowIdSchema,
  resendCodeSchema,
  startPhoneLoginSchema,
  startStepUpSchema,
  submitIdentifierSchema,
} from './schemas.js';
import { smsSlotOfFlow } from './sms-budget.js';
import { deviceClaimOf } from '../sessions/devices.js';
import { sessionInvalid } from '../sessions/error-codes.js';
import { liveSessionOf } from '../sessions/session-record.js';
import type { SessionIssuer } from '../sessions/issuer.js';
import { linkStepUp, setLoginIntent, type WithSessions } from '../sessions/login-intent.js';
import {
  startLoginWithDeviceSchema,
  submitCodeWithDeviceSchema,
  submitPasswordWithDeviceSchema,
} from '../sessions/login-inputs.js';
import type { LoginFactors } from '../factors/login-factors.js';
import { chooseFactorSchema } from './schemas.js';
import { factorSlotOf } from './verdicts.js';
import { codeOutcome, credentialsChangedOf, newPasswordOutcome, passwordVerdict, type HashMemo } from './verdicts.js';

/**
 * What a resend, a factor choice or an enrolment carries instead of a sending slot when the flow's
 * credentials changed since its password step: the flow ends `failed` and nothing is sent.
 */
const STALE = { sms: { allowed: true }, stale: true } as const;

/**
 * The sending part of a resend, factor choice or enrolment event: {@link STALE} when the flow's
 * credentials changed since its password step (`slotOf` is then not called), else `slotOf`'s slot.
 */
async function slotUnlessStale(
  kit: LoginKit,
  uow: UnitOfWork,
  ctx: LoginFlowContext,
  slotOf: () => Promise<SmsSlot>,
): Promise<typeof STALE | { sms: SmsSlot }> {
  return (await credentialsChangedOf(kit, uow, ctx)) ? STALE : { sms: await slotOf() };
}

// `createHelpdesk` (src/helpdesk.ts) and tests outside this folder import these from here.
export { LOGIN_FLOW_KIND, LOGIN_RECORD_KINDS } from './flow-record.js';
export type { LoginService } from './login-service.js';

/** Options of {@link createLoginService}. */
export interface LoginServiceOptions {
  /** Overrides of the login policy. Default: none (the defaults in docs/login.md). */
  policy?: LoginPolicyOverrides;
  /** Opens a session per completed login and remembers devices (`desk.sessions`). Default: none (no session, no token). */
  sessions?: SessionIssuer;
  /** The account's second factors beyond its phone (`desk.factors`). Default: none, the SMS code only. */
  factors?: LoginFactors;
}

/** What {@link createLoginService} returns: the service, its sweep handler, the policy in force. */
export interface LoginModule {
  service: LoginService;
  /** Sweeps a flow past its lifetime to `expired` (guarded: a late or repeated sweep is harmless). */
  onDue: DueHandler;
  policy: LoginPolicy;
}

/**
 * The login service behind `desk.login`. Each command reads as parse, load, step, answer: the
 * verdicts (`verdicts.ts`) look at the credentials, the machine decides, the runner
 * (`flow-runner.ts`) saves the flow, carries out the effects and answers the view, all in one
 * unit of work so nothing is half-written.
 */
export function createLoginService(
  deps: CoreDeps,
  accounts: AccountRepository,
  options: LoginServiceOptions = {},
): LoginModule {
  const policy = resolveLoginPolicy(options.policy ?? {});
  const issuer = options.sessions;
  // completion.ts reads the issuer from the kit (see WithSessions).
  const kit: LoginKit & WithSessions = {
    ...loginKit(deps, accounts, policy, options.factors),
    ...(issuer ? { sessions: issuer } : {}),
  };
  const { command, underContention, createFlow, applyStep } = createFlowRunner(kit);
  /** Pepper check up front: without it every call is CONFIGURATION_INVALID, before any write. */
  const configured = () => void accounts.codes();
  /** The host's client key is stored only as an HMAC. */
  const clientKeyOf = async (clientKey: string | undefined) =>
    clientKey === undefined ? null : accounts.lookupKey('client_key', clientKey);

  const service: LoginService = {
    async start(input) {
      configured();
      const p = parseInput(startLoginWithDeviceSchema, input, 'login start');
      const claim = issuer && p?.deviceToken !== undefined ? await deviceClaimOf(issuer, p.deviceToken) : null;
      return createFlow(undefined, await clientKeyOf(p?.clientKey), claim);
    },

    async submitIdentifier(input) {
      configured();
      const p = parseInput(submitIdentifierSchema, input, 'identifier');
      return command(p.flowId, 'identify', async (uow) => identifyEvent(kit, uow, p.identifier));
    },

    async submitPassword(input) {
      configured();
      const p = parseInput(submitPasswordWithDeviceSchema, input, 'password');
      const memo: HashMemo = new Map();
      // The token given here wins over the one given to `start` (the later call speaks for the
      // device now); a malformed one is a claim of nothing. Hashed once, not again on a re-run.
      const given = issuer && p.deviceToken !== undefined ? await deviceClaimOf(issuer, p.deviceToken) : undefined;
      return underContention(p.flowId, 'password', async (uow, flow) => {
        setLoginIntent(uow, { rememberDevice: false, deviceLabel: p.deviceLabel ?? null });
        const ctx = flow.snapshot.context;
        const device = given !== undefined ? given : (ctx.deviceClaim ?? null);
        return {
          type: 'password',
          at: uow.now,
          verdict: await passwordVerdict(kit, uow, ctx, p.password, memo, device),
        };
      });
    },

    async submitCode(input) {
      configured();
      const p = parseInput(submitCodeWithDeviceSchema, input, 'code');
      return underContention(p.flowId, 'code', async (uow, flow) => {
        setLoginIntent(uow, { rememberDevice: p.rememberDevice === true, deviceLabel: p.deviceLabel ?? null });
        return { type: 'code', at: uow.now, outcome: await codeOutcome(kit, uow, flow.snapshot.context, p.code) };
      });
    },

    async resendCode(input) {
      configured();
      const p = parseInput(resendCodeSchema, input, 'resend request');
      return command(p.flowId, 'resend', async (uow, flow) => {
        const ctx = flow.snapshot.context;
        const slot = await slotUnlessStale(kit, uow, ctx, async () => {
          // Only a current flow is refused for an unusable factor; a stale one ends `failed` instead.
          if (!(await codeFactorUsable(kit, uow, ctx)))
            throw stepNotAllowed(p.flowId, 'awaiting_code', 'resend', 'factor_not_usable');
          return smsSlotOfFlow(kit, uow, ctx);
        });
        return { type: 'resend', at: uow.now, ...slot };
      });
    },

    async changePassword(input) {
      configured();
      const p = parseInput(changePasswordSchema, input, 'new password');
      // Hashed at most once per call (not again when the command re-runs), and only once the
      // flow is known to wait for the new password (`command` refuses out of order or expired first).
      let hashed: Promise<string> | null = null;
      const hash = () => (hashed ??= accounts.hashNewPassword(p.newPassword));
      return command(p.flowId, 'newPassword', async (uow, flow) => ({
        type: 'newPassword',
        at: uow.now,
        outcome: await newPasswordOutcome(kit, uow, flow.snapshot.context, p.newPassword, hash),
      }));
    },

    async enrolPhone(input) {
      configured();
      const p = parseInput(enrolPhoneSchema, input, 'phone number');
      return command(p.flowId, 'enrol', async (uow, flow) => {
        const ctx = flow.snapshot.context;
        const slot = await slotUnlessStale(kit, uow, ctx, () => smsSlotOfFlow(kit, uow, ctx, p.number));
        return { type: 'enrol', at: uow.now, phone: p.number, maskedPhone: maskPhone(p.number), ...slot };
      });
    },

    async chooseFactor(input) {
      configured();
      const p = parseInput(chooseFactorSchema, input, 'factor choice');
      return command(p.flowId, 'chooseFactor', async (uow, flow) => {
        const ctx = flow.snapshot.context;
        const slot = await slotUnlessStale(kit, uow, ctx, () => factorSlotOf(kit, uow, ctx, p.factorId));
        return { type: 'chooseFactor', at: uow.now, factorId: p.factorId, ...slot };
      });
    },

    async startPhoneLogin(input) {
      configured();
      const { number, clientKey } = parseInput(startPhoneLoginSchema, input, 'phone number');
      return createFlow(
        async (uow) => ({ event: await phoneLoginEvent(kit, uow, number) }),
        await clientKeyOf(clientKey),
      );
    },

    async startStepUp(input) {
      configured();
      const { auth, method } = parseInput(startStepUpSchema, input, 'step-up request');
      const claimed = auth.principal;
      if (claimed.type !== 'account') throw stepNotAllowed('-', 'awaiting_identifier', 'step_up', 'not_an_account');
      return createFlow(async (uow, flowId) => {
        // The step-up refreshes the caller's live session when it completes, never a new one: without
        // a live session of this principal there is nothing to step up (an SMS code alone is no login).
        if (issuer) {
          if (!(await liveSessionOf(uow, auth))) throw sessionInvalid();
          linkStepUp(uow, flowId, auth.sessionId!, uow.now + kit.limits.flowTtl);
        }
        // The live session is the owner's: it passes the account's lock, and its own record counts.
        const sessionId = issuer ? auth.sessionId! : null;
        const event = await stepUpEvent(kit, uow, flowId, claimed.accountId, method, sessionId);
        return { event, actor: actorOf(auth) };
      });
    },

    async get(flowId) {
      const id = parseInput(flowIdSchema, flowId, 'login flow id');
      return viewOfFlow(await loginFlows.load(deps.storage, id), deps.clock.now());
    },

    async history(flowId) {
      const id = parseInput(flowIdSchema, flowId, 'login flow id');
      await service.get(id);
      return deps.storage.history(LOGIN_FLOW_KIND, id);
    },
  };

  const onDue: DueHandler = async (uow, record) => {
    const flow = loginFlows.fromRecord(record);
    const { expiresAt } = flow.snapshot.context;
    if (FINAL_LOGIN_STATES.has(flow.snapshot.value as LoginFlowState) || uow.now < expiresAt) {
      loginFlows.save(uow, flow); // ends the claim; stores the deadline as it is
      return [];
    }
    await applyStep(uow, flow, { type: 'expire', at: uow.now }, { role: 'system' });
    return [{ kind: LOGIN_FLOW_KIND, id: record.id, event: 'expire', dueAt: expiresAt }];
  };

  return { service, onDue, policy };
}
