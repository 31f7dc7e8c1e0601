import { credentialEpochOf, type AccountRecord } from '../accounts/account-repository.js';
import { maskPhone } from '../accounts/phone.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { isHelpdeskError } from '../errors.js';
import {
  clientLockoutOf,
  countFailure,
  countFailureOf,
  forSubject,
  loadLockout,
  lockedUntil,
  saveLockout,
} from '../security/lockout.js';
import type { DeviceClaim } from '../sessions/devices.js';
import { LOGIN_CODE_PURPOSE } from './flow-record.js';
import { lockoutKeyOf, type LoginKit } from './login-kit.js';
import type { CodeOutcome, LoginEvent, LoginFlowContext, PasswordVerdict, SmsSlot } from './login-machine.js';
import { emailSlotFor, smsBucket, smsSlotFor } from './sms-budget.js';
import { liveDeviceOf, stepClientOf } from './step-client.js';
import { codeFactorUsable, loginPhoneUsable } from './subject-events.js';

/**
 * The verdicts the machine steps on: the service looks at the password or the code, the machine
 * only ever sees the verdict. Each runs inside the step's unit of work, so what it reads (the
 * lockout, the account, the code) guards the step's commit.
 */

/**
 * The PasswordHasher's work within one call, so a re-run after a lost race does not hash again:
 * its verdict by stored hash (boolean), and the upgraded hash by `rehashKey(stored)` (string).
 */
export type HashMemo = Map<string, boolean | string>;

const rehashKey = (stored: string) => `\u0000rehash:${stored}`;

/**
 * The lockout guard of every password and code step: the end of the lock in force, or null.
 * While locked the credential is not checked at all (a lock is no window for guessing).
 * Otherwise the records are written even when unchanged: the commit is then guarded by their
 * versions, so a right guess that raced wrong guesses committed in parallel re-runs, sees
 * their lock, and is refused.
 *
 * Without a client (`stepClientOf`) the subject's record decides (Keycloak-style: 5 failures,
 * then waits doubling from 1 to 15 minutes). With one, the client's own record decides, and the
 * subject's record only for clients that are not the owner's (a client key that never completed
 * a login on it; a remembered device or a step-up session always is): an attacker's failures
 * then slow down unknown clients, never the owner's (docs/security.md). `device` is the
 * remembered-device claim this step speaks for.
 */
async function lockInForce(
  kit: LoginKit,
  uow: UnitOfWork,
  ctx: LoginFlowContext,
  device: DeviceClaim | null | undefined,
): Promise<number | null> {
  const key = lockoutKeyOf(ctx);
  const subject = await loadLockout(uow, key);
  const client = await stepClientOf(kit, uow, ctx, subject, device);
  let until = client?.known ? null : lockedUntil(subject, uow.now);
  if (client !== null) {
    // A client's record from before the last reset or recovery counts nothing (its generation).
    const own = clientLockoutOf(subject, await loadLockout(uow, client.key));
    const clientUntil = lockedUntil(own, uow.now);
    if (clientUntil !== null) until = Math.max(until ?? 0, clientUntil);
    else if (until === null) saveLockout(uow, client.key, forSubject(subject, own));
  }
  if (until === null) saveLockout(uow, key, subject);
  return until;
}

/**
 * A wrong guess: counted toward the lockout; `locked` when it caused a lock. With a client (see
 * {@link lockInForce}) it counts on the client's record (the usual threshold) and on the
 * subject's (the higher `lockoutAccountThreshold`, which the owner's clients pass).
 */
async function failedGuess(
  kit: LoginKit,
  uow: UnitOfWork,
  ctx: LoginFlowContext,
  device: DeviceClaim | null | undefined,
) {
  const key = lockoutKeyOf(ctx);
  const client = await stepClientOf(kit, uow, ctx, await loadLockout(uow, key), device);
  let lock: number | null;
  if (client === null) lock = await countFailure(uow, key, kit.policy);
  else {
    const clientLock = await countFailureOf(uow, key, client.key, kit.policy);
    const ceiling = { ...kit.policy, lockoutThreshold: kit.policy.lockoutAccountThreshold };
    const subjectLock = await countFailure(uow, key, ceiling);
    lock = clientLock ?? (client.known ? null : subjectLock);
  }
  return lock === null ? ({ result: 'wrong' } as const) : ({ result: 'locked', retryAfter: lock } as const);
}

/**
 * The password step: lockout, password (or temporary password), then what the account requires
 * next. `device` is the remembered-device claim the step speaks for (the token given to
 * `submitPassword`, else the one given to `start`): a live device of the account passes the
 * account's lock (its own record counts its guesses) and, after the right password, skips the
 * second factor. Any other claim counts nothing, alike whether the account exists.
 */
export async function passwordVerdict(
  kit: LoginKit,
  uow: UnitOfWork,
  ctx: LoginFlowContext,
  password: string,
  memo: HashMemo,
  device: DeviceClaim | null = null,
): Promise<PasswordVerdict> {
  const until = await lockInForce(kit, uow, ctx, device);
  if (until !== null) return { result: 'locked', retryAfter: until };
  const account =
    ctx.accountId === null ? null : ((await kit.accounts.findAccountById(ctx.accountId, uow))?.value ?? null);
  const check = await checkPassword(kit, account, password, memo, uow.now);
  if (!account || check === 'wrong') return failedGuess(kit, uow, ctx, device);
  // Only someone who knows the password learns anything about the account from here on.
  if (account.status === 'pending_activation') return { result: 'not_activated' };
  if (account.status !== 'active') return { result: 'disabled' };
  if (check === 'temporary_expired') return { result: 'temporary_expired' };
  // A temporary password is usable once: the first flow that accepted it consumed it, so any
  // other flow is told it can no longer be used (the administrator reissues one).
  if (check === 'temporary' && !ownsTemporaryPassword(account, ctx)) return { result: 'temporary_expired' };
  const temporary = check === 'temporary';
  // A lost-factor recovery removed the factor: the login goes on only by enrolling a new phone.
  if (account.mustEnrolFactor === true) {
    bindTemporaryPassword(kit, uow, account, ctx, temporary);
    if (!temporary) await upgradePasswordHash(kit, uow, account, password, memo);
    const sms = { allowed: true } as const;
    const { organizationId } = account;
    return {
      result: 'ok',
      credentialEpoch: credentialEpochOf(account),
      temporary,
      codeRequired: false,
      organizationId,
      phone: null,
      maskedPhone: null,
      sms,
      enrolmentRequired: true,
    };
  }
  // More second factors than the phone: the flow asks which one (SMS first).
  // The phone on record counts only while its owner has not removed it as a factor: a removed
  // phone is never texted a code (an organisation's allowed list shapes `factors`, the choices).
  const factors = kit.factors ? await kit.factors.choices(uow, account) : [];
  const phoneUsable = await loginPhoneUsable(uow, account);
  const codeRequired = (await requiresCode(kit, uow, account, phoneUsable)) || factors.length > 0;
  if (codeRequired && !phoneUsable && factors.length === 0) return { result: 'phone_required' };
  bindTemporaryPassword(kit, uow, account, ctx, temporary);
  if (!temporary) await upgradePasswordHash(kit, uow, account, password, memo);
  // A right password on a remembered device of the account skips the second factor: the flow goes
  // on as if it were off for this login (amr stays `password`: a remembered device is not a recent
  // second factor for step-up). The flow keeps the claim, so its completion counts on the device.
  const remembered = device !== null && (await liveDeviceOf(uow, ctx, device)) !== null;
  const asked = codeRequired && !remembered;
  const phone = asked && phoneUsable ? account.phone : null;
  return {
    result: 'ok',
    credentialEpoch: credentialEpochOf(account),
    temporary,
    codeRequired: asked,
    organizationId: account.organizationId,
    phone,
    maskedPhone: phone === null ? null : maskPhone(phone),
    sms:
      phone === null ? { allowed: true } : await smsSlotFor(kit, uow, smsBucket('password', account.id, phone), phone),
    ...(factors.length > 0 ? { factors } : {}),
    ...(remembered && device ? { deviceClaim: { ...device } } : {}),
  };
}

/**
 * The sending slot of the factor picked at `awaiting_factor`: the SMS budget of the phone, the
 * mail budget of the account's address, or always allowed for an app or backup codes (nothing is sent).
 */
export async function factorSlotOf(
  kit: LoginKit,
  uow: UnitOfWork,
  ctx: LoginFlowContext,
  factorId: string,
): Promise<SmsSlot> {
  const factor = (ctx.factors ?? []).find((f) => f.id === factorId);
  if (!factor || ctx.accountId === null) return { allowed: true };
  if (factor.type === 'email') return emailSlotFor(kit, uow, ctx.accountId);
  if (factor.type === 'sms' && ctx.phone !== null)
    return smsSlotFor(kit, uow, smsBucket(ctx.kind, ctx.accountId, ctx.phone), ctx.phone);
  return { allowed: true };
}

/**
 * Rehash on a parameter change: the password just verified is hashed again with the configured
 * hasher when it asks for it (`needsRehash`), and stored in the step's commit, guarded by the
 * account's version. Hashed at most once per call (memo); a wrong password never gets here.
 *
 * The upgrade is an improvement, never a condition of the login: when the new hash cannot be
 * computed (a runtime that refuses argon2id's WebAssembly, say) or `needsRehash` throws, the
 * login goes on with the stored hash, which the password just matched, and the next login tries
 * again. Failing the login instead would lock every such account out until the host noticed.
 */
async function upgradePasswordHash(
  kit: LoginKit,
  uow: UnitOfWork,
  account: AccountRecord,
  password: string,
  memo: HashMemo,
): Promise<void> {
  if (account.passwordHash === null || !asksForRehash(kit, account)) return;
  const key = rehashKey(account.passwordHash);
  let fresh = memo.get(key);
  if (fresh === undefined) {
    // `false`: this call could not hash; a step re-run after a lost race does not try again.
    fresh = await kit.accounts.rehashPassword(password).catch(() => false as const);
    memo.set(key, fresh);
  }
  if (typeof fresh === 'string') kit.accounts.upgradePasswordHash(uow, account, fresh);
}

/** The hasher's `needsRehash` verdict; one that throws counts as "no" (see {@link upgradePasswordHash}). */
function asksForRehash(kit: LoginKit, account: AccountRecord): boolean {
  try {
    return kit.accounts.passwordNeedsRehash(account);
  } catch {
    return false;
  }
}

/** The flow's account as this unit of work reads it, or null. */
async function accountOf(kit: LoginKit, uow: UnitOfWork, ctx: LoginFlowContext): Promise<AccountRecord | null> {
  return ctx.accountId === null ? null : ((await kit.accounts.findAccountById(ctx.accountId, uow))?.value ?? null);
}

/**
 * Whether what the password step of a password flow proved no longer holds: a reset, a password
 * change, a reissued temporary password or a completed recovery moved the account's credential
 * epoch since. Such a flow cannot finish. Phone and step-up flows prove no password (a step-up's
 * session is ended by the same changes). A missing account is the completion's to refuse.
 */
function credentialsChanged(ctx: LoginFlowContext, account: AccountRecord | null): boolean {
  if (ctx.kind !== 'password' || !ctx.passwordVerified || account === null) return false;
  return credentialEpochOf(account) !== (ctx.credentialEpoch ?? 0);
}

/**
 * Whether the flow's credentials changed since its password step (see {@link credentialsChanged}),
 * as this unit of work reads the account. Every step that would go on from the password step asks
 * it first: the code step, and the steps that send a code (a resend, a factor choice, an enrolment),
 * so a stale flow neither finishes nor sends one more code.
 */
export async function credentialsChangedOf(kit: LoginKit, uow: UnitOfWork, ctx: LoginFlowContext): Promise<boolean> {
  return credentialsChanged(ctx, await accountOf(kit, uow, ctx));
}

/** Whether the account still waits for a new password through this flow's temporary password. */
function holdsTemporaryPassword(account: AccountRecord, ctx: LoginFlowContext): boolean {
  return account.mustChangePassword && (account.temporaryPasswordFlowId ?? null) === ctx.flowId;
}

/** Whether this flow may use the account's temporary password: no flow has consumed it yet, or this one did. */
function ownsTemporaryPassword(account: AccountRecord, ctx: LoginFlowContext): boolean {
  const owner = account.temporaryPasswordFlowId ?? null;
  return owner === null || owner === ctx.flowId;
}

/**
 * The flow that accepts a temporary password consumes it (in the same commit, guarded by the
 * account's version, so of two racing flows one wins and the other re-runs and is refused).
 * No side map of the write: a later read of the account in this unit of work sees it.
 */
function bindTemporaryPassword(
  kit: LoginKit,
  uow: UnitOfWork,
  account: AccountRecord,
  ctx: LoginFlowContext,
  temporary: boolean,
): void {
  if (!temporary || account.temporaryPasswordFlowId === ctx.flowId) return;
  kit.accounts.updateAccount(uow, { ...account, temporaryPasswordFlowId: ctx.flowId, updatedAt: uow.now });
}

/**
 * Password, temporary password, or neither; an unknown subject costs one dummy hash like a
 * real check. The hasher's answer is kept in `memo` (per call, by stored hash), so when the
 * command re-runs after a lost race it does not hash again.
 */
async function checkPassword(
  kit: LoginKit,
  account: AccountRecord | null,
  password: string,
  memo: HashMemo,
  now: number,
): Promise<'password' | 'temporary' | 'temporary_expired' | 'wrong'> {
  const stored = account?.passwordHash ?? null;
  const memoKey = stored ?? '\u0000dummy';
  let matches = memo.get(memoKey);
  if (typeof matches !== 'boolean') {
    matches =
      !account || stored === null
        ? await kit.accounts.verifyDummyPassword(password)
        : await kit.accounts.verifyPassword(account, password);
    memo.set(memoKey, matches);
  }
  if (matches) return 'password';
  if (!account) return 'wrong';
  // Judged at the step's instant, not after the hash above (which may take hundreds of ms).
  const temporary = await kit.accounts.verifyTemporaryPassword(account, password, now);
  return temporary === 'valid' ? 'temporary' : temporary === 'expired' ? 'temporary_expired' : 'wrong';
}

/**
 * Business users: their organisation's `smsCodeForLogin` (on unless the main administrator
 * switched it off). Personal accounts: the SMS code when the phone on record is a factor (not removed).
 */
async function requiresCode(
  kit: LoginKit,
  uow: UnitOfWork,
  account: AccountRecord,
  phoneUsable: boolean,
): Promise<boolean> {
  if (account.organizationId === null) return phoneUsable;
  const org = await kit.accounts.findOrganizationById(account.organizationId, uow);
  return org?.value.settings.smsCodeForLogin ?? true;
}

/** The code step: lockout, then the code; a wrong code also counts toward the lockout. */
export async function codeOutcome(
  kit: LoginKit,
  uow: UnitOfWork,
  ctx: LoginFlowContext,
  code: string,
): Promise<CodeOutcome> {
  // The device the password step spoke for (or the one given to `start`), if it is still live.
  const device = ctx.deviceClaim;
  const until = await lockInForce(kit, uow, ctx, device);
  if (until !== null) return { result: 'locked', retryAfter: until };
  // Not a guess: the flow ends, whatever the code (it is not even looked at).
  if (await credentialsChangedOf(kit, uow, ctx)) return { result: 'stale' };
  if (!(await codeFactorUsable(kit, uow, ctx))) return failedGuess(kit, uow, ctx, device);
  // An app or backup code: checked against what the account holds, under the same lockout and attempts.
  const held = ctx.factor?.type === 'totp' || ctx.factor?.type === 'backup_codes';
  if (held && ctx.factor && ctx.accountId !== null && ctx.subjectKnown) {
    const ok = (await kit.factors?.verifyHeldCode(uow, ctx.accountId, ctx.factor, code)) ?? false;
    return ok ? { result: 'accepted' } : failedGuess(kit, uow, ctx, device);
  }
  const check = await kit.accounts.codes().verify(uow, { purpose: LOGIN_CODE_PURPOSE, subject: ctx.flowId, code });
  if (check.outcome === 'accepted') return { result: 'accepted' };
  // Only the right code, past its lifetime, reads as expired; it is not a guess, so it does not count.
  if (check.outcome === 'expired') return { result: 'expired' };
  return failedGuess(kit, uow, ctx, device);
}

/** What the new-password step tells the machine. */
export type NewPasswordOutcome = Extract<LoginEvent, { type: 'newPassword' }>['outcome'];

/**
 * The forced change: the new password is checked, stored (history, `password.changed` mail) in
 * the step's unit of work, so the flow's version guards it; a password that breaks the rules is
 * `rejected` with its reason. `hash` hashes at most once per call (the caller memoises it).
 */
export async function newPasswordOutcome(
  kit: LoginKit,
  uow: UnitOfWork,
  ctx: LoginFlowContext,
  newPassword: string,
  hash: () => Promise<string>,
): Promise<NewPasswordOutcome> {
  const accountId = ctx.accountId;
  if (accountId === null) return { result: 'changed' };
  // Only the flow that consumed the temporary password, and only while it is still the account's.
  const account = await accountOf(kit, uow, ctx);
  if (account && (credentialsChanged(ctx, account) || !holdsTemporaryPassword(account, ctx)))
    return { result: 'stale' };
  try {
    const passwordHash = await hash();
    await kit.accounts.setPasswordIn(uow, { accountId, newPassword, passwordHash, reason: 'forced_change' });
    return { result: 'changed' };
  } catch (error) {
    const reason = isHelpdeskError(error, 'INVALID_INPUT') ? error.details.reason : undefined;
    if (typeof reason !== 'string') throw error;
    return { result: 'rejected', reason };
  }
}
