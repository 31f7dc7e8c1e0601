import { z } from 'zod';
import { identifierString, singleLineText } from '../_lib/text.js';
import { emailSchema } from '../accounts/identifiers.js';
import { authContextSchema } from '../accounts/principal.js';
import { FACTOR_TYPES } from './factor-record.js';

// Every export of this file is public (re-exported whole by factors/index.ts and login/index.ts):
// the inputs of `desk.factors`. Helpers stay unexported.
const factorType = z.enum(FACTOR_TYPES, { error: 'Expected one of sms, email, totp, backup_codes.' });
const factorId = identifierString().min(1).max(100);
const label = singleLineText().trim().min(1).max(60);
// Codes are short: 6 digits, or a 10-character backup code with its dash and spaces.
const code = identifierString().min(1).max(32);

/** Input of `desk.factors.enrol`: the type, and an optional label (default: the type's name). */
export const enrolFactorSchema = z.strictObject({ auth: authContextSchema, type: factorType, label: label.optional() });
/** The input of the command, as the caller may pass it (see `enrolFactorSchema`). */
export type EnrolFactorInput = z.input<typeof enrolFactorSchema>;

/** Input of `desk.factors.confirm`: the pending factor and its first code. */
export const confirmFactorSchema = z.strictObject({ auth: authContextSchema, factorId, code });
/** The input of the command, as the caller may pass it (see `confirmFactorSchema`). */
export type ConfirmFactorInput = z.input<typeof confirmFactorSchema>;

/** Input of `desk.factors.list`. */
export const listFactorsSchema = z.strictObject({ auth: authContextSchema });
/** The input of the command, as the caller may pass it (see `listFactorsSchema`). */
export type ListFactorsInput = z.input<typeof listFactorsSchema>;

/** Input of `desk.factors.rename`. */
export const renameFactorSchema = z.strictObject({ auth: authContextSchema, factorId, label });
/** The input of the command, as the caller may pass it (see `renameFactorSchema`). */
export type RenameFactorInput = z.input<typeof renameFactorSchema>;

/** Input of `desk.factors.remove`. */
export const removeFactorSchema = z.strictObject({ auth: authContextSchema, factorId });
/** The input of the command, as the caller may pass it (see `removeFactorSchema`). */
export type RemoveFactorInput = z.input<typeof removeFactorSchema>;

/** Input of `desk.factors.setOrganizationFactors`: what the main administrator allows and requires. */
export const setOrganizationFactorsSchema = z.strictObject({
  auth: authContextSchema,
  allowed: z
    .array(factorType)
    .min(1, { error: 'Expected at least one allowed factor.' })
    .max(FACTOR_TYPES.length)
    .refine((list) => new Set(list).size === list.length, { error: 'Expected each factor once.' }),
  secondFactorRequired: z.boolean({ error: 'Expected secondFactorRequired to be true or false.' }),
});
/** The input of the command, as the caller may pass it (see `setOrganizationFactorsSchema`). */
export type SetOrganizationFactorsInput = z.input<typeof setOrganizationFactorsSchema>;

/** Input of `desk.factors.changeEmail`: the new address, which gets a code to prove it is the user's. */
export const changeEmailSchema = z.strictObject({ auth: authContextSchema, email: emailSchema });
/** The input of the command, as the caller may pass it (see `changeEmailSchema`). */
export type ChangeEmailInput = z.input<typeof changeEmailSchema>;

/** Input of `desk.factors.confirmEmailChange`: the code mailed to the new address. */
export const confirmEmailChangeSchema = z.strictObject({ auth: authContextSchema, code });
/** The input of the command, as the caller may pass it (see `confirmEmailChangeSchema`). */
export type ConfirmEmailChangeInput = z.input<typeof confirmEmailChangeSchema>;
