import { z } from 'zod';
import { identifierString, safeString, singleLineText } from '../_lib/text.js';
import { LOCALES } from '../messages/locales.js';
import { emailSchema, usernameSchema, companySlugSchema } from './identifiers.js';
import { permissionListSchema, phonePermissionListSchema } from './permissions.js';
import { hungarianMobileSchema } from './phone.js';
import { authContextSchema } from './principal.js';
import { parseLoginIdentifier } from './store.js';

export const localeSchema = z.enum(LOCALES, { error: `Expected a locale: ${LOCALES.join(', ')}.` });

/** A password as typed. Length and identifier rules are checked against the policy afterwards (INVALID_INPUT, `details.reason`). */
export const passwordInputSchema = safeString({ error: 'Expected the password as a string.' }).max(4096, {
  error: 'Expected a password of at most 4096 characters.',
});

// Display names reach mail greetings and SMS: one line (see `_lib/text.ts`).
const displayNameSchema = singleLineText({ error: 'Expected a display name.' })
  .transform((s) => s.normalize('NFKC').trim())
  .pipe(
    z
      .string()
      .min(1, { error: 'Expected a non-empty display name.' })
      .max(100, { error: 'Expected a display name of at most 100 characters.' }),
  );

export const identifierExpected = 'a username, a business login (username@company) or an email address';

/** A login identifier or an email address, as typed on a "forgot password" form. */
// safeString, not identifierString: surrounding whitespace is canonicalised away as before, and
// the login and email patterns refuse any control character inside.
export const identifierSchema = safeString({ error: `Expected ${identifierExpected}.` })
  .max(300, { error: `Expected ${identifierExpected}.` })
  .refine((s) => parseLoginIdentifier(s) !== null || emailSchema.safeParse(s).success, {
    error: `Expected ${identifierExpected}.`,
  });

/** A link token as found in a link. Unknown tokens are TOKEN_INVALID, not INVALID_INPUT. */
export const tokenSchema = identifierString({ error: 'Expected the token from the link.' })
  .min(1, { error: 'Expected the token from the link.' })
  .max(512, { error: 'Expected the token from the link.' });

export const codeSchema = safeString({ error: 'Expected the code as a string of digits.' })
  .transform((s) => s.normalize('NFKC').replace(/\s+/g, ''))
  .pipe(z.string().regex(/^[0-9]{4,12}$/, { error: 'Expected the code as a string of digits.' }));

/** Parses the input of `desk.accounts.register` (username, email, password, display name, optional phone and locale); unknown keys are refused with INVALID_INPUT. */
export const registerSchema = z.strictObject({
  username: usernameSchema,
  email: emailSchema,
  password: passwordInputSchema,
  displayName: displayNameSchema,
  phone: hungarianMobileSchema.optional(),
  locale: localeSchema.optional(),
});
/** The input of `desk.accounts.register`: username, email, password, display name, optional phone and locale. See {@link registerSchema} for the rules each field must meet. */
export type RegisterInput = z.input<typeof registerSchema>;

/** Parses the input of `desk.accounts.activate` (the token from the activation link); unknown keys are refused with INVALID_INPUT. */
export const activateSchema = z.strictObject({ token: tokenSchema });
/** The input of `desk.accounts.activate`: the token from the activation link. See {@link activateSchema} for the rules each field must meet. */
export type ActivateInput = z.input<typeof activateSchema>;

/** Parses the input of `desk.accounts.resendActivation` (the identifier of a registered, not yet active account); unknown keys are refused with INVALID_INPUT. */
export const resendActivationSchema = z.strictObject({ identifier: identifierSchema });
/** The input of `desk.accounts.resendActivation`: the identifier of a registered, not yet active account. See {@link resendActivationSchema} for the rules each field must meet. */
export type ResendActivationInput = z.input<typeof resendActivationSchema>;

/** Parses the input of `desk.accounts.requestPasswordReset` (the identifier and the channel the link or code must go by); unknown keys are refused with INVALID_INPUT. */
export const requestPasswordResetSchema = z
  .strictObject({
    identifier: identifierSchema,
    channel: z.enum(['email', 'sms'], { error: "Expected channel 'email' or 'sms'." }),
    /** `link` (email only, the default for email) or `code` (the only method for SMS). */
    method: z.enum(['link', 'code'], { error: "Expected method 'link' or 'code'." }).optional(),
  })
  .refine((input) => !(input.channel === 'sms' && input.method === 'link'), {
    error: 'A reset by SMS sends a code, not a link.',
    path: ['method'],
  });
/** The input of `desk.accounts.requestPasswordReset`: the identifier and the channel the link or code must go by. See {@link requestPasswordResetSchema} for the rules each field must meet. */
export type RequestPasswordResetInput = z.input<typeof requestPasswordResetSchema>;

/** Parses the input of `desk.accounts.resetPassword` (the link token, or the identifier and the SMS code, with the new password); unknown keys are refused with INVALID_INPUT. */
export const resetPasswordSchema = z.union(
  [
    z.strictObject({ token: tokenSchema, newPassword: passwordInputSchema }),
    z.strictObject({ identifier: identifierSchema, code: codeSchema, newPassword: passwordInputSchema }),
  ],
  {
    error: 'Expected { token, newPassword } from a reset link, or { identifier, code, newPassword } with a reset code.',
  },
);
/** The input of `desk.accounts.resetPassword`: the link token, or the identifier and the SMS code, with the new password. See {@link resetPasswordSchema} for the rules each field must meet. */
export type ResetPasswordInput = z.input<typeof resetPasswordSchema>;

/** Parses the input of `desk.accounts.requestUsernameReminder` (the email address the reminder must go to); unknown keys are refused with INVALID_INPUT. */
export const usernameReminderSchema = z.strictObject({ email: emailSchema });
/** The input of `desk.accounts.requestUsernameReminder`: the email address the reminder must go to. See {@link usernameReminderSchema} for the rules each field must meet. */
export type UsernameReminderInput = z.input<typeof usernameReminderSchema>;

const contactSchema = {
  email: emailSchema,
  phone: hungarianMobileSchema.optional(),
  displayName: displayNameSchema.optional(),
  locale: localeSchema.optional(),
};

/** Parses the input of `desk.accounts.createOrganization` (the organisation and its main administrator); unknown keys are refused with INVALID_INPUT. */
export const createOrganizationSchema = z.strictObject({
  /** The short name after `@` in logins, e.g. `acme` for `admin@acme`. */
  slug: companySlugSchema,
  name: singleLineText({ error: 'Expected the organisation name.' })
    .transform((s) => s.normalize('NFKC').trim())
    .pipe(
      z
        .string()
        .min(1, { error: 'Expected a non-empty organisation name.' })
        .max(200, { error: 'Expected an organisation name of at most 200 characters.' }),
    ),
  /** The main administrator, whose login will be `admin@<slug>`. */
  admin: z.strictObject(contactSchema),
});
/** The input of `desk.accounts.createOrganization`: the organisation and its main administrator. See {@link createOrganizationSchema} for the rules each field must meet. */
export type CreateOrganizationInput = z.input<typeof createOrganizationSchema>;

/** Parses the input of `desk.accounts.createBusinessUser` (a business user of the caller's organisation); unknown keys are refused with INVALID_INPUT. */
export const createBusinessUserSchema = z.strictObject({
  auth: authContextSchema,
  username: usernameSchema,
  ...contactSchema,
  permissions: permissionListSchema,
});
/** The input of `desk.accounts.createBusinessUser`: a business user of the caller's organisation. See {@link createBusinessUserSchema} for the rules each field must meet. */
export type CreateBusinessUserInput = z.input<typeof createBusinessUserSchema>;

const loginSchema = safeString({ error: 'Expected a business login (username@company).' }).max(300);

/** Parses the input of `desk.accounts.setPermissions` (a business user's permissions, set by an administrator); unknown keys are refused with INVALID_INPUT. */
export const setPermissionsSchema = z.strictObject({
  auth: authContextSchema,
  login: loginSchema,
  permissions: permissionListSchema,
});
/** The input of `desk.accounts.setPermissions`: a business user's permissions, set by an administrator. See {@link setPermissionsSchema} for the rules each field must meet. */
export type SetPermissionsInput = z.input<typeof setPermissionsSchema>;

/** Parses the input of `desk.accounts.setUserStatus` (a business user enabled or disabled by an administrator); unknown keys are refused with INVALID_INPUT. */
export const setUserStatusSchema = z.strictObject({
  auth: authContextSchema,
  login: loginSchema,
  status: z.enum(['active', 'disabled'], { error: "Expected status 'active' or 'disabled'." }),
});
/** The input of `desk.accounts.setUserStatus`: a business user enabled or disabled by an administrator. See {@link setUserStatusSchema} for the rules each field must meet. */
export type SetUserStatusInput = z.input<typeof setUserStatusSchema>;

/** Parses the input of `desk.accounts.reissueTemporaryPassword` (the business login that must get a new temporary password); unknown keys are refused with INVALID_INPUT. */
export const reissueTemporaryPasswordSchema = z.strictObject({ auth: authContextSchema, login: loginSchema });
/** The input of `desk.accounts.reissueTemporaryPassword`: the business login that must get a new temporary password. See {@link reissueTemporaryPasswordSchema} for the rules each field must meet. */
export type ReissueTemporaryPasswordInput = z.input<typeof reissueTemporaryPasswordSchema>;

/** Parses the input of `desk.accounts.setOrganizationSettings` (the organisation's settings, changed by its main administrator after a recent second factor); unknown keys are refused with INVALID_INPUT. */
export const setOrganizationSettingsSchema = z.strictObject({
  auth: authContextSchema,
  settings: z.strictObject({ smsCodeForLogin: z.boolean({ error: 'Expected smsCodeForLogin to be true or false.' }) }),
});
/** The input of `desk.accounts.setOrganizationSettings`: the organisation's settings, changed by its main administrator after a recent second factor. See {@link setOrganizationSettingsSchema} for the rules each field must meet. */
export type SetOrganizationSettingsInput = z.input<typeof setOrganizationSettingsSchema>;

/** Parses the input of `desk.accounts.registerPhoneNumber` (a phone number that may log in with an SMS code); unknown keys are refused with INVALID_INPUT. */
export const registerPhoneNumberSchema = z.strictObject({
  auth: authContextSchema,
  phone: hungarianMobileSchema,
  permissions: phonePermissionListSchema,
  label: singleLineText().trim().min(1).max(100).optional(),
});
/** The input of `desk.accounts.registerPhoneNumber`: a phone number that may log in with an SMS code. See {@link registerPhoneNumberSchema} for the rules each field must meet. */
export type RegisterPhoneNumberInput = z.input<typeof registerPhoneNumberSchema>;

/** Parses the input of `desk.accounts.setPhonePermissions` (a registered phone number's permissions); unknown keys are refused with INVALID_INPUT. */
export const setPhonePermissionsSchema = z.strictObject({
  auth: authContextSchema,
  phone: hungarianMobileSchema,
  permissions: phonePermissionListSchema,
});
/** The input of `desk.accounts.setPhonePermissions`: a registered phone number's permissions. See {@link setPhonePermissionsSchema} for the rules each field must meet. */
export type SetPhonePermissionsInput = z.input<typeof setPhonePermissionsSchema>;

export const idSchema = identifierString({ error: 'Expected an id.' }).min(1, { error: 'Expected an id.' }).max(200);
