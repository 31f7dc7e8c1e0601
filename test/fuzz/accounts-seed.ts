/**
 * The seeded desk the accounts and login fuzzers start from: an organisation whose main
 * administrator has done the first login, a business user halfway through his, a registered
 * phone number, personal accounts (active with a phone, active without, pending activation),
 * outstanding reset secrets, and a login flow in every state a few calls reach.
 *
 * Passwords are hashed by PBKDF2 at 1,000 iterations instead of 600,000: seeding runs once per
 * file, but an accepted fuzzed password (register, submitPassword, changePassword, resetPassword)
 * is hashed or verified on every run.
 */
import type { AuthContext } from '../../src/accounts/principal.js';
import { ACCOUNT_RECORD_KINDS } from '../../src/accounts/store.js';
import { SECURITY_RECORD_KINDS } from '../../src/security/index.js';
import type { Helpdesk, HelpdeskOptions } from '../../src/helpdesk.js';
import { LOGIN_RECORD_KINDS } from '../../src/login/service.js';
import type { LoginFlowView } from '../../src/login/types.js';
import { createPbkdf2Hasher } from '../../src/security/index.js';
import { ManualClock } from '../../src/testing/manual-clock.js';

export const ADMIN_PHONE = '+36305550101';
export const BOB_PHONE = '+36305550102';
export const ALICE_PHONE = '+36305550103';
export const DESK_PHONE = '+36301234567';
export const ADMIN_PASSWORD = 'admin chosen passphrase';
export const ALICE_PASSWORD = 'alice long passphrase';
export const DAVE_PASSWORD = 'dave long passphrase';

const hasher = createPbkdf2Hasher({ iterations: 1000 });

export const accountDeskOptions = (): Omit<HelpdeskOptions, 'storage' | 'ids'> => ({
  clock: new ManualClock('2026-03-02T09:00:00Z'),
  secrets: { pepper: 'fuzz-pepper-of-at-least-32-bytes!' },
  passwordHasher: hasher,
  sessionRevoker: { revokeSessions: () => undefined },
});

/** Every record kind accounts and login write, read back after each refused call. */
export const accountKinds: readonly string[] = [
  ...ACCOUNT_RECORD_KINDS,
  ...SECURITY_RECORD_KINDS,
  ...LOGIN_RECORD_KINDS,
];

export interface AccountSeed {
  organizationId: string;
  adminAuth: AuthContext;
  bobLogin: string;
  alice: { id: string; username: string; email: string };
  /** A pending account's unused activation token. */
  carolToken: string;
  /** Alice's unused password-reset link token. */
  aliceResetToken: string;
  /** Dave's unused password-reset code (by mail). */
  daveResetCode: string;
  flows: {
    /** `awaiting_identifier`. */
    identifier: string;
    /** `awaiting_password` (alice). */
    password: string;
    /** `awaiting_code` (alice), with its code. */
    code: string;
    codeSent: string;
    /** `awaiting_code` after a phone-number login of DESK_PHONE. */
    phone: string;
    /** `awaiting_new_password` (bob, temporary password and code done). */
    newPassword: string;
    /** `authenticated` (the main administrator's first login). */
    authenticated: string;
  };
}

/** The text of the newest message to `to` in the outbox (the seed never dispatches it). */
export async function lastText(desk: Helpdesk, to: string, pattern: RegExp): Promise<string> {
  const messages = await desk.outbox({ limit: 100_000 });
  const texts = messages
    .map((m) => m.payload as { to?: string; text?: string })
    .filter((p) => p.to === to)
    .map((p) => p.text ?? '');
  const found = pattern.exec(texts[texts.length - 1] ?? '')?.[1];
  if (!found) throw new Error(`seed: no message to ${to} matching ${String(pattern)}`);
  return found;
}

const CODE = /\b(\d{6})\b/;
const TOKEN = /token=([A-Za-z0-9_%-]+)/;

function expectState(view: LoginFlowView, state: LoginFlowView['state']): LoginFlowView {
  if (view.state !== state) throw new Error(`seed: expected ${state}, got ${view.state} (${view.error?.code})`);
  return view;
}

export async function seedAccounts(desk: Helpdesk): Promise<AccountSeed> {
  const { accounts, login } = desk;

  // The organisation and its main administrator's first login (temporary password, code, new password).
  const { organization } = await accounts.createOrganization({
    slug: 'acme',
    name: 'Acme Kft.',
    admin: { email: 'boss@acme.example', phone: ADMIN_PHONE, displayName: 'Boss' },
  });
  const adminTemporary = await lastText(desk, 'boss@acme.example', /Temporary password: (\S+)/);
  const admin = await login.start();
  await login.submitIdentifier({ flowId: admin.flowId, identifier: 'admin@acme' });
  expectState(await login.submitPassword({ flowId: admin.flowId, password: adminTemporary }), 'awaiting_code');
  await login.submitCode({ flowId: admin.flowId, code: await lastText(desk, ADMIN_PHONE, CODE) });
  const done = expectState(
    await login.changePassword({ flowId: admin.flowId, newPassword: ADMIN_PASSWORD }),
    'authenticated',
  );
  const adminAuth = done.result!.auth;

  // A business user with a phone, and a registered phone number.
  const bob = await accounts.createBusinessUser({
    auth: adminAuth,
    username: 'bob',
    email: 'bob@acme.example',
    phone: BOB_PHONE,
    permissions: ['tickets.read'],
  });
  await accounts.registerPhoneNumber({ auth: adminAuth, phone: DESK_PHONE, permissions: ['tickets.read'] });

  // Personal accounts: alice (active, phone), dave (active, no phone), carol (pending).
  await accounts.register({
    username: 'alice',
    email: 'alice@example.test',
    password: ALICE_PASSWORD,
    displayName: 'Alice',
    phone: ALICE_PHONE,
  });
  const activated = await accounts.activate({
    token: decodeURIComponent(await lastText(desk, 'alice@example.test', TOKEN)),
  });
  if (!activated.ok) throw new Error(`seed: alice not activated (${activated.code})`);
  await accounts.register({
    username: 'dave',
    email: 'dave@example.test',
    password: DAVE_PASSWORD,
    displayName: 'Dave',
  });
  await accounts.activate({ token: decodeURIComponent(await lastText(desk, 'dave@example.test', TOKEN)) });
  await accounts.register({
    username: 'carol',
    email: 'carol@example.test',
    password: 'carol long passphrase',
    displayName: 'Carol',
  });
  const carolToken = decodeURIComponent(await lastText(desk, 'carol@example.test', TOKEN));

  // Outstanding reset secrets: a link for alice, a code by mail for dave.
  await accounts.requestPasswordReset({ identifier: 'alice', channel: 'email' });
  const aliceResetToken = decodeURIComponent(await lastText(desk, 'alice@example.test', TOKEN));
  await accounts.requestPasswordReset({ identifier: 'dave', channel: 'email', method: 'code' });
  const daveResetCode = await lastText(desk, 'dave@example.test', CODE);

  // Login flows in each state a few calls reach.
  const identifier = (await login.start()).flowId;
  const password = (await login.start()).flowId;
  expectState(await login.submitIdentifier({ flowId: password, identifier: 'alice' }), 'awaiting_password');
  const code = (await login.start()).flowId;
  await login.submitIdentifier({ flowId: code, identifier: 'alice' });
  expectState(await login.submitPassword({ flowId: code, password: ALICE_PASSWORD }), 'awaiting_code');
  const codeSent = await lastText(desk, ALICE_PHONE, CODE);
  const phone = expectState(await login.startPhoneLogin({ number: DESK_PHONE }), 'awaiting_code').flowId;
  const bobTemporary = await lastText(desk, 'bob@acme.example', /Temporary password: (\S+)/);
  const newPassword = (await login.start()).flowId;
  await login.submitIdentifier({ flowId: newPassword, identifier: 'bob@acme' });
  expectState(await login.submitPassword({ flowId: newPassword, password: bobTemporary }), 'awaiting_code');
  expectState(
    await login.submitCode({ flowId: newPassword, code: await lastText(desk, BOB_PHONE, CODE) }),
    'awaiting_new_password',
  );

  return {
    organizationId: organization.id,
    adminAuth,
    bobLogin: bob.login,
    alice: { id: activated.accountId, username: 'alice', email: 'alice@example.test' },
    carolToken,
    aliceResetToken,
    daveResetCode,
    flows: { identifier, password, code, codeSent, phone, newPassword, authenticated: admin.flowId },
  };
}
