/**
 * Fuzzing every public command of `desk.accounts` (the harness, its properties and FUZZ_RUNS are
 * described in `harness.ts`; the seeded desk in `accounts-seed.ts`). Values such as
 * `{ accepted: true }` for a nonsense-but-well-formed request, or `{ ok: false, code }` for a
 * wrong token, are answers, not failures: only thrown errors must be HelpdeskErrors that wrote
 * nothing. The admin commands take the main administrator's real AuthContext, so near-valid
 * mutations of it (another account id, a phone principal, no `sms` in `amr`, ...) reach the
 * permission checks.
 */
import { accountDeskOptions, accountKinds, DESK_PHONE, seedAccounts, type AccountSeed } from './accounts-seed.js';
import { fuzzCommands, type FuzzTarget } from './harness.js';

const targets: FuzzTarget<AccountSeed>[] = [
  {
    name: 'desk.accounts.register',
    valid: () => ({
      username: 'erin',
      email: 'erin@example.test',
      password: 'erin long passphrase',
      displayName: 'Erin',
      phone: '30 555 0199',
      locale: 'hu',
    }),
    call: (desk, arg) => desk.accounts.register(arg as never),
  },
  {
    name: 'desk.accounts.activate',
    valid: (s) => ({ token: s.carolToken }),
    call: (desk, arg) => desk.accounts.activate(arg as never),
  },
  {
    name: 'desk.accounts.resendActivation',
    valid: () => ({ identifier: 'carol' }),
    call: (desk, arg) => desk.accounts.resendActivation(arg as never),
  },
  {
    name: 'desk.accounts.requestPasswordReset',
    valid: () => ({ identifier: 'alice', channel: 'sms', method: 'code' }),
    call: (desk, arg) => desk.accounts.requestPasswordReset(arg as never),
  },
  {
    name: 'desk.accounts.resetPassword (link)',
    valid: (s) => ({ token: s.aliceResetToken, newPassword: 'alice brand new passphrase' }),
    call: (desk, arg) => desk.accounts.resetPassword(arg as never),
  },
  {
    name: 'desk.accounts.resetPassword (code)',
    valid: (s) => ({ identifier: 'dave', code: s.daveResetCode, newPassword: 'dave brand new passphrase' }),
    call: (desk, arg) => desk.accounts.resetPassword(arg as never),
  },
  {
    name: 'desk.accounts.requestUsernameReminder',
    valid: (s) => ({ email: s.alice.email }),
    call: (desk, arg) => desk.accounts.requestUsernameReminder(arg as never),
  },
  {
    name: 'desk.accounts.createOrganization',
    valid: () => ({
      slug: 'globex',
      name: 'Globex Zrt.',
      admin: { email: 'ceo@globex.example', phone: '+36 20 555 0103', displayName: 'CEO', locale: 'hu' },
    }),
    call: (desk, arg) => desk.accounts.createOrganization(arg as never),
  },
  {
    name: 'desk.accounts.createBusinessUser',
    valid: (s) => ({
      auth: s.adminAuth,
      username: 'frank',
      email: 'frank@acme.example',
      phone: '06 30 555 0104',
      displayName: 'Frank',
      locale: 'en',
      permissions: ['tickets.read', 'tickets.create'],
    }),
    call: (desk, arg) => desk.accounts.createBusinessUser(arg as never),
  },
  {
    name: 'desk.accounts.setPermissions',
    valid: (s) => ({ auth: s.adminAuth, login: s.bobLogin, permissions: ['tickets.read', 'billing.read'] }),
    call: (desk, arg) => desk.accounts.setPermissions(arg as never),
  },
  {
    name: 'desk.accounts.setUserStatus',
    valid: (s) => ({ auth: s.adminAuth, login: s.bobLogin, status: 'disabled' }),
    call: (desk, arg) => desk.accounts.setUserStatus(arg as never),
  },
  {
    name: 'desk.accounts.reissueTemporaryPassword',
    valid: (s) => ({ auth: s.adminAuth, login: s.bobLogin }),
    call: (desk, arg) => desk.accounts.reissueTemporaryPassword(arg as never),
  },
  {
    name: 'desk.accounts.setOrganizationSettings',
    valid: (s) => ({ auth: s.adminAuth, settings: { smsCodeForLogin: false } }),
    call: (desk, arg) => desk.accounts.setOrganizationSettings(arg as never),
  },
  {
    name: 'desk.accounts.registerPhoneNumber',
    valid: (s) => ({ auth: s.adminAuth, phone: '+36 70 555 0105', permissions: ['tickets.read'], label: 'Warehouse' }),
    call: (desk, arg) => desk.accounts.registerPhoneNumber(arg as never),
  },
  {
    name: 'desk.accounts.setPhonePermissions',
    valid: (s) => ({ auth: s.adminAuth, phone: DESK_PHONE, permissions: ['tickets.read', 'billing.read'] }),
    call: (desk, arg) => desk.accounts.setPhonePermissions(arg as never),
  },
  {
    name: 'desk.accounts.getAccount',
    valid: (s) => s.alice.id,
    call: (desk, arg) => desk.accounts.getAccount(arg as never),
  },
  {
    name: 'desk.accounts.getOrganization',
    valid: (s) => s.organizationId,
    call: (desk, arg) => desk.accounts.getOrganization(arg as never),
  },
  {
    name: 'desk.accounts.getPhoneNumber',
    valid: () => DESK_PHONE,
    call: (desk, arg) => desk.accounts.getPhoneNumber(arg as never),
  },
  {
    name: 'desk.accounts.accountHistory',
    valid: (s) => s.alice.id,
    call: (desk, arg) => desk.accounts.accountHistory(arg as never),
  },
  {
    name: 'desk.accounts.organizationHistory',
    valid: (s) => s.organizationId,
    call: (desk, arg) => desk.accounts.organizationHistory(arg as never),
  },
  {
    name: 'desk.accounts.phoneHistory',
    valid: () => DESK_PHONE,
    call: (desk, arg) => desk.accounts.phoneHistory(arg as never),
  },
];

fuzzCommands<AccountSeed>('fuzzing the public commands of desk.accounts', {
  options: accountDeskOptions,
  seed: seedAccounts,
  kinds: accountKinds,
  targets,
});
