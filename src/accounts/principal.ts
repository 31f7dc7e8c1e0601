import { z } from 'zod';
import { identifierString } from '../_lib/text.js';
import type { Json } from '../ports/json.js';
import type { Permission } from './permissions.js';
import { PERMISSIONS, permissionSchema } from './permissions.js';

/**
 * Who acts. An `account` is a personal user (organisationId null) or a business user
 * (`username@company`); a `phone` principal logged in with a registered mobile number and is
 * limited to that number's grant. Built by the login module from the stored records.
 */
export type Principal =
  | {
      type: 'account';
      accountId: string;
      /** The canonical login id: `alice` or `bob@acme`. */
      login: string;
      organizationId: string | null;
      /** True for `admin@company`: holds every permission of its organisation. */
      isMainAdmin: boolean;
      permissions: readonly Permission[];
    }
  | {
      type: 'phone';
      /** E.164, e.g. `+36301234567`. */
      phone: string;
      organizationId: string;
      permissions: readonly Permission[];
    };

/**
 * How a principal authenticated: `password`, a one-time `sms` code, or a `phone`-number login;
 * second factors beyond SMS (docs/factors.md): an `email` code, an authenticator app (`totp`), a `backup_code`.
 */
export type AuthMethod = 'password' | 'sms' | 'phone' | 'email' | 'totp' | 'backup_code';

/** The result of a login, passed back in as the actor of administrative commands. */
export interface AuthContext {
  principal: Principal;
  /** Authentication methods used, as in OpenID `amr`. */
  amr: ReadonlyArray<AuthMethod>;
  /** When the (latest) authentication completed, epoch ms. A step-up refreshes it. */
  authenticatedAt: number;
  /**
   * The session the library keeps for this login (`desk.sessions.verify` answers it; a login's
   * result carries it). Commands that need a recent second factor read `amr` and
   * `authenticatedAt` from that stored session, never from this object. Optional: a context
   * without one is still accepted where no recent factor is needed.
   */
  sessionId?: string;
}

// An AuthContext comes back from the host: its ids are checked like any other id.
const id = identifierString().min(1).max(200);

/** Zod schema for {@link Principal}. */
export const principalSchema: z.ZodType<Principal> = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('account'),
    accountId: id,
    login: id,
    organizationId: id.nullable(),
    isMainAdmin: z.boolean(),
    permissions: z
      .array(permissionSchema)
      .max(PERMISSIONS.length * 4)
      .readonly(),
  }),
  z.strictObject({
    type: z.literal('phone'),
    phone: identifierString().regex(/^\+[1-9][0-9]{6,14}$/, { error: 'Expected an E.164 phone number.' }),
    organizationId: id,
    permissions: z
      .array(permissionSchema)
      .max(PERMISSIONS.length * 4)
      .readonly(),
  }),
]);

/** Zod schema for {@link AuthContext}. */
export const authContextSchema: z.ZodType<AuthContext> = z.strictObject({
  principal: principalSchema,
  // Bounded before its entries are read: a million of them is one issue, not a million.
  amr: z
    .array(z.enum(['password', 'sms', 'phone', 'email', 'totp', 'backup_code']))
    .max(16)
    .readonly(),
  authenticatedAt: z.number().int().nonnegative(),
  sessionId: id.optional(),
});

/** The actor of a history entry: who did it, never a secret. */
export function actorOf(auth: AuthContext): Json {
  const p = auth.principal;
  return p.type === 'account'
    ? { role: 'account', id: p.accountId, login: p.login, amr: [...auth.amr] }
    : { role: 'phone', phone: p.phone, amr: [...auth.amr] };
}
