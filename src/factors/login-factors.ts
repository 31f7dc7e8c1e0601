import { maskPhone } from '../accounts/phone.js';
import type { AccountRecord } from '../accounts/store.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { FactorChoice } from '../login/login-machine.js';
import { matchBackupCode } from './backup-codes.js';
import { activeFactors, loadFactorSet, writeFactorSet, type FactorType, type StoredFactor } from './factor-record.js';
import { openTotpSecret } from './factor-commands.js';
import type { FactorKit } from './factor-kit.js';
import { verifyTotp } from './totp.js';
import { maskEmail } from './views.js';

/** What the login flow asks of the factors module. Internal: `createHelpdesk` wires it. */
export interface LoginFactors {
  /**
   * The second factors a login may choose from, SMS first (the default for business logins);
   * empty when the phone on record is the only one, so such logins go straight to the SMS code.
   */
  choices(uow: UnitOfWork, account: AccountRecord): Promise<FactorChoice[]>;
  /**
   * Every second factor the account holds and its organisation allows, in the fixed order
   * {@link FACTOR_ORDER} (the phone on record included): what a step-up may confirm with.
   */
  usable(uow: UnitOfWork, account: AccountRecord): Promise<FactorChoice[]>;
  /**
   * Checks a code the user reads from an app (`totp`) or a backup code, and records its use in
   * `uow` (the TOTP step, the spent backup code), so it never works twice. False for anything else.
   */
  verifyHeldCode(uow: UnitOfWork, accountId: string, factor: FactorChoice, code: string): Promise<boolean>;
}

function choiceOf(factor: StoredFactor): FactorChoice {
  const address = factor.address ?? null;
  const maskedAddress =
    address === null
      ? null
      : factor.type === 'sms'
        ? maskPhone(address)
        : factor.type === 'email'
          ? maskEmail(address)
          : null;
  return { id: factor.id, type: factor.type, label: factor.label, maskedAddress };
}

/**
 * The order factors are offered in, and the step-up default: the SMS first (the business
 * default of the Hungarian source), backup codes last (each one spent is gone).
 */
export const FACTOR_ORDER: readonly FactorType[] = ['sms', 'email', 'totp', 'backup_codes'];

/** Builds the login side of the factors module. */
export function createLoginFactors(kit: FactorKit): LoginFactors {
  async function usableFactors(uow: UnitOfWork, account: AccountRecord): Promise<StoredFactor[]> {
    const allowed = await kit.allowedFactors(uow, account);
    const set = await loadFactorSet(uow, account.id);
    return (
      activeFactors(set, account.phone)
        .filter((factor) => allowed.includes(factor.type))
        // An address a lost-email recovery stopped trusting gets no code until it is proven again.
        .filter((factor) => factor.type !== 'email' || account.emailVerified !== false)
        .sort((a, b) => FACTOR_ORDER.indexOf(a.type) - FACTOR_ORDER.indexOf(b.type))
    );
  }

  return {
    async choices(uow, account) {
      const usable = await usableFactors(uow, account);
      if (
        usable.length === 0 ||
        (usable.length === 1 && usable[0]!.type === 'sms' && usable[0]!.address === account.phone)
      )
        return [];
      return usable.map(choiceOf);
    },

    async usable(uow, account) {
      return (await usableFactors(uow, account)).map(choiceOf);
    },

    async verifyHeldCode(uow, accountId, choice, code) {
      const set = await loadFactorSet(uow, accountId);
      const factor = set.factors.find((f) => f.id === choice.id && f.status === 'active' && f.type === choice.type);
      if (!factor) return false;
      if (factor.type === 'totp') {
        const check = await verifyTotp(
          await openTotpSecret(kit, accountId, factor),
          code,
          uow.now,
          factor.lastUsedStep ?? null,
        );
        if (!check.ok) return false;
        factor.lastUsedStep = check.step;
      } else if (factor.type === 'backup_codes' && factor.backupCodes) {
        const index = await matchBackupCode(kit.macs(), accountId, code, factor.backupCodes);
        if (index === null) return false;
        factor.backupCodes[index] = { ...factor.backupCodes[index]!, usedAt: uow.now };
      } else return false;
      set.updatedAt = uow.now;
      writeFactorSet(uow, set);
      return true;
    },
  };
}
