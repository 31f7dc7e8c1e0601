import { deepFreeze } from '../_lib/json.js';
import { initialTransition, type SnapshotFrom } from 'xstate';
import { parseLoginIdentifier, type AccountRecord, type AccountRepository } from '../accounts/account-repository.js';
import { effectivePermissions } from '../accounts/permissions.js';
import { maskPhone } from '../accounts/phone.js';
import { actorOf, type AuthContext, type AuthMethod, type Principal } from '../accounts/principal.js';
import type { CoreDeps } from '../engine/deps.js';
import { persistSnapshot, restoreSnapshot, stepMachine, type EffectAction } from '../engine/machine-step.js';
import { queueMessage } from '../engine/notify.js';
import type { DueHandler } from '../engine/timers.js';
import { runCommand, type UnitOfWork } from '../engine/unit-of-work.js';
import { parseInput } from '../engine/validate.js';
import { isHelpdeskError } from '../errors.js';
import type { Locale } from '../messages/locales.js';
import type { HistoryEntry } from '../ports/history-store.js';
import type { Json } from '../ports/json.js';
import type { StoredRecord } from '../ports/record-store.js';
import { randomToken } from '../security/index.js';
import { loginErrors } from './error-codes.js';
import {
  countFailure as countLockoutFailure,
  loadLockout,
  lockedUntil,
  LOCKOUT_KIND,
  recordSuccess,
  saveLockout,
} from '../security/lockout.js';
import { addHit, checkRate, combineSlots, RATE_WINDOW_KIND, rateKey } from '../security/rate-limiter.js';
import {
  FINAL_LOGIN_STATES,
  loginMachine,
  type CodeOutcome,
  type LoginErrorCode,
  type LoginEvent,
  type LoginFlowContext,
  type LoginFlowKind,
  type LoginFlowState,
  type LoginLimits,
  type PasswordVerdict,
  type SmsSlot,
} from './login-machine.js';
import { resolveLoginPolicy, type LoginPolicy, type LoginPolicyOverrides } from './policy.js';
import {
  changePasswordSchema,
  enrolPhoneSchema,
  flowIdSchema,
  resendCodeSchema,
  startPhoneLoginSchema,
  startStepUpSchema,
  submitCodeSchema,
  submitIdentifierSchema,
  submitPasswordSchema,
  type ChangePasswordInput,
  type EnrolPhoneInput,
  type ResendCodeInput,
  type StartPhoneLoginInput,
  type StartStepUpInput,
  type SubmitCodeInput,
  type SubmitIdentifierInput,
  type SubmitPasswordInput,
} from './schemas.js';
import type { LoginFlowView, LoginResult } from './types.js';

/** The record kind of login flows (id `lgn_…`; indexed by `state`). */
export const LOGIN_FLOW_KIND = 'login_flow';

/** Every record kind the login module writes (besides the security module's `one_time_code`). */
export const LOGIN_RECORD_KINDS = [LOGIN_FLOW_KIND, LOCKOUT_KIND, RATE_WINDOW_KIND] as const;

/** The purpose login codes are bound to; a `password_reset` code never matches here, nor the other way round. */
export const LOGIN_CODE_PURPOSE = 'login';

export interface LoginServiceOptions {
  policy?: LoginPolicyOverrides;
}

type Snapshot = SnapshotFrom<typeof loginMachine>;
type StoredFlow = { value: LoginFlowState; context: LoginFlowContext };
type StepName = 'identifier' | 'password' | 'code' | 'resend' | 'new_password' | 'enrol';
/** The PasswordHasher's answers within one call, by stored hash: a re-run after a lost race does not hash again. */
type HashMemo = Map<string, boolean>;

const ANONYMOUS: Json = { role: 'anonymous' };

/** Errors only the right password leads to (the flow ended, so `passwordVerified` stayed false). */
const AFTER_RIGHT_PASSWORD: ReadonlySet<LoginErrorCode> = new Set([
  'ACCOUNT_NOT_ACTIVATED',
  'ACCOUNT_DISABLED',
  'TEMPORARY_PASSWORD_EXPIRED',
  'PHONE_REQUIRED',
]);

/** Whether the flow has shown who it is about: a verified password (or a step-up of a signed-in account). */
function passwordProven(ctx: LoginFlowContext): boolean {
  return ctx.passwordVerified || (ctx.error !== null && AFTER_RIGHT_PASSWORD.has(ctx.error.code));
}

/** The view of a flow at `now`: a live flow past its lifetime reads as `expired` even before the sweep. */
export function loginFlowView(stored: StoredFlow, now: number, result?: LoginResult): LoginFlowView {
  const ctx = stored.context;
  const lapsed = !FINAL_LOGIN_STATES.has(stored.value) && now >= ctx.expiresAt;
  const state: LoginFlowState = lapsed ? 'expired' : stored.value;
  const coding = state === 'awaiting_code';
  const view: LoginFlowView = {
    flowId: ctx.flowId,
    state,
    attemptsLeft: coding ? ctx.codeAttemptsLeft : null,
    resendAvailableAt: coding ? ctx.resendAvailableAt : null,
    resendsLeft: coding ? ctx.resendsLeft : null,
    maskedPhone: ctx.maskedPhone,
    expiresAt: ctx.expiresAt,
    error: lapsed ? null : ctx.error === null ? null : { ...ctx.error },
  };
  if (result) view.result = structuredClone(result);
  return deepFreeze(view);
}

/**
 * The login service behind `desk.login`: password login with the SMS code, forced password
 * change, phone-number login and step-up. Every call runs one command (`runCommand`) on the
 * flow record, so concurrent calls on one flow are ordered by its version; every accepted
 * step writes one history entry on the flow. Returns `{ service, onDue }`: `onDue` sweeps
 * flows past their lifetime to `expired`.
 */
export function createLoginService(deps: CoreDeps, accounts: AccountRepository, options: LoginServiceOptions = {}) {
  const policy: LoginPolicy = resolveLoginPolicy(options.policy ?? {});
  const limits: LoginLimits = {
    flowTtl: policy.flowTtl,
    codeTtl: policy.codeTtl,
    maxCodeAttempts: policy.maxCodeAttempts,
    maxResends: policy.maxResends,
    resendCooldown: policy.resendCooldown,
  };
  const run = <T>(handler: (uow: UnitOfWork) => Promise<T>, maxAttempts?: number) =>
    runCommand(deps.storage, () => deps.clock.now(), handler, maxAttempts === undefined ? {} : { maxAttempts });
  /** Pepper check up front: without it every call is CONFIGURATION_INVALID, before any write. */
  const configured = () => void accounts.codes();

  // --- records -------------------------------------------------------------------------------

  async function loadFlow(uow: UnitOfWork, flowId: string): Promise<Snapshot> {
    const record = await uow.load(LOGIN_FLOW_KIND, flowId);
    if (!record) throw loginErrors.raise('FLOW_NOT_FOUND', { flowId }, `No login flow with id "${flowId}".`);
    return restoreSnapshot(loginMachine, record.state as unknown as StoredFlow);
  }

  function saveFlow(uow: UnitOfWork, snapshot: Snapshot, create = false): void {
    const state = snapshot.value as LoginFlowState;
    const change = {
      state: persistSnapshot(snapshot),
      indexes: { state },
      // A live flow is due at the end of its lifetime, so the sweep can mark it expired.
      nextDueAt: FINAL_LOGIN_STATES.has(state) ? null : snapshot.context.expiresAt,
    };
    if (create) uow.create(LOGIN_FLOW_KIND, snapshot.context.flowId, change);
    else uow.put(LOGIN_FLOW_KIND, snapshot.context.flowId, change);
  }

  const countFailure = (uow: UnitOfWork, key: string) => countLockoutFailure(uow, key, policy);

  /**
   * The SMS bucket a send is counted in: anonymous phone-number logins under the number
   * (`phone-login:<e164>`, known and unknown numbers alike), sends after a verified password,
   * for a step-up or an enrolment under the account (`account:<id>`). So anonymous requests
   * cannot spend an account's login SMS. Every send also counts toward the number's ceiling
   * (`number:<e164>`), shared by all buckets, for accounts that share a number.
   */
  function smsBucket(kind: LoginFlowKind, accountId: string | null, phone: string): string {
    return kind === 'phone' || accountId === null ? `phone-login:${phone}` : `account:${accountId}`;
  }

  async function smsSlotFor(uow: UnitOfWork, bucket: string, phone: string): Promise<SmsSlot> {
    return combineSlots([
      await checkRate(uow, rateKey('login_sms', bucket), { limit: policy.smsPerNumber, windowMs: policy.smsWindow }),
      await checkRate(uow, rateKey('login_sms', `number:${phone}`), {
        limit: policy.smsPerNumberCeiling,
        windowMs: policy.smsWindow,
      }),
    ]);
  }

  async function takeSmsSlot(uow: UnitOfWork, bucket: string, phone: string): Promise<void> {
    for (const id of [bucket, `number:${phone}`]) await addHit(uow, rateKey('login_sms', id), policy.smsWindow);
  }

  // --- steps ---------------------------------------------------------------------------------

  /**
   * Applies one event: STEP_NOT_ALLOWED when the machine has no transition for it; otherwise
   * stores the next snapshot with one history entry and carries out the effects. Returns the
   * login result when this step completed the login.
   */
  async function apply(
    uow: UnitOfWork,
    snapshot: Snapshot,
    event: LoginEvent,
    step: string,
    actor: Json = ANONYMOUS,
  ): Promise<{ next: Snapshot; result: LoginResult | undefined }> {
    const from = snapshot.value as LoginFlowState;
    const stepped = stepMachine(loginMachine, snapshot, event);
    if (!stepped.accepted) throw notAllowed(snapshot.context.flowId, from, step);
    const next = stepped.snapshot;
    const ctx = next.context;
    saveFlow(uow, next);
    const data: Record<string, Json> = { from, to: next.value as LoginFlowState, error: ctx.error?.code ?? null };
    // Only once the password is proven: before, the entry would tell whether the identifier exists.
    if (ctx.accountId !== null && passwordProven(ctx)) data.accountId = ctx.accountId;
    let result: LoginResult | undefined;
    for (const effect of stepped.effects) {
      const outcome = await runEffect(uow, next, effect);
      if (outcome.sms) data.sms = outcome.sms;
      if (outcome.result) result = outcome.result;
    }
    uow.history({ kind: LOGIN_FLOW_KIND, id: ctx.flowId, at: uow.now, type: `login.${step}`, actor, data });
    return { next, result };
  }

  async function runEffect(
    uow: UnitOfWork,
    snapshot: Snapshot,
    effect: EffectAction,
  ): Promise<{ sms?: string; result?: LoginResult }> {
    const ctx = snapshot.context;
    switch (effect.type) {
      case 'sendCode': {
        const { deliver } = effect.params as { deliver: boolean };
        if (!deliver || ctx.phone === null) return { sms: 'budget_spent' };
        // Known and unknown numbers take a slot alike; only a known subject gets a real code.
        await takeSmsSlot(uow, smsBucket(ctx.kind, ctx.accountId, ctx.phone), ctx.phone);
        if (!ctx.subjectKnown) return { sms: 'not_sent_unknown' };
        const { code } = await accounts.codes().issue(uow, {
          purpose: LOGIN_CODE_PURPOSE,
          subject: ctx.flowId,
          ttlMs: policy.codeTtl,
          digits: policy.codeDigits,
          maxAttempts: policy.maxCodeAttempts,
          keepFailedAttempts: true,
        });
        queueMessage(uow, deps.ids, 'sms', ctx.phone, 'login.code', await localeOf(uow, ctx), {
          code,
          expiresInMinutes: Math.round(policy.codeTtl / 60_000),
        });
        return { sms: 'sent' };
      }
      case 'revokeCode':
        await accounts.codes().revoke(uow, LOGIN_CODE_PURPOSE, ctx.flowId);
        return {};
      case 'lockedOut':
        if (ctx.accountId !== null) {
          accounts.recordAccountHistory(
            uow,
            ctx.accountId,
            'account.login_locked',
            { role: 'system' },
            {
              flowId: ctx.flowId,
              until: ctx.error?.retryAfter ?? null,
            },
          );
        }
        return {};
      case 'authenticated':
        return { result: await completeLogin(uow, ctx) };
      default:
        return {};
    }
  }

  /**
   * Accounts this module wrote in a unit of work (the temporary password bound to a flow, a new
   * password). A unit of work reads the version it loaded, so a later step of the same command
   * (completing the login, enrolling a phone) builds on what was written, not on the stale read.
   */
  const writtenAccounts = new WeakMap<UnitOfWork, Map<string, AccountRecord>>();

  function putAccount(uow: UnitOfWork, account: AccountRecord): void {
    accounts.updateAccount(uow, account);
    noteAccount(uow, account);
  }

  function noteAccount(uow: UnitOfWork, account: AccountRecord): void {
    const written = writtenAccounts.get(uow) ?? new Map<string, AccountRecord>();
    written.set(account.id, account);
    writtenAccounts.set(uow, written);
  }

  async function accountIn(uow: UnitOfWork, accountId: string): Promise<{ value: AccountRecord } | null> {
    const loaded = await accounts.findAccountById(accountId, uow);
    const written = writtenAccounts.get(uow)?.get(accountId);
    return written && loaded ? { value: written } : loaded;
  }

  async function localeOf(uow: UnitOfWork, ctx: LoginFlowContext): Promise<Locale> {
    if (ctx.accountId === null) return deps.locale;
    return (await accounts.findAccountById(ctx.accountId, uow))?.value.locale ?? deps.locale;
  }

  /** Builds the result from the records as they are now, resets the lockout, and audits the login. */
  async function completeLogin(uow: UnitOfWork, ctx: LoginFlowContext): Promise<LoginResult> {
    let principal: Principal;
    let amr: AuthMethod[];
    if (ctx.kind === 'phone') {
      const record = ctx.phone === null ? null : await accounts.findPhonePrincipal(ctx.phone, uow);
      if (!record) throw notAllowed(ctx.flowId, 'awaiting_code', 'code', 'phone_not_registered');
      principal = accounts.phonePrincipal(record.value);
      amr = ['phone'];
      accounts.recordPhoneHistory(
        uow,
        record.value.phone,
        'phone.login_succeeded',
        { role: 'phone', phone: record.value.phone },
        { flowId: ctx.flowId },
      );
    } else {
      const found = ctx.accountId === null ? null : await accountIn(uow, ctx.accountId);
      if (!found || found.value.status !== 'active')
        throw notAllowed(ctx.flowId, 'awaiting_code', 'code', 'account_unavailable');
      principal = accounts.accountPrincipal(found.value);
      amr = ctx.kind === 'step_up' || ctx.codeVerified ? ['password', 'sms'] : ['password'];
      if (ctx.enrolling === true && ctx.codeVerified && ctx.phone !== null)
        enrolPhone(uow, found.value, ctx.phone, ctx);
      accounts.recordAccountHistory(
        uow,
        found.value.id,
        ctx.kind === 'step_up' ? 'account.step_up_confirmed' : 'account.login_succeeded',
        { role: 'account', id: found.value.id, login: found.value.login, amr: [...amr] },
        { flowId: ctx.flowId, passwordChanged: ctx.passwordChanged },
      );
    }
    if (ctx.lockoutKey !== null) {
      // Written even when there is nothing to reset: the commit is then guarded by the lockout
      // record's version, so a login that raced a lock taken in parallel re-runs and is refused.
      await loadLockout(uow, ctx.lockoutKey);
      saveLockout(uow, ctx.lockoutKey, recordSuccess());
    }
    const authenticatedAt = ctx.authenticatedAt ?? uow.now;
    const auth: AuthContext = { principal, amr, authenticatedAt };
    return {
      principal,
      organizationId: principal.organizationId,
      permissions: effectivePermissions(principal),
      amr: [...amr],
      authenticatedAt,
      auth,
    };
  }

  /** Stores the phone a recovered account just verified with the code, and tells the owner (ASVS 6.3.7). */
  function enrolPhone(uow: UnitOfWork, account: AccountRecord, phone: string, ctx: LoginFlowContext): void {
    accounts.updateAccount(uow, { ...account, phone, mustEnrolFactor: false, updatedAt: uow.now });
    const maskedPhone = maskPhone(phone);
    accounts.recordAccountHistory(
      uow,
      account.id,
      'account.factor_enrolled',
      { role: 'account', id: account.id, login: account.login },
      { flowId: ctx.flowId, factor: 'phone', maskedPhone },
    );
    queueMessage(uow, deps.ids, 'email', account.email, 'factor.enrolled', account.locale, {
      login: account.login,
      maskedPhone,
    });
  }

  function notAllowed(flowId: string, state: LoginFlowState, step: string, reason?: string) {
    return loginErrors.raise(
      'STEP_NOT_ALLOWED',
      { flowId, state, step, ...(reason ? { reason } : {}) },
      `Cannot ${step.replace('_', ' ')} now: the login flow is ${state}.`,
    );
  }

  /**
   * Runs one step on an existing flow. A flow past its lifetime is first moved to `expired`
   * (committed) and the call answers FLOW_EXPIRED; a flow in another state than `expects`
   * answers STEP_NOT_ALLOWED before any credential is looked at, so nothing is counted.
   */
  async function command(
    flowId: string,
    step: StepName,
    expects: LoginFlowState,
    build: (uow: UnitOfWork, snapshot: Snapshot) => Promise<LoginEvent>,
    maxAttempts?: number,
  ): Promise<LoginFlowView> {
    const outcome = await run(async (uow) => {
      const snapshot = await loadFlow(uow, flowId);
      const state = snapshot.value as LoginFlowState;
      if (state === 'expired') return { expired: true } as const;
      if (!FINAL_LOGIN_STATES.has(state) && uow.now >= snapshot.context.expiresAt) {
        await apply(uow, snapshot, { type: 'expire', at: uow.now }, 'expired', { role: 'system' });
        return { expired: true } as const;
      }
      if (state !== expects) throw notAllowed(flowId, state, step);
      const { next, result } = await apply(uow, snapshot, await build(uow, snapshot), step);
      return { expired: false, view: loginFlowView(persistSnapshot(next) as unknown as StoredFlow, uow.now, result) };
    }, maxAttempts);
    if (outcome.expired)
      throw loginErrors.raise('FLOW_EXPIRED', { flowId }, 'The login flow has expired; start again.');
    return outcome.view;
  }

  /**
   * A password or code step. Its commit is guarded by the lockout record, which every guess on
   * the account (or number) writes, so a burst of parallel guesses makes steps lose the race
   * again and again. A step still losing after `runCommand`'s 8 attempts is not thrown to the
   * host as VERSION_CONFLICT: its flow ends `locked` (`retryAfter`: the lock in force, else
   * `lockoutBaseWait` from now) without the credential being checked or counted — a burst of
   * guesses on one account is an attack in progress. Hashing is not repeated on the re-runs
   * (the password step keeps the hasher's answer per call).
   */
  async function underContention(
    flowId: string,
    step: 'password' | 'code',
    expects: LoginFlowState,
    build: (uow: UnitOfWork, snapshot: Snapshot) => Promise<LoginEvent>,
  ): Promise<LoginFlowView> {
    try {
      return await command(flowId, step, expects, build);
    } catch (error) {
      if (!isHelpdeskError(error, 'VERSION_CONFLICT')) throw error;
    }
    // Writes the flow only (its own record), so it does not contend on the lockout record.
    return command(
      flowId,
      step,
      expects,
      async (uow, snapshot) => {
        const key = snapshot.context.lockoutKey ?? `flow:${flowId}`;
        const retryAfter = lockedUntil(await loadLockout(uow, key), uow.now) ?? uow.now + policy.lockoutBaseWait;
        return step === 'password'
          ? { type: 'password', at: uow.now, verdict: { result: 'locked', retryAfter } }
          : { type: 'code', at: uow.now, outcome: { result: 'locked', retryAfter } };
      },
      32,
    );
  }

  /** Creates a flow and, for phone and step-up flows, applies their first event in the same commit. */
  async function createFlow(
    first?: (uow: UnitOfWork, flowId: string) => Promise<{ event: LoginEvent; step: string; actor?: Json }>,
  ): Promise<LoginFlowView> {
    const flowId = `lgn_${randomToken(deps.random, 16)}`;
    return run(async (uow) => {
      const [initial] = initialTransition(loginMachine, { flowId, createdAt: uow.now, limits });
      saveFlow(uow, initial, true);
      uow.history({
        kind: LOGIN_FLOW_KIND,
        id: flowId,
        at: uow.now,
        type: 'login.started',
        actor: ANONYMOUS,
        data: { from: null, to: 'awaiting_identifier', expiresAt: initial.context.expiresAt },
      });
      if (!first) return loginFlowView(persistSnapshot(initial) as unknown as StoredFlow, uow.now);
      const { event, step, actor } = await first(uow, flowId);
      const { next, result } = await apply(uow, initial, event, step, actor);
      return loginFlowView(persistSnapshot(next) as unknown as StoredFlow, uow.now, result);
    });
  }

  // --- password step -------------------------------------------------------------------------

  async function passwordVerdict(
    uow: UnitOfWork,
    ctx: LoginFlowContext,
    password: string,
    memo: HashMemo,
  ): Promise<PasswordVerdict> {
    const key = ctx.lockoutKey ?? `flow:${ctx.flowId}`;
    const lockout = await loadLockout(uow, key);
    const until = lockedUntil(lockout, uow.now);
    // While locked, the password is not checked at all: a lock is no window for guessing.
    if (until !== null) return { result: 'locked', retryAfter: until };
    // Written even when unchanged (a right password does not reset the count): the commit is
    // then guarded by the lockout record's version, so a right guess that raced wrong guesses
    // committed in parallel re-runs, sees their lock, and is refused.
    saveLockout(uow, key, lockout);

    const account =
      ctx.accountId === null ? null : ((await accounts.findAccountById(ctx.accountId, uow))?.value ?? null);
    const check = await checkPassword(account, password, memo);
    if (!account || check === 'wrong') {
      const lock = await countFailure(uow, key);
      return lock === null ? { result: 'wrong' } : { result: 'locked', retryAfter: lock };
    }
    // Only someone who knows the password learns anything about the account from here on.
    if (account.status === 'pending_activation') return { result: 'not_activated' };
    if (account.status !== 'active') return { result: 'disabled' };
    if (check === 'temporary_expired') return { result: 'temporary_expired' };
    // A temporary password is usable once: the first flow that accepted it consumed it, so any
    // other flow is told it can no longer be used (the administrator reissues one).
    if (check === 'temporary' && !ownsTemporaryPassword(account, ctx)) return { result: 'temporary_expired' };
    // A lost-factor recovery removed the factor: the login goes on only by enrolling a new phone.
    if (account.mustEnrolFactor === true) {
      bindTemporaryPassword(uow, account, ctx, check);
      return {
        result: 'ok',
        temporary: check === 'temporary',
        codeRequired: false,
        organizationId: account.organizationId,
        phone: null,
        maskedPhone: null,
        sms: { allowed: true },
        enrolmentRequired: true,
      };
    }
    const codeRequired = await requiresCode(uow, account);
    if (codeRequired && account.phone === null) return { result: 'phone_required' };
    bindTemporaryPassword(uow, account, ctx, check);
    return {
      result: 'ok',
      temporary: check === 'temporary',
      codeRequired,
      organizationId: account.organizationId,
      phone: codeRequired ? account.phone : null,
      maskedPhone: codeRequired && account.phone !== null ? maskPhone(account.phone) : null,
      sms:
        codeRequired && account.phone !== null
          ? await smsSlotFor(uow, smsBucket('password', account.id, account.phone), account.phone)
          : { allowed: true },
    };
  }

  /** Whether this flow may use the account's temporary password: no flow has consumed it yet, or this one did. */
  function ownsTemporaryPassword(account: AccountRecord, ctx: LoginFlowContext): boolean {
    const owner = account.temporaryPasswordFlowId ?? null;
    return owner === null || owner === ctx.flowId;
  }

  /**
   * The flow that accepts a temporary password consumes it (in the same commit, guarded by the
   * account's version, so of two racing flows one wins and the other re-runs and is refused).
   */
  function bindTemporaryPassword(uow: UnitOfWork, account: AccountRecord, ctx: LoginFlowContext, check: string) {
    if (check !== 'temporary' || account.temporaryPasswordFlowId === ctx.flowId) return;
    putAccount(uow, { ...account, temporaryPasswordFlowId: ctx.flowId, updatedAt: uow.now });
  }

  /**
   * Password, temporary password, or neither; an unknown subject costs one dummy hash like a
   * real check. The hasher's answer is kept in `memo` (per call, by stored hash), so when the
   * command re-runs after a lost race it does not hash again.
   */
  async function checkPassword(
    account: AccountRecord | null,
    password: string,
    memo: HashMemo,
  ): Promise<'password' | 'temporary' | 'temporary_expired' | 'wrong'> {
    const stored = account?.passwordHash ?? null;
    const memoKey = stored ?? '\u0000dummy';
    let matches = memo.get(memoKey);
    if (matches === undefined) {
      matches =
        !account || stored === null
          ? await accounts.verifyDummyPassword(password)
          : await accounts.verifyPassword(account, password);
      memo.set(memoKey, matches);
    }
    if (matches) return 'password';
    if (!account) return 'wrong';
    const temporary = await accounts.verifyTemporaryPassword(account, password);
    return temporary === 'valid' ? 'temporary' : temporary === 'expired' ? 'temporary_expired' : 'wrong';
  }

  /**
   * Business users: their organisation's `smsCodeForLogin` (on unless the main administrator
   * switched it off). Personal accounts: the SMS code when a phone is on record.
   */
  async function requiresCode(uow: UnitOfWork, account: AccountRecord): Promise<boolean> {
    if (account.organizationId === null) return account.phone !== null;
    const org = await accounts.findOrganizationById(account.organizationId, uow);
    return org?.value.settings.smsCodeForLogin ?? true;
  }

  async function codeOutcome(uow: UnitOfWork, ctx: LoginFlowContext, code: string): Promise<CodeOutcome> {
    const key = ctx.lockoutKey ?? `flow:${ctx.flowId}`;
    const lockout = await loadLockout(uow, key);
    const until = lockedUntil(lockout, uow.now);
    if (until !== null) return { result: 'locked', retryAfter: until };
    // Written even when unchanged, so the commit is guarded by the lockout's version (see passwordVerdict).
    saveLockout(uow, key, lockout);
    const check = await accounts.codes().verify(uow, { purpose: LOGIN_CODE_PURPOSE, subject: ctx.flowId, code });
    if (check.outcome === 'accepted') return { result: 'accepted' };
    // Only the right code, past its lifetime, reads as expired; it is not a guess, so it does not count.
    if (check.outcome === 'expired') return { result: 'expired' };
    const lock = await countFailure(uow, key);
    return lock === null ? { result: 'wrong' } : { result: 'locked', retryAfter: lock };
  }

  // --- the service ---------------------------------------------------------------------------

  const service = {
    /** Opens a login flow (15 min): the identifier page. */
    async start(): Promise<LoginFlowView> {
      configured();
      return createFlow();
    },

    /**
     * The identifier page's "Tovább". Any well-formed identifier moves on to the password
     * page, whether or not an account has it; a malformed one is INVALID_INPUT.
     */
    async submitIdentifier(input: SubmitIdentifierInput): Promise<LoginFlowView> {
      configured();
      const p = parseInput(submitIdentifierSchema, input, 'identifier');
      return command(p.flowId, 'identifier', 'awaiting_identifier', async (uow) => {
        const login = parseLoginIdentifier(p.identifier)?.login ?? p.identifier;
        const found = await accounts.findAccountByLogin(login, uow);
        // An unknown identifier gets its own lockout record under an HMAC of what was typed
        // (people type passwords into the username field), so it locks exactly like a real one.
        const lockoutKey = found
          ? `account:${found.value.id}`
          : `identifier:${await accounts.lookupKey('login_identifier', login)}`;
        return {
          type: 'identify',
          at: uow.now,
          subjectKnown: found !== null,
          accountId: found?.value.id ?? null,
          lockoutKey,
        };
      });
    },

    /**
     * The password page's "Tovább". Wrong: the view says `wrong_password` (and `locked` after
     * the 5th consecutive failure). Right: the SMS code step, the new-password step, or straight
     * `authenticated` when the organisation switched the SMS code off.
     */
    async submitPassword(input: SubmitPasswordInput): Promise<LoginFlowView> {
      configured();
      const p = parseInput(submitPasswordSchema, input, 'password');
      const memo: HashMemo = new Map();
      return underContention(p.flowId, 'password', 'awaiting_password', async (uow, snapshot) => ({
        type: 'password',
        at: uow.now,
        verdict: await passwordVerdict(uow, snapshot.context, p.password, memo),
      }));
    },

    /** The code page's "Belépek". 5 wrong codes per flow in total; a wrong code also counts toward the lockout. */
    async submitCode(input: SubmitCodeInput): Promise<LoginFlowView> {
      configured();
      const p = parseInput(submitCodeSchema, input, 'code');
      return underContention(p.flowId, 'code', 'awaiting_code', async (uow, snapshot) => ({
        type: 'code',
        at: uow.now,
        outcome: await codeOutcome(uow, snapshot.context, p.code),
      }));
    },

    /**
     * "Nem kaptam meg az SMS-t": a new code (the earlier one stops working) after a 30 s
     * cooldown, at most 3 per flow and 10 SMS per bucket per 24 h (the account's, or the number's
     * phone-login bucket; 30 per number in all). It never restores wrong-code
     * attempts. A refused resend is an `error` in the view, not an exception.
     */
    async resendCode(input: ResendCodeInput): Promise<LoginFlowView> {
      configured();
      const p = parseInput(resendCodeSchema, input, 'resend request');
      return command(p.flowId, 'resend', 'awaiting_code', async (uow, snapshot) => ({
        type: 'resend',
        at: uow.now,
        sms:
          snapshot.context.phone === null
            ? { allowed: true }
            : await smsSlotFor(
                uow,
                smsBucket(snapshot.context.kind, snapshot.context.accountId, snapshot.context.phone),
                snapshot.context.phone,
              ),
      }));
    },

    /**
     * The forced change after a temporary password (and the SMS code, when required). A new
     * password that breaks the rules is `password_rejected` in the view with its `reason`
     * (`equals_temporary` for the temporary password itself); afterwards the temporary
     * password no longer works. The new password and the completed flow are one commit,
     * guarded by the flow's version: of two concurrent calls on one flow exactly one sets its
     * password and completes, the other answers STEP_NOT_ALLOWED and changes nothing.
     */
    async changePassword(input: ChangePasswordInput): Promise<LoginFlowView> {
      configured();
      const p = parseInput(changePasswordSchema, input, 'new password');
      // Hashed at most once per call (not again when the command re-runs), and only once the
      // flow is known to wait for the new password.
      let hashed: Promise<string> | null = null;
      // Out of order or expired: `command` answers STEP_NOT_ALLOWED / FLOW_EXPIRED before anything is hashed.
      return command(p.flowId, 'new_password', 'awaiting_new_password', async (uow, snapshot) => {
        const accountId = snapshot.context.accountId;
        const event = (outcome: { result: 'changed' } | { result: 'rejected'; reason: string }): LoginEvent => ({
          type: 'newPassword',
          at: uow.now,
          outcome,
        });
        if (accountId === null) return event({ result: 'changed' });
        try {
          hashed ??= accounts.hashNewPassword(p.newPassword);
          const passwordHash = await hashed;
          const account = await accounts.setPasswordIn(uow, {
            accountId,
            newPassword: p.newPassword,
            passwordHash,
            reason: 'forced_change',
          });
          noteAccount(uow, account);
          return event({ result: 'changed' });
        } catch (error) {
          const reason = isHelpdeskError(error, 'INVALID_INPUT') ? error.details.reason : undefined;
          if (typeof reason !== 'string') throw error;
          return event({ result: 'rejected', reason });
        }
      });
    },

    /**
     * After a lost-factor recovery (`awaiting_enrolment`): the new phone number. A code goes to
     * it (same lifetime, attempts, resend limits and SMS budget as the login code); the login
     * completes with the right code, and only then is the number stored on the account, the
     * enrolment requirement cleared and the owner mailed (`factor.enrolled`).
     */
    async enrolPhone(input: EnrolPhoneInput): Promise<LoginFlowView> {
      configured();
      const p = parseInput(enrolPhoneSchema, input, 'phone number');
      return command(p.flowId, 'enrol', 'awaiting_enrolment', async (uow, snapshot) => ({
        type: 'enrol',
        at: uow.now,
        phone: p.number,
        maskedPhone: maskPhone(p.number),
        sms: await smsSlotFor(uow, smsBucket(snapshot.context.kind, snapshot.context.accountId, p.number), p.number),
      }));
    },

    /**
     * Phone-number login (the number page's "Kérem az SMS-t"): a flow straight at the code
     * step. A registered number gets a code by SMS; an unknown one gets the same view and flow
     * shape, and nothing is sent. The login carries only the number's grant (`amr: ['phone']`).
     */
    async startPhoneLogin(input: StartPhoneLoginInput): Promise<LoginFlowView> {
      configured();
      const p = parseInput(startPhoneLoginSchema, input, 'phone number');
      const phone = p.number;
      return createFlow(async (uow) => {
        const principal = await accounts.findPhonePrincipal(phone, uow);
        const lockoutKey = `phone:${phone}`;
        return {
          step: 'phone',
          event: {
            type: 'phone',
            at: uow.now,
            subjectKnown: principal !== null,
            organizationId: principal?.value.organizationId ?? null,
            phone,
            maskedPhone: maskPhone(phone),
            lockoutKey,
            lockedUntil: lockedUntil(await loadLockout(uow, lockoutKey), uow.now),
            sms: await smsSlotFor(uow, smsBucket('phone', null, phone), phone),
          },
        };
      });
    },

    /**
     * Step-up: a signed-in account confirms with a fresh SMS code and gets an AuthContext with
     * `amr: ['password', 'sms']` — what `setOrganizationSettings` needs when the organisation's
     * logins no longer ask for the code. STEP_NOT_ALLOWED for a phone principal, an account
     * that is not active, or one without a phone.
     */
    async startStepUp(input: StartStepUpInput): Promise<LoginFlowView> {
      configured();
      const p = parseInput(startStepUpSchema, input, 'step-up request');
      const claimed = p.auth.principal;
      if (claimed.type !== 'account') throw notAllowed('-', 'awaiting_identifier', 'step_up', 'not_an_account');
      return createFlow(async (uow, flowId) => {
        const found = await accounts.findAccountById(claimed.accountId, uow);
        const account = found?.value;
        if (!account || account.status !== 'active')
          throw notAllowed(flowId, 'awaiting_identifier', 'step_up', 'account_unavailable');
        if (account.phone === null) throw notAllowed(flowId, 'awaiting_identifier', 'step_up', 'no_phone');
        const lockoutKey = `account:${account.id}`;
        return {
          step: 'step_up',
          actor: actorOf(p.auth),
          event: {
            type: 'stepUp',
            at: uow.now,
            accountId: account.id,
            organizationId: account.organizationId,
            phone: account.phone,
            maskedPhone: maskPhone(account.phone),
            lockoutKey,
            lockedUntil: lockedUntil(await loadLockout(uow, lockoutKey), uow.now),
            sms: await smsSlotFor(uow, smsBucket('step_up', account.id, account.phone), account.phone),
          },
        };
      });
    },

    /** The flow's view now (a flow past its lifetime reads `expired`); FLOW_NOT_FOUND for an unknown id. Never the result. */
    async get(flowId: string): Promise<LoginFlowView> {
      const id = parseInput(flowIdSchema, flowId, 'login flow id');
      const record = await deps.storage.load(LOGIN_FLOW_KIND, id);
      if (!record) throw loginErrors.raise('FLOW_NOT_FOUND', { flowId: id }, `No login flow with id "${id}".`);
      return loginFlowView(record.state as unknown as StoredFlow, deps.clock.now());
    },

    /**
     * The flow's audit trail, for operators (support staff, audit tooling) — do not show it to
     * whoever holds the flow id. One entry per step, never a password, code or identifier; the
     * account id appears only from the step that verified the password on, so the entries of a
     * known and an unknown identifier look alike until then.
     */
    async history(flowId: string): Promise<HistoryEntry[]> {
      const id = parseInput(flowIdSchema, flowId, 'login flow id');
      await service.get(id);
      return deps.storage.history(LOGIN_FLOW_KIND, id);
    },
  };

  /** Sweeps a flow past its lifetime to `expired` (guarded: a late or repeated sweep is harmless). */
  const onDue: DueHandler = async (uow, record: StoredRecord) => {
    const snapshot = restoreSnapshot(loginMachine, record.state as unknown as StoredFlow);
    const state = snapshot.value as LoginFlowState;
    if (FINAL_LOGIN_STATES.has(state) || uow.now < snapshot.context.expiresAt) {
      saveFlow(uow, snapshot); // ends the claim; stores the deadline as it is
      return [];
    }
    await apply(uow, snapshot, { type: 'expire', at: uow.now }, 'expired', { role: 'system' });
    return [{ kind: LOGIN_FLOW_KIND, id: record.id, event: 'expire', dueAt: snapshot.context.expiresAt }];
  };

  return { service, onDue, policy };
}

export type LoginService = ReturnType<typeof createLoginService>['service'];
