import type { CoreDeps } from '../engine/deps.js';
import { queueMessage } from '../engine/notify.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { switchStateLabel } from '../messages/render.js';
import { ACCOUNT_KIND, type AccountRecord, type OrganizationRecord } from './store.js';

/**
 * Mails a changed login-security setting of an organisation (whether logins need the second
 * factor, which factors count) to every active administrator (ASVS 6.3.7), in `uow`: the main
 * administrator and every holder of `settings.manage` or `users.manage`. `secondFactorRequired`
 * is the switch as it is now (`organization.sms_setting_changed`'s `{enabled}`).
 */
export async function notifyAdministrators(
  deps: Pick<CoreDeps, 'storage' | 'ids'>,
  uow: UnitOfWork,
  org: OrganizationRecord,
  secondFactorRequired: boolean,
  changedBy: string,
): Promise<void> {
  const members = await deps.storage.list(ACCOUNT_KIND, { where: { organization: org.id }, limit: 1000 });
  const administrators = members
    .map((r) => r.state as unknown as AccountRecord)
    .filter(
      (a) =>
        a.status === 'active' &&
        (a.isMainAdmin || a.permissions.includes('settings.manage') || a.permissions.includes('users.manage')),
    );
  for (const admin of administrators) {
    queueMessage(uow, deps.ids, 'email', admin.email, 'organization.sms_setting_changed', admin.locale, {
      organization: org.name,
      enabled: switchStateLabel(admin.locale, secondFactorRequired),
      changedBy,
    });
  }
}
