import { z } from 'zod';
import { identifierString, safeString } from '../_lib/text.js';
import { passwordInputSchema } from '../accounts/schemas.js';
import { hungarianMobileSchema } from '../accounts/phone.js';
import { authContextSchema } from '../accounts/principal.js';
import { emailSchema } from '../accounts/identifiers.js';
import { parseLoginIdentifier } from '../accounts/login-identifier.js';
import { FACTOR_TYPES } from '../factors/factor-record.js';

/** A flow id as returned by `start` (`lgn_…`). */
export const flowIdSchema = identifierString({ error: 'Expected a login flow id.' })
  .min(1, { error: 'Expected a login flow id.' })
  .max(100, { error: 'Expected a login flow id.' });

const flow = { flowId: flowIdSchema };

/**
 * A login identifier: a username (`alice`), a business login (`bob@acme`) or the email address of
 * a personal account. Only the format is checked here (case, NFKC and spaces are canonicalised
 * later); whether it exists is never revealed by this step.
 */
// Surrounding whitespace is canonicalised later; the login pattern refuses controls inside.
export const identifierSchema = safeString({ error: 'Expected a username, username@company or an email address.' })
  .max(300, { error: 'Expected a username, username@company or an email address.' })
  .refine((value) => parseLoginIdentifier(value) !== null || emailSchema.safeParse(value).success, {
    error: 'Expected a username (3–32 of a–z 0–9 . _ -), username@company or an email address.',
  });

/**
 * A one-time code as typed: the digits, optionally with spaces or a dash (`123 456`), or a
 * 10-character backup code (`ABCDE-FGHIJ`, any case).
 */
export const loginCodeSchema = safeString({ error: 'Expected the code from the SMS.' })
  .max(40, { error: 'Expected the code from the SMS.' })
  .transform((value) => value.replace(/[\s-]/g, ''))
  .refine((value) => /^\d{6,10}$/.test(value) || /^[A-Za-z2-7]{10}$/.test(value), {
    error: 'Expected the 6-digit code from the SMS, the app or the email, or a backup code.',
  });

/** The identifier step's input: the flow id and the identifier typed (must match `identifierSchema`). */
export const submitIdentifierSchema = z.strictObject({ ...flow, identifier: identifierSchema });
/** The password step's input: the flow id and the password as typed (at most 4096 characters). */
export const submitPasswordSchema = z.strictObject({ ...flow, password: passwordInputSchema });
/** The code step's input: the flow id and the code as typed (must match `loginCodeSchema`). */
export const submitCodeSchema = z.strictObject({ ...flow, code: loginCodeSchema });
/** A request to send the flow's code again: the flow id only. */
export const resendCodeSchema = z.strictObject(flow);
/** The new password a flow at `awaiting_new_password` must set (after a temporary password). */
export const changePasswordSchema = z.strictObject({ ...flow, newPassword: passwordInputSchema });
/**
 * The host's client key: an opaque value it derives from the device or browser (e.g. a hash of a
 * long-lived cookie, or of the IP and user agent). Clients that completed a login on an account
 * pass its lock; unknown clients stay throttled (docs/security.md).
 */
export const clientKeySchema = identifierString({ error: 'Expected a client key (1–200 characters).' })
  .min(1, { error: 'Expected a client key (1–200 characters).' })
  .max(200, { error: 'Expected a client key (1–200 characters).' });
/** The options of `start`: the host's client key; absent (or no object): an unknown client. */
export const startLoginSchema = z.strictObject({ clientKey: clientKeySchema.optional() }).optional();
/**
 * The start of a phone login: a Hungarian mobile number, 9 digits with the area prefix
 * (`301234567`, `+36 30 123 4567`, `06 30 123 4567`), and the host's client key (default: none).
 */
export const startPhoneLoginSchema = z.strictObject({
  number: hungarianMobileSchema,
  clientKey: clientKeySchema.optional(),
});
/**
 * A step-up of the caller's session: `method` is the factor that confirms it (one the account
 * holds and its organisation allows); absent: the first such in the order sms, email, totp, backup_codes.
 */
export const startStepUpSchema = z.strictObject({
  auth: authContextSchema,
  method: z.enum(FACTOR_TYPES, { error: 'Expected one of sms, email, totp, backup_codes.' }).optional(),
});
/** The new phone a recovered account enrols (a Hungarian mobile number, as for phone login). */
export const enrolPhoneSchema = z.strictObject({ ...flow, number: hungarianMobileSchema });

/** The input of `submitIdentifier`, as the caller may pass it (see `submitIdentifierSchema`). */
export type SubmitIdentifierInput = z.input<typeof submitIdentifierSchema>;
/** The input of `submitPassword`, as the caller may pass it (see `submitPasswordSchema`). */
export type SubmitPasswordInput = z.input<typeof submitPasswordSchema>;
/** The input of `submitCode`, as the caller may pass it (see `submitCodeSchema`). */
export type SubmitCodeInput = z.input<typeof submitCodeSchema>;
/** The input of `resendCode`, as the caller may pass it (see `resendCodeSchema`). */
export type ResendCodeInput = z.input<typeof resendCodeSchema>;
/** The input of `changePassword`, as the caller may pass it (see `changePasswordSchema`). */
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;
/** The input of `startPhoneLogin`, as the caller may pass it (see `startPhoneLoginSchema`). */
export type StartPhoneLoginInput = z.input<typeof startPhoneLoginSchema>;
/** The input of `start`, as the caller may pass it (see `startLoginSchema`). */
export type StartLoginInput = z.input<typeof startLoginSchema>;
/** The input of `startStepUp`, as the caller may pass it (see `startStepUpSchema`). */
export type StartStepUpInput = z.input<typeof startStepUpSchema>;
/** The input of `enrolPhone`, as the caller may pass it (see `enrolPhoneSchema`). */
export type EnrolPhoneInput = z.input<typeof enrolPhoneSchema>;
/** The factor picked at `awaiting_factor`: an id from the view's `factors`. */
export const chooseFactorSchema = z.strictObject({
  ...flow,
  factorId: identifierString({ error: 'Expected a factor id from the view.' })
    .min(1, { error: 'Expected a factor id from the view.' })
    .max(100, { error: 'Expected a factor id from the view.' }),
});
/** The input of `chooseFactor`, as the caller may pass it (see `chooseFactorSchema`). */
export type ChooseFactorInput = z.input<typeof chooseFactorSchema>;
