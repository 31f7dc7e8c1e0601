import { z } from 'zod';
import { identifierString } from '../_lib/text.js';
import { authContextSchema } from '../accounts/principal.js';

/** A session or device token as the host read it from its cookie. Its shape is checked later: a bad one is SESSION_INVALID. */
export const bearerTokenSchema = identifierString({ error: 'Expected a token string.' })
  .min(1, { error: 'Expected a token string.' })
  .max(200, { error: 'Expected a token string.' });

const handle = identifierString({ error: 'Expected an id.' })
  .min(1, { error: 'Expected an id.' })
  .max(100, { error: 'Expected an id.' });

/** `desk.sessions.list(auth)`, `revokeOthers(auth)`, `devices(auth)`, `forgetDevices(auth)`. */
export const sessionAuthSchema = authContextSchema;
/** `desk.sessions.revoke({ auth, sessionId })`. */
export const revokeSessionSchema = z.strictObject({ auth: authContextSchema, sessionId: handle });
/** `desk.sessions.forgetDevice({ auth, deviceId })`. */
export const forgetDeviceSchema = z.strictObject({ auth: authContextSchema, deviceId: handle });
/** A device label the host chose ("Firefox on Windows"); shown in lists. */
export const deviceLabelSchema = identifierString({ error: 'Expected a device label (1–100 characters).' })
  .min(1, { error: 'Expected a device label (1–100 characters).' })
  .max(100, { error: 'Expected a device label (1–100 characters).' });

/** The input of the command, as the caller may pass it (see `revokeSessionSchema`). */
export type RevokeSessionInput = z.input<typeof revokeSessionSchema>;
/** The input of the command, as the caller may pass it (see `forgetDeviceSchema`). */
export type ForgetDeviceInput = z.input<typeof forgetDeviceSchema>;
