import type { UnitOfWork } from '../engine/unit-of-work.js';
import { accountErrors } from './error-codes.js';
import { can, effectivePermissions, sortPermissions, type Permission, type PermissionHolder } from './permissions.js';
import type { AuthContext, Principal } from './principal.js';
import {
  PHONE_PRINCIPAL_KIND,
  accountPrincipal,
  findAccountById,
  phonePrincipal,
  type AccountRecord,
  type PhonePrincipalRecord,
} from './store.js';

/** The actor of an administrative command, as stored now. */
export interface Actor {
  principal: Principal;
  /** The organisation the actor administers (always set: principals outside one are refused). */
  organizationId: string;
  /** The actor's account; null for a phone principal. */
  account: AccountRecord | null;
}

/** PERMISSION_DENIED naming the missing permission. */
export const denied = (permission: string, details: Record<string, unknown> = {}) =>
  accountErrors.raise(
    'PERMISSION_DENIED',
    { permission, ...details },
    `You need the permission "${permission}" for this.`,
  );

/**
 * The actor as stored now, not as it was at login: a disabled account or a revoked grant
 * takes effect at once. Refuses principals outside an organisation.
 */
export async function currentPrincipal(uow: UnitOfWork, auth: AuthContext): Promise<Actor> {
  const claimed = auth.principal;
  if (claimed.type === 'phone') {
    const record = await uow.load(PHONE_PRINCIPAL_KIND, claimed.phone);
    const stored = record?.state as unknown as PhonePrincipalRecord | undefined;
    if (!stored || stored.organizationId !== claimed.organizationId)
      throw denied('organization', { reason: 'unknown_principal' });
    return { principal: phonePrincipal(stored), organizationId: stored.organizationId, account: null };
  }
  const account = (await findAccountById(uow, claimed.accountId))?.value;
  if (
    !account ||
    account.status !== 'active' ||
    account.organizationId === null ||
    account.organizationId !== claimed.organizationId
  ) {
    throw denied('organization', { reason: 'not_an_active_business_user' });
  }
  return { principal: accountPrincipal(account), organizationId: account.organizationId, account };
}

/** The current actor, who must hold `permission` now: PERMISSION_DENIED otherwise. */
export async function requirePermission(uow: UnitOfWork, auth: AuthContext, permission: Permission): Promise<Actor> {
  const actor = await currentPrincipal(uow, auth);
  if (!can(actor.principal, permission)) throw denied(permission);
  return actor;
}

/** No one grants or takes away what they do not hold themselves: PERMISSION_DENIED listing what is missing. */
export function requireWithinOwn(principal: Principal, changed: readonly Permission[]): void {
  const missing = changed.filter((p) => !can(principal, p));
  if (missing.length > 0) {
    throw accountErrors.raise(
      'PERMISSION_DENIED',
      { permission: missing[0], missing },
      `You cannot grant or remove permissions you do not hold: ${missing.join(', ')}.`,
    );
  }
}

/**
 * Permission symmetry: a command on another user or phone number must come from someone who
 * holds every permission the target holds now, or from the main administrator (who holds them
 * all). Otherwise PERMISSION_DENIED listing what the actor lacks; `doing` names the command.
 */
export function requireOutranks(actor: Actor, target: PermissionHolder, doing: string): void {
  const missing = effectivePermissions(target).filter((p) => !can(actor.principal, p));
  if (missing.length > 0) {
    throw accountErrors.raise(
      'PERMISSION_DENIED',
      { permission: missing[0], missing },
      `You cannot ${doing} a user holding permissions you do not hold: ${missing.join(', ')}.`,
    );
  }
}

/** The permissions a change from `before` to `after` adds or removes, in registry order. */
export function changedPermissions(before: readonly Permission[], after: readonly Permission[]): Permission[] {
  return sortPermissions([...before.filter((x) => !after.includes(x)), ...after.filter((x) => !before.includes(x))]);
}
