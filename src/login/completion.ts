import type { AccountRecord } from '../accounts/account-repository.js';
import { effectivePermissions } from '../accounts/permissions.js';
import { maskPhone } from '../accounts/phone.js';
import type { AuthContext, AuthMethod, Principal } from '../accounts/principal.js';
import { queueMessage } from '../engine/notify.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { rememberDevice } from '../sessions/devices.js';
import { openSession, stepUpSession, type SessionIssuer } from '../sessions/issuer.js';
import { endStepUpLink, linkedSession, loginIntentOf, type WithSessions } from '../sessions/login-intent.js';
import {
  clientLockoutKey,
  forSubject,
  loadLockout,
  recordSuccess,
  rememberClient,
  saveLockout,
} from '../security/lockout.js';
import { loadFactorSet, writeFactorSet } from '../factors/factor-record.js';
import { stepNotAllowed } from './flow-record.js';
import { ownerRecordOf } from './step-client.js';
import type { LoginKit } from './login-kit.js';
import type { LoginFlowContext } from './login-machine.js';
import type { LoginResult } from './types.js';

/**
 * Completes a login: builds the result from the records as they are now (a password set or a
 * temporary password bound earlier in this unit of work included: the unit of work reads its
 * own writes), stores an enrolled phone, resets the lockout, and audits the login. With the
 * sessions module, opens the session in the same commit (a step-up refreshes the caller's
 * session instead) and, after a second factor with `rememberDevice`, remembers the device.
 */
export async function completeLogin(kit: LoginKit, uow: UnitOfWork, ctx: LoginFlowContext): Promise<LoginResult> {
  const { principal, amr } = ctx.kind === 'phone' ? await phoneLogin(kit, uow, ctx) : await accountLogin(kit, uow, ctx);
  if (ctx.lockoutKey !== null) {
    // Written even when there is nothing to reset: the commit is then guarded by the lockout
    // record's version, so a login that raced a lock taken in parallel re-runs and is refused.
    // The client that completed the login becomes a known client of the subject.
    const subject = recordSuccess(await loadLockout(uow, ctx.lockoutKey));
    saveLockout(uow, ctx.lockoutKey, ctx.clientKey === null ? subject : rememberClient(subject, ctx.clientKey));
    if (ctx.clientKey !== null) {
      // Loaded first, so the write is guarded: the code step read it already (the lockout check);
      // the new-password step of a first login did not.
      const client = clientLockoutKey(ctx.lockoutKey, ctx.clientKey);
      await loadLockout(uow, client);
      saveLockout(uow, client, forSubject(subject, recordSuccess()));
    }
    // The remembered device or the step-up session the login came from starts its count over too.
    const owner = await ownerRecordOf(kit, uow, ctx, ctx.deviceClaim);
    if (owner !== null) {
      await loadLockout(uow, owner);
      saveLockout(uow, owner, forSubject(subject, recordSuccess()));
    }
  }
  const authenticatedAt = ctx.authenticatedAt ?? uow.now;
  const result: LoginResult = {
    principal,
    organizationId: principal.organizationId,
    permissions: effectivePermissions(principal),
    amr: [...amr],
    authenticatedAt,
    auth: { principal, amr, authenticatedAt },
  };
  const issuer = (kit as LoginKit & WithSessions).sessions;
  return issuer ? withSession(issuer, uow, ctx, result) : result;
}

/** The result with its session (opened, or the step-up caller's refreshed) and, when asked, a remembered device. */
async function withSession(
  issuer: SessionIssuer,
  uow: UnitOfWork,
  ctx: LoginFlowContext,
  result: LoginResult,
): Promise<LoginResult> {
  const { principal, amr, authenticatedAt } = result;
  const intent = loginIntentOf(uow);
  const linked = ctx.kind === 'step_up' ? await linkedSession(uow, ctx.flowId) : null;
  if (ctx.kind === 'step_up') {
    // Only the live session the step-up started from is refreshed; if it ended meanwhile (a reset,
    // a revocation) the step fails: a step-up never opens a session or remembers a device.
    const gained = linked === null ? null : await stepUpSession(uow, linked, principal, amr);
    if (linked === null || gained === null) {
      throw stepNotAllowed(ctx.flowId, 'awaiting_code', 'code', 'session_ended');
    }
    await endStepUpLink(uow, ctx.flowId);
    return { ...result, amr: [...gained], auth: { principal, amr: gained, authenticatedAt, sessionId: linked } };
  }
  const opened = await openSession(issuer, uow, { principal, amr, authenticatedAt, label: intent.deviceLabel });
  const auth: AuthContext = { principal, amr, authenticatedAt, sessionId: opened.sessionId };
  const out: LoginResult = { ...result, auth, session: opened.grant };
  if (intent.rememberDevice && ctx.codeVerified && principal.type === 'account') {
    out.device = await rememberDevice(issuer, uow, principal.accountId, intent.deviceLabel);
  }
  return out;
}

type Completed = { principal: Principal; amr: AuthMethod[] };

/** A phone-number login: the number's principal and grant only. */
async function phoneLogin(kit: LoginKit, uow: UnitOfWork, ctx: LoginFlowContext): Promise<Completed> {
  const record = ctx.phone === null ? null : await kit.accounts.findPhonePrincipal(ctx.phone, uow);
  if (!record) throw stepNotAllowed(ctx.flowId, 'awaiting_code', 'code', 'phone_not_registered');
  const { phone } = record.value;
  kit.accounts.recordPhoneHistory(
    uow,
    phone,
    'phone.login_succeeded',
    { role: 'phone', phone },
    { flowId: ctx.flowId },
  );
  return { principal: kit.accounts.phonePrincipal(record.value), amr: ['phone'] };
}

/** A password login or a step-up of an account that is (still) active. */
async function accountLogin(kit: LoginKit, uow: UnitOfWork, ctx: LoginFlowContext): Promise<Completed> {
  const found = ctx.accountId === null ? null : await kit.accounts.findAccountById(ctx.accountId, uow);
  if (!found || found.value.status !== 'active')
    throw stepNotAllowed(ctx.flowId, 'awaiting_code', 'code', 'account_unavailable');
  const account = found.value;
  const second = secondFactorMethod(ctx);
  const amr: AuthMethod[] = ctx.kind === 'step_up' || ctx.codeVerified ? ['password', second] : ['password'];
  if (ctx.enrolling && ctx.codeVerified && ctx.phone !== null)
    await enrolPhone(kit, uow, account, ctx.phone, ctx.flowId);
  kit.accounts.recordAccountHistory(
    uow,
    account.id,
    ctx.kind === 'step_up' ? 'account.step_up_confirmed' : 'account.login_succeeded',
    { role: 'account', id: account.id, login: account.login, amr: [...amr] },
    { flowId: ctx.flowId, passwordChanged: ctx.passwordChanged },
  );
  return { principal: kit.accounts.accountPrincipal(account), amr };
}

/** Stores the phone a recovered account just verified with the code, and tells the owner (ASVS 6.3.7). */
async function enrolPhone(
  kit: LoginKit,
  uow: UnitOfWork,
  account: AccountRecord,
  phone: string,
  flowId: string,
): Promise<void> {
  kit.accounts.updateAccount(uow, { ...account, phone, mustEnrolFactor: false, updatedAt: uow.now });
  // The new phone is the account's factor, even where the owner once removed the old one as a factor.
  const factors = await loadFactorSet(uow, account.id);
  if (factors.phoneFactorRemoved) writeFactorSet(uow, { ...factors, phoneFactorRemoved: false, updatedAt: uow.now });
  const maskedPhone = maskPhone(phone);
  kit.accounts.recordAccountHistory(
    uow,
    account.id,
    'account.factor_enrolled',
    { role: 'account', id: account.id, login: account.login },
    { flowId, factor: 'phone', maskedPhone },
  );
  queueMessage(uow, kit.deps.ids, 'email', account.email, 'factor.enrolled', account.locale, {
    login: account.login,
    maskedPhone,
  });
}

/** The `amr` value of the flow's second factor: the chosen one (docs/factors.md), else the SMS code. */
function secondFactorMethod(ctx: LoginFlowContext): AuthMethod {
  const type = ctx.factor?.type;
  return type === 'email' || type === 'totp' ? type : type === 'backup_codes' ? 'backup_code' : 'sms';
}
