import { z } from 'zod';

/**
 * The named permissions of a business organisation, grounded in the self-service functions
 * of the Hungarian source: tickets, invoices, subscriptions, and the administration of users,
 * phone numbers and settings. The main administrator implicitly holds every one.
 */
export const PERMISSIONS = [
  /** Read the organisation's helpdesk tickets (on a phone number: the tickets filed from it). */
  'tickets.read',
  /** File tickets and reply to them. */
  'tickets.create',
  /** Read invoices and balances. */
  'billing.read',
  /** Read subscriptions (lines, packages). */
  'subscriptions.read',
  /** Order, change or cancel subscriptions. */
  'subscriptions.manage',
  /** Create business users and set their permissions (never above one's own). */
  'users.manage',
  /** Register phone numbers and restrict their permissions. */
  'phones.manage',
  /** Change organisation settings other than the SMS login code (which only the main administrator may change). */
  'settings.manage',
] as const;

/** One of {@link PERMISSIONS}. */
export type Permission = (typeof PERMISSIONS)[number];

/**
 * What a phone-number principal may ever hold: the functions that belong to one number
 * ("only the functions of that number are available"). Administration never is.
 */
export const PHONE_GRANTABLE_PERMISSIONS = [
  'tickets.read',
  'tickets.create',
  'billing.read',
  'subscriptions.read',
  'subscriptions.manage',
] as const satisfies readonly Permission[];

/** What an INVALID_INPUT message says a permission must be. */
export const permissionExpected = `one of ${PERMISSIONS.join(', ')}`;

/** A permission name. */
export const permissionSchema = z.enum(PERMISSIONS, { error: `Expected a permission: ${permissionExpected}.` });

/** A list of permissions, deduplicated and sorted (the stored form). */
export const permissionListSchema = z
  .array(permissionSchema, { error: 'Expected a list of permissions.' })
  .max(PERMISSIONS.length * 4)
  .transform((list) => sortPermissions(list));

/** A list of permissions a phone number may hold. */
export const phonePermissionListSchema = z
  .array(
    z.enum(PHONE_GRANTABLE_PERMISSIONS, {
      error: `Expected a permission a phone number may hold: one of ${PHONE_GRANTABLE_PERMISSIONS.join(', ')}.`,
    }),
    { error: 'Expected a list of permissions.' },
  )
  .max(PERMISSIONS.length * 4)
  .transform((list) => sortPermissions(list));

const permissionSet: ReadonlySet<string> = new Set(PERMISSIONS);
const phoneGrantable: ReadonlySet<string> = new Set(PHONE_GRANTABLE_PERMISSIONS);

/** True for a name in {@link PERMISSIONS}. */
export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && permissionSet.has(value);
}

/** Deduplicated, in registry order. */
export function sortPermissions(list: readonly Permission[]): Permission[] {
  const set = new Set(list);
  return PERMISSIONS.filter((p) => set.has(p));
}

/**
 * What {@link can} reads of a principal. Declared here, not imported from `principal.ts`, so
 * the permission registry stays a leaf (`principal.ts` builds its schema from this file);
 * every `Principal` satisfies it.
 */
export type PermissionHolder =
  | { type: 'phone'; permissions: readonly Permission[] }
  | { type: 'account'; organizationId: string | null; isMainAdmin: boolean; permissions: readonly Permission[] };

/**
 * Whether `principal` may do `permission`. Pure; this is what hosts enforce with.
 * - The main administrator holds every permission.
 * - A business user holds exactly the permissions granted.
 * - A personal account holds none, whatever its `permissions` array says.
 * - A phone principal holds its number's grant, and never anything outside
 *   {@link PHONE_GRANTABLE_PERMISSIONS}, whatever its `permissions` array says.
 * Unknown permission names are never held.
 */
export function can(principal: PermissionHolder, permission: Permission): boolean {
  if (!isPermission(permission)) return false;
  if (principal.type === 'phone') return phoneGrantable.has(permission) && principal.permissions.includes(permission);
  if (principal.organizationId === null) return false; // a personal account holds none, whatever it lists
  if (principal.isMainAdmin) return true;
  return principal.permissions.includes(permission);
}

/** The permissions in force for `principal` (every one for the main administrator). */
export function effectivePermissions(principal: PermissionHolder): Permission[] {
  return PERMISSIONS.filter((p) => can(principal, p));
}
