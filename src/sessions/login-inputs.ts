import { z } from 'zod';
import { submitCodeSchema, submitPasswordSchema } from '../login/schemas.js';
import { bearerTokenSchema, deviceLabelSchema } from './schemas.js';

/** `desk.login.submitPassword` with the remembered-device token (skips the second factor of its account). */
export const submitPasswordWithDeviceSchema = submitPasswordSchema.extend({
  deviceToken: bearerTokenSchema.optional(),
  deviceLabel: deviceLabelSchema.optional(),
});

/** `desk.login.submitCode` asking to remember the device (after the second factor) and naming it. */
export const submitCodeWithDeviceSchema = submitCodeSchema.extend({
  rememberDevice: z.boolean().optional(),
  deviceLabel: deviceLabelSchema.optional(),
});

export type SubmitPasswordWithDeviceInput = z.input<typeof submitPasswordWithDeviceSchema>;
export type SubmitCodeWithDeviceInput = z.input<typeof submitCodeWithDeviceSchema>;
