import { loadFactorSet } from '../factors/factor-record.js';
import { parseLoginIdentifier } from '../accounts/account-repository.js';
import { maskPhone } from '../accounts/phone.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { loadLockout, lockedUntil } from '../security/lockout.js';
import { stepNotAllowed } from './flow-record.js';
import type { LoginKit } from './login-kit.js';
import type { LoginEvent } from './login-machine.js';
import { smsBucket, smsSlotFor } from './sms-budget.js';

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
  const parsed = parseLoginIdentifier(identifier);
  const login = parsed?.login ?? identifier.trim().toLowerCase();
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

/** A step-up of a signed-in account: STEP_NOT_ALLOWED unless it is active and has a phone. */
export async function stepUpEvent(
  kit: LoginKit,
  uow: UnitOfWork,
  flowId: string,
  accountId: string,
): Promise<Extract<LoginEvent, { type: 'stepUp' }>> {
  const account = (await kit.accounts.findAccountById(accountId, uow))?.value;
  if (!account || account.status !== 'active')
    throw stepNotAllowed(flowId, 'awaiting_identifier', 'step_up', 'account_unavailable');
  if (account.phone === null) throw stepNotAllowed(flowId, 'awaiting_identifier', 'step_up', 'no_phone');
  // The step-up code goes by SMS: only to a phone that is still a factor of the account, and only
  // where the organisation allows SMS (a removed phone must not come back through the step-up).
  if ((await loadFactorSet(uow, account.id)).phoneFactorRemoved)
    throw stepNotAllowed(flowId, 'awaiting_identifier', 'step_up', 'no_phone');
  if (account.organizationId !== null) {
    const allowed = (await kit.accounts.findOrganizationById(account.organizationId, uow))?.value.settings
      .allowedFactors;
    if (allowed && !allowed.includes('sms'))
      throw stepNotAllowed(flowId, 'awaiting_identifier', 'step_up', 'sms_not_allowed');
  }
  const lockoutKey = `account:${account.id}`;
  return {
    type: 'stepUp',
    at: uow.now,
    accountId: account.id,
    organizationId: account.organizationId,
    phone: account.phone,
    maskedPhone: maskPhone(account.phone),
    lockoutKey,
    lockedUntil: lockedUntil(await loadLockout(uow, lockoutKey), uow.now),
    sms: await smsSlotFor(kit, uow, smsBucket('step_up', account.id, account.phone), account.phone),
  };
}
