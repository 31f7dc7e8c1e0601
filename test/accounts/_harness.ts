import { defaultSendingBudget } from '../../src/engine/sending-budget.js';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { createAccountService, type AccountServiceOptions } from '../../src/accounts/service.js';
import type { AuthContext } from '../../src/accounts/principal.js';
import { withStoredSession } from '../sessions/stored-session.js';
import type { AccountView } from '../../src/accounts/views.js';
import { accountPrincipal, findAccountById, ACCOUNT_RECORD_KINDS } from '../../src/accounts/store.js';
import { SECURITY_RECORD_KINDS } from '../../src/security/index.js';
import { dispatchOutbox } from '../../src/engine/dispatcher.js';
import { createIdGenerator } from '../../src/engine/ids.js';
import { webCryptoRandom } from '../../src/ports/random-source.js';
import type { Storage } from '../../src/ports/storage.js';
import { createPbkdf2Hasher } from '../../src/security/index.js';
import { CapturingMailer, CapturingSms, ManualClock } from '../../src/testing/index.js';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

/** One fast hasher for every test (1,000 iterations instead of 600,000). */
export const fastHasher = createPbkdf2Hasher({ iterations: 1000 });

export const PEPPER = 'test-pepper-accounts-32-bytes-long';

export function makeAccounts(options: Partial<AccountServiceOptions> = {}) {
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const storage = createMemoryStorage();
  const mailer = new CapturingMailer();
  const sms = new CapturingSms();
  const revoked: Array<{ accountId: string; reason: string }> = [];
  const deps = {
    storage,
    clock,
    ids: createIdGenerator(clock, webCryptoRandom),
    random: webCryptoRandom,
    locale: 'en' as const,
    sending: defaultSendingBudget,
  };
  const { service, repository: internal } = createAccountService(deps, {
    pepper: PEPPER,
    hasher: fastHasher,
    sessionRevoker: { revokeSessions: (accountId, reason) => void revoked.push({ accountId, reason }) },
    ...options,
  });
  const deliver = () => dispatchOutbox(storage, () => clock.now(), { email: mailer, sms });
  return { accounts: service, internal, clock, storage, mailer, sms, revoked, deliver, deps };
}

export type Harness = ReturnType<typeof makeAccounts>;

/** The last mail to `to`, after delivering the outbox. */
export async function lastMail(h: Harness, to: string) {
  await h.deliver();
  const mails = h.mailer.to(to);
  const mail = mails[mails.length - 1];
  if (!mail) throw new Error(`no mail to ${to}`);
  return mail;
}

export async function lastSms(h: Harness, to: string) {
  await h.deliver();
  const list = h.sms.to(to);
  const message = list[list.length - 1];
  if (!message) throw new Error(`no SMS to ${to}`);
  return message;
}

export function tokenFrom(text: string): string {
  const match = /token=([A-Za-z0-9_-]+)/.exec(text);
  if (!match?.[1]) throw new Error(`no token in: ${text}`);
  return match[1];
}

export function codeFrom(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match?.[1]) throw new Error(`no code in: ${text}`);
  return match[1];
}

export function temporaryPasswordFrom(text: string): string {
  const match = /Temporary password: (\S+)/.exec(text);
  if (!match?.[1]) throw new Error(`no temporary password in: ${text}`);
  return match[1];
}

export const alice = {
  username: 'alice',
  email: 'alice@example.com',
  password: 'correct horse battery',
  displayName: 'Alice Example',
  phone: '+36 30 123 4567',
};

/** Registers and activates alice; returns her account id. */
export async function registerActive(h: Harness, input = alice): Promise<string> {
  await h.accounts.register(input);
  const token = tokenFrom((await lastMail(h, input.email)).text);
  const result = await h.accounts.activate({ token });
  if (!result.ok) throw new Error(`activation failed: ${result.code}`);
  return result.accountId;
}

/** An AuthContext as the login module would build it for an account. */
export async function authFor(
  h: Harness,
  accountId: string,
  amr: AuthContext['amr'] = ['password', 'sms'],
  authenticatedAt?: number,
): Promise<AuthContext> {
  const found = await findAccountById(h.storage, accountId);
  if (!found) throw new Error('no account');
  // Step-up reads the stored session, so the hand-built context gets the session it would come from.
  const auth = { principal: accountPrincipal(found.value), amr, authenticatedAt: authenticatedAt ?? h.clock.now() };
  return withStoredSession(h.storage, h.clock, auth);
}

export async function makeOrganization(h: Harness, slug = 'acme') {
  const created = await h.accounts.createOrganization({
    slug,
    name: 'Acme Ltd',
    admin: { email: `boss@${slug}.example`, phone: '06-30/555-0101', displayName: 'Boss' },
  });
  const adminAuth = await authFor(h, created.admin.id);
  return { ...created, adminAuth };
}

export async function createUser(
  h: Harness,
  adminAuth: AuthContext,
  username: string,
  permissions: AccountView['permissions'],
) {
  return h.accounts.createBusinessUser({ auth: adminAuth, username, email: `${username}@acme.example`, permissions });
}

/** Everything the store holds: records of every account kind, their history, and the outbox. */
export async function dumpStorage(storage: Storage) {
  const records = [];
  const history = [];
  for (const kind of [...ACCOUNT_RECORD_KINDS, ...SECURITY_RECORD_KINDS]) {
    for (const record of await storage.list(kind, { where: {}, limit: 10_000 })) {
      records.push(record);
      history.push(...(await storage.history(kind, record.id)));
    }
  }
  const outbox = await storage.listOutbox({ limit: 10_000 });
  return { records, history, outbox };
}
