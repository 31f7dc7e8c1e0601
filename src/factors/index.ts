// The public surface of the factors module (`desk.factors`). What is not listed is internal.
export type { FactorService } from './service.js';
export type { EnrolFactorResult, ConfirmFactorResult } from './factor-commands.js';
export type { EmailChangeStarted } from './email-change.js';
export { defaultFactorPolicy, type FactorPolicy, type FactorPolicyOverrides } from './factor-kit.js';
export { FACTOR_TYPES, type FactorType } from './factor-record.js';
export type { FactorView } from './views.js';
export * from './schemas.js'; // the command inputs of `desk.factors`: every export there is public
export { hotp, totpAt, verifyTotp, otpauthUri, defaultTotpParameters, type TotpParameters } from './totp.js';
