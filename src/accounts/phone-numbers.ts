import { changedPermissions, requireOutranks, requireWithinOwn } from './actor.js';
import { adminCommand } from './admin-command.js';
import type { AccountKit } from './context.js';
import { accountErrors } from './error-codes.js';
import { readPhoneView } from './lookups.js';
import { actorOf } from './principal.js';
import { registerPhoneNumberSchema, setPhonePermissionsSchema } from './schemas.js';
import {
  PHONE_PRINCIPAL_KIND,
  phonePrincipal,
  recordPhoneHistory,
  writePhonePrincipal,
  type PhonePrincipalRecord,
} from './store.js';

/** The commands on an organisation's phone numbers (see {@link AccountService} for each rule). */
export function createPhoneNumberCommands(kit: AccountKit) {
  const { storage } = kit.deps;
  const answer = (_: void, input: { phone: string }) => readPhoneView(storage, input.phone);

  return {
    registerPhoneNumber: adminCommand(kit, {
      schema: registerPhoneNumberSchema,
      what: 'phone number',
      permission: 'phones.manage',
      async run({ uow, input: p, actor }) {
        requireWithinOwn(actor.principal, p.permissions);
        if (await uow.load(PHONE_PRINCIPAL_KIND, p.phone)) {
          throw accountErrors.raise('PHONE_ALREADY_REGISTERED', {}, 'That phone number is already registered.');
        }
        const record: PhonePrincipalRecord = {
          phone: p.phone,
          organizationId: actor.organizationId,
          permissions: p.permissions,
          label: p.label ?? null,
          createdAt: uow.now,
          updatedAt: uow.now,
        };
        writePhonePrincipal(uow, record, true);
        recordPhoneHistory(uow, p.phone, 'phone.registered', actorOf(p.auth), {
          organizationId: actor.organizationId,
          permissions: p.permissions,
        });
      },
      answer,
    }),

    setPhonePermissions: adminCommand(kit, {
      schema: setPhonePermissionsSchema,
      what: 'phone permission change',
      permission: 'phones.manage',
      async run({ uow, input: p, actor }) {
        const record = await uow.load(PHONE_PRINCIPAL_KIND, p.phone);
        const stored = record?.state as unknown as PhonePrincipalRecord | undefined;
        // Another organisation's number reads as unregistered: no one learns it exists.
        if (!stored || stored.organizationId !== actor.organizationId)
          throw accountErrors.raise('PHONE_NOT_FOUND', {}, 'That phone number is not registered in your organisation.');
        requireOutranks(actor, phonePrincipal(stored), 'change the permissions of');
        const changed = changedPermissions(stored.permissions, p.permissions);
        requireWithinOwn(actor.principal, changed);
        if (changed.length === 0) return;
        writePhonePrincipal(uow, { ...stored, permissions: p.permissions, updatedAt: uow.now });
        recordPhoneHistory(uow, p.phone, 'phone.permissions_changed', actorOf(p.auth), {
          from: stored.permissions,
          to: p.permissions,
        });
      },
      answer,
    }),
  };
}
