import { SECOND_FACTOR_METHODS } from '../factors/step-up.js';
import { parseInput } from '../engine/validate.js';
import { adminCommand } from './admin-command.js';
import { notifyAdministrators } from './administrator-notices.js';
import type { AccountKit } from './context.js';
import { accountErrors } from './error-codes.js';
import { mainAdministratorUsername } from './identifiers.js';
import { loadOrganization, readAccountView, readOrganizationView } from './lookups.js';
import { createMember } from './members.js';
import { actorOf } from './principal.js';
import { liveSessionOf } from '../sessions/session-record.js';
import type { CreateOrganizationResult } from './results.js';
import { createOrganizationSchema, setOrganizationSettingsSchema, type CreateOrganizationInput } from './schemas.js';
import {
  SLUG_CLAIM_KIND,
  claim,
  recordAccountHistory,
  recordOrganizationHistory,
  writeOrganization,
  type OrganizationRecord,
} from './store.js';

const system = { role: 'system' } as const;

/** The commands on organisations themselves (see {@link AccountService} for each rule). */
export function createOrganizationCommands(kit: AccountKit) {
  const { deps, policy } = kit;
  const { ids, storage } = deps;

  return {
    // A host operation (after the administrator's declaration): no AuthContext, so not an adminCommand.
    async createOrganization(input: CreateOrganizationInput): Promise<CreateOrganizationResult> {
      kit.configured();
      const p = parseInput(createOrganizationSchema, input, 'organisation');
      const created = await kit.run(async (uow) => {
        if (await uow.load(SLUG_CLAIM_KIND, p.slug)) {
          throw accountErrors.raise(
            'ORGANIZATION_EXISTS',
            { slug: p.slug },
            `An organisation named "${p.slug}" already exists.`,
          );
        }
        const organization: OrganizationRecord = {
          id: ids.next('org_'),
          slug: p.slug,
          name: p.name,
          mainAdminAccountId: ids.next('acc_'),
          settings: { smsCodeForLogin: true },
          createdAt: uow.now,
          updatedAt: uow.now,
        };
        writeOrganization(uow, organization, true);
        claim(uow, SLUG_CLAIM_KIND, p.slug, { organizationId: organization.id });
        const admin = await createMember(kit, uow, organization, {
          id: organization.mainAdminAccountId,
          username: mainAdministratorUsername,
          email: p.admin.email,
          phone: p.admin.phone ?? null,
          displayName: p.admin.displayName ?? p.name,
          locale: p.admin.locale ?? deps.locale,
          permissions: [],
          isMainAdmin: true,
        });
        recordOrganizationHistory(uow, organization.id, 'organization.created', system, {
          slug: organization.slug,
          mainAdminAccountId: admin.id,
        });
        recordAccountHistory(uow, admin.id, 'account.created', system, {
          kind: 'business',
          login: admin.login,
          isMainAdmin: true,
        });
        return { organizationId: organization.id, adminId: admin.id };
      });
      return {
        organization: await readOrganizationView(storage, created.organizationId),
        admin: await readAccountView(storage, created.adminId),
      };
    },

    setOrganizationSettings: adminCommand(kit, {
      schema: setOrganizationSettingsSchema,
      what: 'organisation settings',
      async run({ uow, input: p, actor }) {
        if (actor.principal.type !== 'account' || !actor.principal.isMainAdmin) {
          throw accountErrors.raise(
            'PERMISSION_DENIED',
            { permission: 'main_admin' },
            'Only the main administrator can change the SMS login code setting.',
          );
        }
        // How and when the caller authenticated is read from the stored session, never from the
        // context the host passed in (a client-side cookie could have rewritten it).
        const session = await liveSessionOf(uow, p.auth);
        const age = session ? uow.now - session.authenticatedAt : -1;
        if (
          !session ||
          !session.amr.some((m) => SECOND_FACTOR_METHODS.has(m)) ||
          age < 0 ||
          age > policy.secondFactorMaxAge
        ) {
          throw accountErrors.raise(
            'SECOND_FACTOR_REQUIRED',
            { maxAgeMs: policy.secondFactorMaxAge, reason: session ? 'factor_not_recent' : 'session_required' },
            `Confirm with a second factor first (needed within the last ${Math.round(policy.secondFactorMaxAge / 60_000)} minutes).`,
          );
        }
        const confirmed = { ...p.auth, amr: [...session.amr], authenticatedAt: session.authenticatedAt };
        const org = (await loadOrganization(uow, actor.organizationId)).value;
        const before = org.settings.smsCodeForLogin;
        const after = p.settings.smsCodeForLogin;
        if (before === after) return org.id;
        // One rule, two names: the factor rules read `secondFactorRequired`, the login reads this switch.
        const settings = { ...org.settings, smsCodeForLogin: after, secondFactorRequired: after };
        writeOrganization(uow, { ...org, settings, updatedAt: uow.now });
        recordOrganizationHistory(uow, org.id, 'organization.settings_changed', actorOf(confirmed), {
          setting: 'smsCodeForLogin',
          from: before,
          to: after,
        });
        await notifyAdministrators(deps, uow, org, after, actor.account?.login ?? 'admin');
        return org.id;
      },
      answer: (organizationId) => readOrganizationView(storage, organizationId),
    }),
  };
}
