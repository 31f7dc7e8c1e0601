import { FACTOR_TYPES, loadFactorSet, PHONE_FACTOR_ID, type FactorType } from '../factors/factor-record.js';
import type { AccountRecord } from '../accounts/account-repository.js';
import { canonicalIdentifier, parseLoginIdentifier } from '../accounts/account-repository.js';
import { maskPhone } from '../accounts/phone.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { clientLockoutOf, loadLockout, lockedUntil } from '../security/lockout.js';
import { stepNotAllowed } from './flow-record.js';
import type { LoginKit } from './login-kit.js';
import type { FactorChoice, LoginEvent, LoginFlowContext } from './login-machine.js';
import { emailSlotFor, smsBucket, smsSlotFor } from './sms-budget.js';
import { stepUpClientKey } from './step-client.js';

/**
 * The events that say whom a flow is about: the identifier a user typed, or the number or the
 * signed-in account a flow starts at the code step for. The last two carry the lockout in
 * force (a locked number or account ends the new flow `locked`) and the SMS budget, read in
 * the creating commit so it is guarded by them.
 */

/**
 * The identifier page: any well-formed identifier moves on, known or not. An unknown one gets
 * its own lockout record under an HMAC of what was typed (people type passwords into the
 * username field), so it locks exactly like a real one.
 */
export async function identifyEvent(
  kit: LoginKit,
  uow: UnitOfWork,
  identifier: string,
): Promise<Extract<LoginEvent, { type: 'identify' }>> {
  // A login id (`alice`, `bob@acme`), else a personal account's email address (the Hungarian
  // source: "e-mail cím vagy telefonszám"); an address nobody has answers like an unknown login.
  // An unknown one is keyed by the spelling the lookup compares (NFKC, case, spaces), so every
  // variant of one address shares one lock whether or not an account has it.
  const parsed = parseLoginIdentifier(identifier);
  const login = parsed?.login ?? canonicalIdentifier(identifier);
  const found = parsed
    ? await kit.accounts.findAccountByLogin(login, uow)
    : await kit.accounts.findAccountByEmail(identifier, uow);
  const lockoutKey = found
    ? `account:${found.value.id}`
    : `identifier:${await kit.accounts.lookupKey('login_identifier', login)}`;
  return {
    type: 'identify',
    at: uow.now,
    subjectKnown: found !== null,
    accountId: found?.value.id ?? null,
    lockoutKey,
  };
}

/**
 * A phone-number login: the same event shape for a registered and an unknown number (only
 * `subjectKnown` differs, and it never reaches the view), so the answer does not tell them apart.
 */
export async function phoneLoginEvent(
  kit: LoginKit,
  uow: UnitOfWork,
  phone: string,
): Promise<Extract<LoginEvent, { type: 'phone' }>> {
  const principal = await kit.accounts.findPhonePrincipal(phone, uow);
  const lockoutKey = `phone:${phone}`;
  return {
    type: 'phone',
    at: uow.now,
    subjectKnown: principal !== null,
    organizationId: principal?.value.organizationId ?? null,
    phone,
    maskedPhone: maskPhone(phone),
    lockoutKey,
    lockedUntil: lockedUntil(await loadLockout(uow, lockoutKey), uow.now),
    sms: await smsSlotFor(kit, uow, smsBucket('phone', null, phone), phone),
  };
}

/**
 * A step-up of a signed-in account, confirmed by `method` (absent: the first factor it holds and
 * its organisation allows, in the order sms, email, totp, backup_codes). STEP_NOT_ALLOWED unless
 * the account is active and holds that factor: `no_phone` / `sms_not_allowed` for the SMS (a
 * removed phone must not come back through the step-up), `factor_not_allowed` /
 * `factor_not_enrolled` for the others, `no_factor` when it holds none.
 *
 * `sessionId`: the live session of the account the step-up starts from (the caller checked it).
 * The owner's session passes the account's lock, which strangers raise knowing only the login;
 * its own lockout record, counting its step-up codes, decides instead. Null (no sessions module):
 * the account's lock decides.
 */
export async function stepUpEvent(
  kit: LoginKit,
  uow: UnitOfWork,
  flowId: string,
  accountId: string,
  method?: FactorType,
  sessionId: string | null = null,
): Promise<Extract<LoginEvent, { type: 'stepUp' }>> {
  const refuse = (reason: string) => stepNotAllowed(flowId, 'awaiting_identifier', 'step_up', reason);
  const account = (await kit.accounts.findAccountById(accountId, uow))?.value;
  if (!account || account.status !== 'active') throw refuse('account_unavailable');
  const usable = await stepUpFactors(kit, uow, account);
  const factor = method === undefined ? usable[0] : usable.find((choice) => choice.type === method);
  if (!factor) {
    if (method === undefined) throw refuse('no_factor');
    const allowed = await allowedTypes(kit, uow, account);
    if (method === 'sms') throw refuse(allowed.includes('sms') ? 'no_phone' : 'sms_not_allowed');
    throw refuse(allowed.includes(method) ? 'factor_not_enrolled' : 'factor_not_allowed');
  }
  if (factor.type === 'sms' && account.phone === null) throw refuse('no_phone');
  const lockoutKey = `account:${account.id}`;
  const subject = await loadLockout(uow, lockoutKey);
  const lock =
    sessionId === null ? subject : clientLockoutOf(subject, await loadLockout(uow, stepUpClientKey(lockoutKey)));
  const phone = factor.type === 'sms' ? account.phone : null;
  return {
    type: 'stepUp',
    at: uow.now,
    accountId: account.id,
    organizationId: account.organizationId,
    phone,
    maskedPhone: phone === null ? null : maskPhone(phone),
    lockoutKey,
    lockedUntil: lockedUntil(lock, uow.now),
    sms:
      phone !== null
        ? await smsSlotFor(kit, uow, smsBucket('step_up', account.id, phone), phone)
        : factor.type === 'email'
          ? await emailSlotFor(kit, uow, account.id)
          : { allowed: true },
    factor,
  };
}

/**
 * Before a code is checked or sent again, in a step-up or a password login: the factor the flow
 * started with must still be held and allowed (an SMS still go to the number on record, an email
 * code to the address the factor has now). A factor removed, disallowed or moved meanwhile ends its
 * use at once, not when the code's lifetime ends (a code for it reads as wrong, a resend is
 * refused). True for a phone-number login and for the phone a recovered account is enrolling.
 */
export async function codeFactorUsable(kit: LoginKit, uow: UnitOfWork, ctx: LoginFlowContext): Promise<boolean> {
  if (ctx.kind === 'phone' || (ctx.kind === 'password' && (ctx.enrolling || ctx.accountId === null))) return true;
  const account = ctx.accountId === null ? null : (await kit.accounts.findAccountById(ctx.accountId, uow))?.value;
  if (!account || account.status !== 'active') return false;
  const chosen = ctx.factor ?? null;
  if (chosen === null || chosen.type === 'sms') {
    // The SMS goes to the phone on record, which must still be the flow's number and a factor: for
    // a login, one the owner has not removed; for a step-up, one it may use (held and allowed).
    if (account.phone === null || account.phone !== ctx.phone) return false;
    if (ctx.kind === 'password') return loginPhoneUsable(uow, account);
    return (await stepUpFactors(kit, uow, account)).some((choice) => choice.type === 'sms');
  }
  const usable = await stepUpFactors(kit, uow, account);
  return usable.some(
    (choice) =>
      choice.type === chosen.type &&
      choice.id === chosen.id &&
      // An email factor moved to another address by an email change: the code went to the old one.
      (chosen.type !== 'email' || choice.maskedAddress === chosen.maskedAddress),
  );
}

/**
 * True when the phone on record may be texted a login code: one is on record and its owner has not
 * removed it as a factor. An organisation that no longer allows SMS keeps it out of the login's
 * choices (`LoginFactors.choices`), but a user who holds no allowed factor is still texted, so a
 * change of the rule locks nobody out: he signs in and enrols an allowed one.
 */
export async function loginPhoneUsable(uow: UnitOfWork, account: AccountRecord): Promise<boolean> {
  return account.phone !== null && !(await loadFactorSet(uow, account.id)).phoneFactorRemoved;
}

/** The factor types the account's organisation allows (every type for a personal account). */
async function allowedTypes(kit: LoginKit, uow: UnitOfWork, account: AccountRecord): Promise<readonly FactorType[]> {
  if (account.organizationId === null) return FACTOR_TYPES;
  const org = await kit.accounts.findOrganizationById(account.organizationId, uow);
  return org?.value.settings.allowedFactors ?? FACTOR_TYPES;
}

/**
 * The factors a step-up may use: with the factors module, every usable one; without it, the
 * phone on record alone (unless removed as a factor or not allowed), as before factors existed.
 */
async function stepUpFactors(kit: LoginKit, uow: UnitOfWork, account: AccountRecord): Promise<FactorChoice[]> {
  if (kit.factors) return kit.factors.usable(uow, account);
  if (account.phone === null || (await loadFactorSet(uow, account.id)).phoneFactorRemoved) return [];
  if (!(await allowedTypes(kit, uow, account)).includes('sms')) return [];
  return [{ id: PHONE_FACTOR_ID, type: 'sms', label: 'Phone', maskedAddress: maskPhone(account.phone) }];
}
