import type { CoreDeps } from '../engine/deps.js';
import { parseInput } from '../engine/validate.js';
import type { AccountService } from './account-service.js';
import { createAccountRepository, type AccountRepository } from './account-repository.js';
import { createBusinessUserCommands } from './business-users.js';
import { createAccountKit, type AccountServiceOptions } from './context.js';
import { readAccountView, readOrganizationView, readPhoneView } from './lookups.js';
import { createOrganizationCommands } from './organization-commands.js';
import { createPasswordRecoveryCommands } from './password-recovery.js';
import { hungarianMobileSchema } from './phone.js';
import { createPhoneNumberCommands } from './phone-numbers.js';
import { createRegistrationCommands } from './registration.js';
import { idSchema } from './schemas.js';
import { ACCOUNT_KIND, ORGANIZATION_KIND, PHONE_PRINCIPAL_KIND } from './store.js';

/**
 * Builds the account service behind `desk.accounts` (see {@link AccountService}) and the
 * account gateway (`repository`) the login and recovery modules use. No `onDue` handler: every
 * lifetime (links, codes, temporary passwords) is checked at the moment of use, so nothing has
 * to fire on time. Internal: hosts get the service from `createHelpdesk`.
 */
export function createAccountService(
  deps: CoreDeps,
  options: AccountServiceOptions,
): { service: AccountService; repository: AccountRepository } {
  const kit = createAccountKit(deps, options);
  const { storage } = deps;
  const accountId = (value: string) => parseInput(idSchema, value, 'account id');
  const organizationId = (value: string) => parseInput(idSchema, value, 'organisation id');
  const phone = (value: string) => parseInput(hungarianMobileSchema, value, 'phone number');

  const service: AccountService = {
    ...createRegistrationCommands(kit),
    ...createPasswordRecoveryCommands(kit),
    ...createOrganizationCommands(kit),
    ...createBusinessUserCommands(kit),
    ...createPhoneNumberCommands(kit),

    async getAccount(id) {
      kit.configured();
      return readAccountView(storage, accountId(id));
    },
    async getOrganization(id) {
      kit.configured();
      return readOrganizationView(storage, organizationId(id));
    },
    async getPhoneNumber(number) {
      kit.configured();
      return readPhoneView(storage, phone(number));
    },
    // A history read first proves the record exists, so an unknown id is NOT_FOUND, not [].
    async accountHistory(id) {
      kit.configured();
      const view = await readAccountView(storage, accountId(id));
      return storage.history(ACCOUNT_KIND, view.id);
    },
    async organizationHistory(id) {
      kit.configured();
      const view = await readOrganizationView(storage, organizationId(id));
      return storage.history(ORGANIZATION_KIND, view.id);
    },
    async phoneHistory(number) {
      kit.configured();
      const view = await readPhoneView(storage, phone(number));
      return storage.history(PHONE_PRINCIPAL_KIND, view.phone);
    },
  };

  return { service, repository: createAccountRepository(kit) };
}

// Kept so `import { createAccountService, type AccountService } from './accounts/service.js'` compiles.
export type { AccountService } from './account-service.js';
export type { AccountServiceOptions };
