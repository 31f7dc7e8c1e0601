import { z } from 'zod';
import { clientKeySchema, submitCodeSchema, submitPasswordSchema } from '../login/schemas.js';
import { bearerTokenSchema, deviceLabelSchema } from './schemas.js';

/** `desk.login.submitPassword` with the remembered-device token (skips the second factor of its account). */
export const submitPasswordWithDeviceSchema = submitPasswordSchema.extend({
  deviceToken: bearerTokenSchema.optional(),
  deviceLabel: deviceLabelSchema.optional(),
});

/**
 * `desk.login.start` with the host's client key and a remembered-device token, read from the
 * device's cookie before the user typed anything; it counts at the password step like the one
 * `submitPassword` takes (that one wins when both are given).
 */
export const startLoginWithDeviceSchema = z
  .strictObject({ clientKey: clientKeySchema.optional(), deviceToken: bearerTokenSchema.optional() })
  .optional();

/** `desk.login.submitCode` asking to remember the device (after the second factor) and naming it. */
export const submitCodeWithDeviceSchema = submitCodeSchema.extend({
  rememberDevice: z.boolean().optional(),
  deviceLabel: deviceLabelSchema.optional(),
});

/** The input of `desk.login.start`, as the caller may pass it (see `startLoginWithDeviceSchema`). */
export type StartLoginWithDeviceInput = z.input<typeof startLoginWithDeviceSchema>;
/** The input of `desk.login.submitPassword`, as the caller may pass it (see `submitPasswordWithDeviceSchema`). */
export type SubmitPasswordWithDeviceInput = z.input<typeof submitPasswordWithDeviceSchema>;
/** The input of `desk.login.submitCode`, as the caller may pass it (see `submitCodeWithDeviceSchema`). */
export type SubmitCodeWithDeviceInput = z.input<typeof submitCodeWithDeviceSchema>;
