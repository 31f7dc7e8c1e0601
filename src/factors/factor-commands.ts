import { accountErrors, tokenFailure, tokenFailureOf, type TokenFailure } from '../accounts/error-codes.js';
import {
  findOrganizationById,
  recordAccountHistory,
  recordOrganizationHistory,
  writeOrganization,
  type AccountRecord,
} from '../accounts/store.js';
import { notifyAdministrators } from '../accounts/administrator-notices.js';
import { queueMessage } from '../engine/notify.js';
import { formatDuration } from '../messages/duration.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { parseInput } from '../engine/validate.js';
import { commonErrors } from '../errors.js';
import { newBackupCodes } from './backup-codes.js';
import { decodeBase32, encodeBase32 } from './base32.js';
import {
  activeFactors,
  FACTOR_TYPES,
  loadFactorSet,
  PHONE_FACTOR_ID,
  writeFactorSet,
  type FactorSetRecord,
  type FactorType,
  type StoredFactor,
} from './factor-record.js';
import { DEFAULT_FACTOR_LABELS, type FactorKit } from './factor-kit.js';
import {
  confirmFactorSchema,
  enrolFactorSchema,
  listFactorsSchema,
  removeFactorSchema,
  renameFactorSchema,
  setOrganizationFactorsSchema,
  type ConfirmFactorInput,
  type EnrolFactorInput,
  type ListFactorsInput,
  type RemoveFactorInput,
  type RenameFactorInput,
  type SetOrganizationFactorsInput,
} from './schemas.js';
import { newTotpSecret, otpauthUri, verifyTotp } from './totp.js';
import { factorView, type FactorView } from './views.js';

/** What `enrol` answers: the pending (or, for backup codes, active) factor, and what to show once. */
export interface EnrolFactorResult {
  factor: FactorView;
  /** `totp`: the secret in base32 and the otpauth:// URI for a QR code. Show once; never stored in clear. */
  totp?: { secret: string; uri: string };
  /** `backup_codes`: the 10 codes. Show once; only their HMACs are stored. */
  backupCodes?: string[];
}

/** What `confirm` answers: the now active factor, or why the code was refused (a state of the flow). */
export type ConfirmFactorResult = { ok: true; factor: FactorView } | TokenFailure;

/** The purpose of the code that confirms a new email or SMS factor (part of its HMAC). */
export const FACTOR_CONFIRM_PURPOSE = 'factor_confirm';

const sealContext = (accountId: string, factorId: string) => `totp:${accountId}:${factorId}`;

/** INVALID_INPUT naming the factor id: no such factor on the caller's account. */
const unknownFactor = (factorId: string) =>
  commonErrors.raise(
    'INVALID_INPUT',
    { field: 'factorId', reason: 'unknown_factor' },
    `No factor "${factorId.slice(0, 100)}" on this account.`,
  );

/** Opens a TOTP factor's sealed secret (bound to account and factor, so it cannot be moved). */
export async function openTotpSecret(kit: FactorKit, accountId: string, factor: StoredFactor) {
  if (!factor.sealedSecret) throw unknownFactor(factor.id);
  const text = await kit.sealer().open(factor.sealedSecret, sealContext(accountId, factor.id));
  return decodeBase32(text)!;
}

/** The commands of `desk.factors` on the caller's own account (see {@link FactorService}). */
export function createFactorCommands(kit: FactorKit) {
  const { deps, policy } = kit;

  /** Drops `type` factors other than `keep` (a confirmed replacement retires the old one). */
  function retireOthers(set: FactorSetRecord, type: FactorType, keep: string): StoredFactor[] {
    const retired = set.factors.filter((f) => f.type === type && f.id !== keep && f.status === 'active');
    set.factors = set.factors.filter((f) => !retired.includes(f));
    return retired;
  }

  async function sendConfirmCode(uow: UnitOfWork, factor: StoredFactor, account: AccountRecord) {
    const { code } = await kit.codes().issue(uow, {
      purpose: FACTOR_CONFIRM_PURPOSE,
      subject: factor.id,
      ttlMs: policy.codeTtl,
      maxAttempts: policy.maxCodeAttempts,
    });
    const { locale } = account;
    const data = { login: account.login, code, expiresIn: formatDuration(policy.codeTtl, locale) };
    // Worded as adding a factor, never as a login code: a code read out "to log you in" would add
    // the caller's factor instead. It counts in the recipient's shared budget: the owner allowance
    // is charged only by a login code's own command (engine/sending-budget.ts).
    if (factor.type === 'sms')
      queueMessage(uow, deps.ids, 'sms', factor.address!, 'factor.sms_confirm_code', locale, data);
    else queueMessage(uow, deps.ids, 'email', factor.address!, 'factor.email_confirm_code', locale, data);
  }

  return {
    async enrol(input: EnrolFactorInput): Promise<EnrolFactorResult> {
      const p = parseInput(enrolFactorSchema, input, 'factor enrolment');
      return kit.run(async (uow) => {
        const { account, actor } = await kit.caller(uow, p.auth);
        if (!(await kit.allowedFactors(uow, account)).includes(p.type)) {
          throw accountErrors.raise(
            'PERMISSION_DENIED',
            { permission: 'factor', reason: 'factor_not_allowed', type: p.type },
            `Your organisation does not allow the factor "${p.type}".`,
          );
        }
        const set = await loadFactorSet(uow, account.id);
        const factor: StoredFactor = {
          id: deps.ids.next('fac_'),
          type: p.type,
          // Stored in English; the notices translate a default label when they name the factor.
          label: p.label ?? DEFAULT_FACTOR_LABELS[p.type],
          status: 'pending',
          createdAt: uow.now,
          confirmedAt: null,
          attemptsLeft: policy.maxCodeAttempts,
        };
        // One pending enrolment per type: a new one replaces the unconfirmed one.
        set.factors = set.factors.filter((f) => !(f.type === p.type && f.status === 'pending'));
        const result: Omit<EnrolFactorResult, 'factor'> = {};
        if (p.type === 'totp') {
          const secret = newTotpSecret(deps.random);
          factor.sealedSecret = await kit.sealer().seal(encodeBase32(secret), sealContext(account.id, factor.id));
          factor.lastUsedStep = null;
          result.totp = { secret: encodeBase32(secret), uri: otpauthUri(secret, policy.totpIssuer, account.login) };
        } else if (p.type === 'backup_codes') {
          // Shown once and usable at once: there is nothing to confirm them with but themselves.
          const fresh = await newBackupCodes(deps.random, kit.macs(), account.id);
          factor.backupCodes = fresh.stored;
          factor.status = 'active';
          factor.confirmedAt = uow.now;
          delete factor.attemptsLeft;
          result.backupCodes = fresh.codes;
          retireOthers(set, 'backup_codes', factor.id);
          kit.notify(uow, account, 'factor.added', factor);
        } else {
          const address = p.type === 'sms' ? account.phone : account.emailVerified === false ? null : account.email;
          if (address === null) {
            throw commonErrors.raise(
              'INVALID_INPUT',
              { field: 'type', reason: p.type === 'sms' ? 'no_phone_on_record' : 'email_not_verified' },
              p.type === 'sms'
                ? 'Register a phone number before enrolling it as a factor.'
                : 'Verify a new email address (changeEmail) before enrolling it as a factor.',
            );
          }
          factor.address = address;
          await sendConfirmCode(uow, factor, account);
        }
        set.factors.push(factor);
        set.updatedAt = uow.now;
        writeFactorSet(uow, set);
        recordAccountHistory(uow, account.id, 'factor.enrolment_started', actor, {
          factorId: factor.id,
          type: factor.type,
          status: factor.status,
        });
        return { factor: factorView(factor), ...result };
      });
    },

    async confirm(input: ConfirmFactorInput): Promise<ConfirmFactorResult> {
      const p = parseInput(confirmFactorSchema, input, 'factor confirmation');
      return kit.run(async (uow) => {
        const { account, actor } = await kit.caller(uow, p.auth);
        const set = await loadFactorSet(uow, account.id);
        const factor = set.factors.find((f) => f.id === p.factorId && f.status === 'pending');
        if (!factor) throw unknownFactor(p.factorId);
        let failure: TokenFailure | null = null;
        if (factor.type === 'totp') {
          const check = await verifyTotp(await openTotpSecret(kit, account.id, factor), p.code, uow.now, null);
          if (check.ok) factor.lastUsedStep = check.step;
          else {
            // A pending TOTP has its own attempt count: guessing the first code is capped like any code.
            factor.attemptsLeft = Math.max(0, (factor.attemptsLeft ?? 1) - 1);
            failure = tokenFailure(factor.attemptsLeft === 0 ? 'TOO_MANY_ATTEMPTS' : 'TOKEN_INVALID');
            if (factor.attemptsLeft === 0) set.factors = set.factors.filter((f) => f !== factor);
          }
        } else {
          const check = await kit
            .codes()
            .verify(uow, { purpose: FACTOR_CONFIRM_PURPOSE, subject: factor.id, code: p.code });
          if (check.outcome !== 'accepted') failure = tokenFailureOf(check.outcome);
        }
        if (failure === null) {
          factor.status = 'active';
          factor.confirmedAt = uow.now;
          delete factor.attemptsLeft;
          retireOthers(set, factor.type, factor.id);
          if (factor.type === 'sms') set.phoneFactorRemoved = false;
          kit.notify(uow, account, 'factor.added', factor);
          recordAccountHistory(uow, account.id, 'factor.enrolled', actor, {
            factorId: factor.id,
            type: factor.type,
          });
        }
        set.updatedAt = uow.now;
        writeFactorSet(uow, set);
        return failure ?? { ok: true as const, factor: factorView(factor) };
      });
    },

    async list(input: ListFactorsInput): Promise<FactorView[]> {
      const p = parseInput(listFactorsSchema, input, 'factor list');
      return kit.run(async (uow) => {
        const { account } = await kit.caller(uow, p.auth);
        const set = await loadFactorSet(uow, account.id);
        const pending = set.factors.filter((f) => f.status === 'pending');
        return [...activeFactors(set, account.phone), ...pending].map(factorView);
      });
    },

    async rename(input: RenameFactorInput): Promise<FactorView> {
      const p = parseInput(renameFactorSchema, input, 'factor rename');
      return kit.run(async (uow) => {
        const { account, actor } = await kit.caller(uow, p.auth);
        const set = await loadFactorSet(uow, account.id);
        const factor = set.factors.find((f) => f.id === p.factorId);
        if (!factor) throw unknownFactor(p.factorId);
        const previous = { ...factor };
        factor.label = p.label;
        set.updatedAt = uow.now;
        writeFactorSet(uow, set);
        recordAccountHistory(uow, account.id, 'factor.renamed', actor, { factorId: factor.id });
        // A rename is a change to the account's factors like any other: mailed (ASVS 6.3.7).
        if (factor.status === 'active' && previous.label !== factor.label)
          kit.notify(uow, account, 'factor.renamed', factor, previous);
        return factorView(factor);
      });
    },

    async remove(input: RemoveFactorInput): Promise<FactorView[]> {
      const p = parseInput(removeFactorSchema, input, 'factor removal');
      return kit.run(async (uow) => {
        const { account, actor } = await kit.caller(uow, p.auth);
        const set = await loadFactorSet(uow, account.id);
        const active = activeFactors(set, account.phone);
        const factor = active.find((f) => f.id === p.factorId) ?? set.factors.find((f) => f.id === p.factorId);
        if (!factor) throw unknownFactor(p.factorId);
        if (
          factor.status === 'active' &&
          active.length === 1 &&
          (await secondFactorRequired(uow, account.organizationId))
        ) {
          throw accountErrors.raise(
            'PERMISSION_DENIED',
            { permission: 'factor', reason: 'last_factor' },
            'Your organisation requires a second factor: enrol another one before removing the last.',
          );
        }
        if (factor.id === PHONE_FACTOR_ID) set.phoneFactorRemoved = true;
        set.factors = set.factors.filter((f) => f.id !== factor.id);
        if (factor.type === 'sms' && factor.address === account.phone) set.phoneFactorRemoved = true;
        set.updatedAt = uow.now;
        writeFactorSet(uow, set);
        if (factor.status === 'active') kit.notify(uow, account, 'factor.removed', factor);
        recordAccountHistory(uow, account.id, 'factor.removed', actor, {
          factorId: factor.id,
          type: factor.type,
        });
        return [...activeFactors(set, account.phone)].map(factorView);
      });
    },

    async setOrganizationFactors(input: SetOrganizationFactorsInput) {
      const p = parseInput(setOrganizationFactorsSchema, input, 'organisation factors');
      return kit.run(async (uow) => {
        const { account, actor } = await kit.caller(uow, p.auth);
        const org = account.organizationId === null ? null : await findOrganizationById(uow, account.organizationId);
        if (!org || !account.isMainAdmin) {
          throw accountErrors.raise(
            'PERMISSION_DENIED',
            { permission: 'main_admin' },
            "Only the organisation's main administrator can choose its second factors.",
          );
        }
        const settings = {
          ...org.value.settings,
          allowedFactors: [...p.allowed],
          secondFactorRequired: p.secondFactorRequired,
          // The SMS switch is the same rule under its older name: keep both readings in step.
          smsCodeForLogin: p.secondFactorRequired,
        };
        writeOrganization(uow, { ...org.value, settings, updatedAt: uow.now });
        recordOrganizationHistory(uow, org.value.id, 'organization.factors_changed', actor, {
          allowed: [...p.allowed],
          secondFactorRequired: p.secondFactorRequired,
        });
        // A change to the organisation's login security is mailed to its administrators, as
        // `setOrganizationSettings` does for the same switch (ASVS 6.3.7).
        const before = org.value.settings;
        const allowedBefore = before.allowedFactors ?? FACTOR_TYPES;
        const requiredBefore = before.secondFactorRequired ?? before.smsCodeForLogin ?? true;
        const sameAllowed =
          allowedBefore.length === p.allowed.length && allowedBefore.every((type) => p.allowed.includes(type));
        if (!sameAllowed || requiredBefore !== p.secondFactorRequired)
          await notifyAdministrators(kit.deps, uow, org.value, p.secondFactorRequired, account.login);
        return { allowedFactors: settings.allowedFactors, secondFactorRequired: settings.secondFactorRequired };
      });
    },
  };

  async function secondFactorRequired(uow: UnitOfWork, organizationId: string | null): Promise<boolean> {
    if (organizationId === null) return false;
    const settings = (await findOrganizationById(uow, organizationId))?.value.settings;
    return settings?.secondFactorRequired ?? settings?.smsCodeForLogin ?? true;
  }
}
