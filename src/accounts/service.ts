import type { CoreDeps } from '../engine/deps.js';
import type { HistoryEntry } from '../ports/history-store.js';
import { parseInput } from '../engine/validate.js';
import { createAccountKit, type AccountServiceOptions } from './context.js';
import { createAccountRepository, type AccountRepository } from './account-repository.js';
import { createOrganizationCommands } from './organizations.js';
import { hungarianMobileSchema } from './phone.js';
import { idSchema } from './schemas.js';
import { createSelfService } from './self-service.js';
import { ACCOUNT_KIND, ORGANIZATION_KIND, PHONE_PRINCIPAL_KIND } from './store.js';

/**
 * The account service behind `desk.accounts`: registration and activation, password and
 * username recovery, organisations, business users, permissions and phone principals.
 * Returns `{ service, repository }`: `repository` is the gateway the login and recovery modules use.
 * No `onDue` handler: every lifetime (links, codes, temporary passwords) is checked at the
 * moment of use, so nothing has to fire on time.
 */
export function createAccountService(
  deps: CoreDeps,
  options: AccountServiceOptions,
): { service: AccountService; repository: AccountRepository } {
  const kit = createAccountKit(deps, options);
  const self = createSelfService(kit);
  const orgs = createOrganizationCommands(kit, self);

  const service = {
    register: self.register,
    activate: self.activate,
    resendActivation: self.resendActivation,
    requestPasswordReset: self.requestPasswordReset,
    resetPassword: self.resetPassword,
    requestUsernameReminder: self.requestUsernameReminder,
    createOrganization: orgs.createOrganization,
    createBusinessUser: orgs.createBusinessUser,
    setPermissions: orgs.setPermissions,
    setUserStatus: orgs.setUserStatus,
    reissueTemporaryPassword: orgs.reissueTemporaryPassword,
    setOrganizationSettings: orgs.setOrganizationSettings,
    registerPhoneNumber: orgs.registerPhoneNumber,
    setPhonePermissions: orgs.setPhonePermissions,

    /** The account (no hashes), or ACCOUNT_NOT_FOUND. */
    async getAccount(accountId: string) {
      kit.configured();
      return orgs.accountViewById(parseInput(idSchema, accountId, 'account id'));
    },
    /** The organisation with its settings, or ORGANIZATION_NOT_FOUND. */
    async getOrganization(organizationId: string) {
      kit.configured();
      return orgs.organizationViewById(parseInput(idSchema, organizationId, 'organisation id'));
    },
    /** A registered number (any accepted format) with its grant, or PHONE_NOT_FOUND. */
    async getPhoneNumber(phone: string) {
      kit.configured();
      return orgs.phoneView(parseInput(hungarianMobileSchema, phone, 'phone number'));
    },
    /** The account's history: registration, activation, resets, permission changes. Never a secret. */
    async accountHistory(accountId: string): Promise<HistoryEntry[]> {
      kit.configured();
      const id = parseInput(idSchema, accountId, 'account id');
      await orgs.accountViewById(id);
      return deps.storage.history(ACCOUNT_KIND, id);
    },
    /** The organisation's audit trail (creation, users, setting changes). */
    async organizationHistory(organizationId: string): Promise<HistoryEntry[]> {
      kit.configured();
      const id = parseInput(idSchema, organizationId, 'organisation id');
      await orgs.organizationViewById(id);
      return deps.storage.history(ORGANIZATION_KIND, id);
    },
    /** A number's history. */
    async phoneHistory(phone: string): Promise<HistoryEntry[]> {
      kit.configured();
      const e164 = parseInput(hungarianMobileSchema, phone, 'phone number');
      await orgs.phoneView(e164);
      return deps.storage.history(PHONE_PRINCIPAL_KIND, e164);
    },
  };

  return { service, repository: createAccountRepository(kit) };
}

type Self = ReturnType<typeof createSelfService>;
type Orgs = ReturnType<typeof createOrganizationCommands>;

/** The account service behind `desk.accounts`. */
export interface AccountService {
  register: Self['register'];
  activate: Self['activate'];
  resendActivation: Self['resendActivation'];
  requestPasswordReset: Self['requestPasswordReset'];
  resetPassword: Self['resetPassword'];
  requestUsernameReminder: Self['requestUsernameReminder'];
  createOrganization: Orgs['createOrganization'];
  createBusinessUser: Orgs['createBusinessUser'];
  setPermissions: Orgs['setPermissions'];
  setUserStatus: Orgs['setUserStatus'];
  reissueTemporaryPassword: Orgs['reissueTemporaryPassword'];
  setOrganizationSettings: Orgs['setOrganizationSettings'];
  registerPhoneNumber: Orgs['registerPhoneNumber'];
  setPhonePermissions: Orgs['setPhonePermissions'];
  getAccount: Orgs['accountViewById'];
  getOrganization: Orgs['organizationViewById'];
  getPhoneNumber: Orgs['phoneView'];
  accountHistory(accountId: string): Promise<HistoryEntry[]>;
  organizationHistory(organizationId: string): Promise<HistoryEntry[]>;
  phoneHistory(phone: string): Promise<HistoryEntry[]>;
}

export type { AccountServiceOptions };
