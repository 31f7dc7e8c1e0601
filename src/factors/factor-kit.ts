import { z } from 'zod';
import { parseConfiguration, withDefaults } from '../_lib/parse-configuration.js';
import { accountErrors } from '../accounts/error-codes.js';
import type { AuthContext } from '../accounts/principal.js';
import { findAccountById, findOrganizationById, type AccountRecord } from '../accounts/store.js';
import type { CoreDeps } from '../engine/deps.js';
import { queueMessage } from '../engine/notify.js';
import { runCommand, type UnitOfWork } from '../engine/unit-of-work.js';
import { commonErrors } from '../errors.js';
import type { Locale } from '../messages/locales.js';
import { createSecretHasher, type SecretHasher } from '../security/hmac.js';
import { createOneTimeCodes, type OneTimeCodes } from '../security/one-time-codes.js';
import { createSealer, type Sealer, type SealingKey, type SealingKeyring } from '../security/sealing.js';
import type { Json } from '../ports/json.js';
import { FACTOR_TYPES, type FactorType, type StoredFactor } from './factor-record.js';
import { requireRecentFactor } from './step-up.js';

/** The rules of `desk.factors`; every field has a default. */
export interface FactorPolicy {
  /** How recent the caller's second factor must be for every factor command. Default 15 min. */
  stepUpMaxAge: number;
  /** Lifetime of a mailed or texted code. Default 5 min. */
  codeTtl: number;
  /** Wrong codes before a pending factor or code is burned. Default 5. */
  maxCodeAttempts: number;
  /** The issuer an authenticator app shows next to the account. Default `Helpdesk`. */
  totpIssuer: string;
  /** `changeEmail` requests per account within `emailChangeRequestWindow`; more are RATE_LIMITED. Default 5. */
  emailChangeRequests: number;
  /** Default 1 h (rolling). */
  emailChangeRequestWindow: number;
  /**
   * Wrong email-change codes per account within `emailChangeFailureWindow` (rolling), across
   * requests; a confirmed change clears the count. At the cap `changeEmail` is RATE_LIMITED, and a
   * code issued near it allows only the guesses left. Default 10.
   */
  emailChangeMaxFailures: number;
  /** Default 24 h (rolling). */
  emailChangeFailureWindow: number;
}

/** Overrides of {@link FactorPolicy}. */
export type FactorPolicyOverrides = Partial<FactorPolicy>;

const MINUTE = 60_000;

/** The defaults of {@link FactorPolicy} (docs/factors.md and docs/security.md, which gives their sources). */
export const defaultFactorPolicy: FactorPolicy = {
  stepUpMaxAge: 15 * MINUTE,
  codeTtl: 5 * MINUTE,
  maxCodeAttempts: 5,
  totpIssuer: 'Helpdesk',
  emailChangeRequests: 5,
  emailChangeRequestWindow: 60 * MINUTE,
  emailChangeMaxFailures: 10,
  emailChangeFailureWindow: 24 * 60 * MINUTE,
};

const duration = z
  .number()
  .int()
  .positive()
  .max(366 * 24 * 60 * MINUTE);
const count = z.number().int().min(1).max(1000);

/** `policy.factors` overrides: every field optional; anything else is CONFIGURATION_INVALID at `createHelpdesk`. */
export const factorPolicySchema = z.strictObject({
  stepUpMaxAge: duration.optional(),
  codeTtl: duration.optional(),
  maxCodeAttempts: z.number().int().min(1).max(10).optional(),
  // Key Uri Format: "Neither issuer nor account name may themselves contain a colon."
  totpIssuer: z
    .string()
    .min(1)
    .max(100)
    .refine((issuer) => !issuer.includes(':'), 'an issuer may not contain a colon (it splits the otpauth label)')
    .optional(),
  emailChangeRequests: count.optional(),
  emailChangeRequestWindow: duration.optional(),
  emailChangeMaxFailures: count.optional(),
  emailChangeFailureWindow: duration.optional(),
});

/** The defaults with the overrides over them; CONFIGURATION_INVALID naming the field (`policy.factors.codeTtl`). */
export function resolveFactorPolicy(overrides: unknown): FactorPolicy {
  const parsed = parseConfiguration(factorPolicySchema, overrides ?? {}, 'policy.factors');
  return withDefaults(defaultFactorPolicy, parsed as Partial<FactorPolicy>);
}

/** Options of {@link createFactorService}. */
export interface FactorServiceOptions {
  /** The pepper for code and backup-code HMACs. Required: without it every command throws CONFIGURATION_INVALID. */
  pepper: string | undefined;
  /** The host key TOTP secrets are sealed with. Without it TOTP enrolment throws CONFIGURATION_INVALID. */
  encryptionKey?: SealingKey | SealingKeyring | undefined;
  policy?: FactorPolicyOverrides;
}

/** Who runs a factor command: the stored account, and the audit actor from the stored session. */
export interface FactorCaller {
  account: AccountRecord;
  actor: Json;
}

/** What the factor commands share. Internal. */
export interface FactorKit {
  readonly deps: CoreDeps;
  readonly policy: FactorPolicy;
  /** The pepper-bound helpers; CONFIGURATION_INVALID without a pepper. */
  macs(): SecretHasher;
  codes(): OneTimeCodes;
  /** The sealer of TOTP secrets; CONFIGURATION_INVALID without `secrets.encryptionKey`. */
  sealer(): Sealer;
  run<T>(handler: (uow: UnitOfWork) => Promise<T>): Promise<T>;
  /**
   * The caller's own account as stored now, after the step-up check, and the actor its history
   * entries name: built from the stored account and session, never from the context passed in.
   */
  caller(uow: UnitOfWork, auth: AuthContext): Promise<FactorCaller>;
  /** The factor types the account's organisation allows (every type for personal accounts). */
  allowedFactors(uow: UnitOfWork, account: AccountRecord): Promise<readonly FactorType[]>;
  /** Mails a factor change to every address on record. */
  notify(
    uow: UnitOfWork,
    account: AccountRecord,
    template: 'factor.added' | 'factor.removed' | 'factor.renamed',
    factor: StoredFactor,
    previous?: StoredFactor,
  ): void;
}

/** The label a factor gets when its owner gives none (stored as is, in English). */
export const DEFAULT_FACTOR_LABELS: Readonly<Record<FactorType, string>> = {
  sms: 'Phone',
  email: 'Email',
  totp: 'Authenticator app',
  backup_codes: 'Backup codes',
};

/** {@link DEFAULT_FACTOR_LABELS} as a reader of each locale reads them. */
const LOCALISED_DEFAULT_LABELS: Readonly<Record<Locale, Record<FactorType, string>>> = {
  en: DEFAULT_FACTOR_LABELS,
  hu: { sms: 'Telefon', email: 'E-mail', totp: 'Hitelesítő alkalmazás', backup_codes: 'Tartalékkódok' },
  el: { sms: 'Τηλέφωνο', email: 'Email', totp: 'Εφαρμογή ελέγχου ταυτότητας', backup_codes: 'Εφεδρικοί κωδικοί' },
  nl: { sms: 'Telefoon', email: 'E-mail', totp: 'Authenticator-app', backup_codes: 'Back-upcodes' },
};

/** What kind of factor it is, in running text. */
const FACTOR_KINDS: Readonly<Record<Locale, Record<FactorType, string>>> = {
  en: { sms: 'SMS code', email: 'email code', totp: 'authenticator app', backup_codes: 'backup codes' },
  hu: { sms: 'SMS-kód', email: 'e-mailes kód', totp: 'hitelesítő alkalmazás', backup_codes: 'tartalékkódok' },
  el: {
    sms: 'κωδικός SMS',
    email: 'κωδικός email',
    totp: 'εφαρμογή ελέγχου ταυτότητας',
    backup_codes: 'εφεδρικοί κωδικοί',
  },
  nl: { sms: 'sms-code', email: 'e-mailcode', totp: 'authenticator-app', backup_codes: 'back-upcodes' },
};

/**
 * How a factor is named in the `factor.added` / `factor.removed` mails (`{factor}`), in `locale`:
 * its label and its kind, `Telefon (SMS-kód)`. A default label is translated; a label the owner
 * chose stays exactly as given. The kind is left out where the label already says it
 * (`Hitelesítő alkalmazás`, not `Hitelesítő alkalmazás (hitelesítő alkalmazás)`).
 */
export function describeFactor(factor: Pick<StoredFactor, 'label' | 'type'>, locale: Locale): string {
  const label =
    factor.label === DEFAULT_FACTOR_LABELS[factor.type] ? LOCALISED_DEFAULT_LABELS[locale][factor.type] : factor.label;
  const kind = FACTOR_KINDS[locale][factor.type];
  return label.toLocaleLowerCase(locale) === kind.toLocaleLowerCase(locale) ? label : `${label} (${kind})`;
}

/** Builds the {@link FactorKit}. */
export function createFactorKit(deps: CoreDeps, options: FactorServiceOptions): FactorKit {
  const policy = resolveFactorPolicy(options.policy);
  let macs: SecretHasher | null = null;
  let codes: OneTimeCodes | null = null;
  let sealer: Sealer | null = null;

  function configuredMacs(): SecretHasher {
    if (macs) return macs;
    if (typeof options.pepper !== 'string' || options.pepper.length === 0) {
      throw commonErrors.raise(
        'CONFIGURATION_INVALID',
        { field: 'secrets.pepper' },
        'secrets.pepper is required for second factors',
      );
    }
    macs = createSecretHasher(options.pepper);
    return macs;
  }

  return {
    deps,
    policy,
    macs: configuredMacs,
    codes: () => (codes ??= createOneTimeCodes(configuredMacs(), deps.random)),
    sealer() {
      if (sealer) return sealer;
      // Never a per-process or constant key: a TOTP secret must outlive the process and stay sealed at rest.
      if (options.encryptionKey === undefined || options.encryptionKey === null) {
        throw commonErrors.raise(
          'CONFIGURATION_INVALID',
          { field: 'secrets.encryptionKey' },
          'secrets.encryptionKey is required to enrol an authenticator app: its secret is stored encrypted with it.',
        );
      }
      sealer = createSealer(options.encryptionKey, deps.random);
      return sealer;
    },
    run: (handler) => runCommand(deps.storage, () => deps.clock.now(), handler),
    async caller(uow, auth) {
      configuredMacs();
      const principal = auth.principal;
      if (principal.type !== 'account') {
        throw accountErrors.raise(
          'PERMISSION_DENIED',
          { permission: 'own_account' },
          'A phone-number login has no factors of its own.',
        );
      }
      const account = (await findAccountById(uow, principal.accountId))?.value;
      if (!account || account.status !== 'active' || account.organizationId !== principal.organizationId) {
        throw accountErrors.raise(
          'PERMISSION_DENIED',
          { permission: 'own_account', reason: 'not_an_active_account' },
          'Only an active account can manage its factors.',
        );
      }
      const session = await requireRecentFactor(uow, auth, policy.stepUpMaxAge);
      return { account, actor: { role: 'account', id: account.id, login: account.login, amr: [...session.amr] } };
    },
    async allowedFactors(uow, account) {
      if (account.organizationId === null) return FACTOR_TYPES;
      const org = await findOrganizationById(uow, account.organizationId);
      return org?.value.settings.allowedFactors ?? FACTOR_TYPES;
    },
    notify(uow, account, template, factor, previous) {
      const data = { login: account.login, factor: describeFactor(factor, account.locale) };
      if (template === 'factor.renamed') {
        const renamed = { ...data, previous: describeFactor(previous ?? factor, account.locale) };
        queueMessage(uow, deps.ids, 'email', account.email, template, account.locale, renamed);
      } else queueMessage(uow, deps.ids, 'email', account.email, template, account.locale, data);
    },
  };
}
