import type { Permission } from '../../src/accounts/permissions.js';
import type { AuthContext } from '../../src/accounts/principal.js';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { isHelpdeskError } from '../../src/errors.js';
import type { HelpdeskOptions } from '../../src/helpdesk.js';
import type { LoginFlowView, LoginResult } from '../../src/login/index.js';
import type { LoginLimits } from '../../src/login/login-machine.js';
import { defaultLoginPolicy } from '../../src/login/policy.js';
import type { Commit, Storage } from '../../src/ports/storage.js';
import { createPbkdf2Hasher } from '../../src/security/index.js';
import { makeDesk } from '../helpers.js';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

export const fastHasher = createPbkdf2Hasher({ iterations: 1000 });

/** E.164 numbers used in the tests. */
export const ADMIN_PHONE = '+36305550101';
export const BOB_PHONE = '+36305550102';
export const DESK_PHONE = '+36301234567';

export function makeLoginDesk(options: Partial<HelpdeskOptions> = {}) {
  return makeDesk({ passwordHasher: fastHasher, ...options });
}

export type LoginHarness = ReturnType<typeof makeLoginDesk>;

export async function lastSmsCode(h: LoginHarness, to: string): Promise<string> {
  await h.desk.dispatchOutbox();
  const list = h.sms.to(to);
  const text = list[list.length - 1]?.text;
  const code = text ? /\b(\d{6})\b/.exec(text)?.[1] : undefined;
  if (!code) throw new Error(`no code SMS to ${to}`);
  return code;
}

/** The token of the latest password-reset link mailed to `email`, after asking a reset of `identifier` by email. */
export async function resetLinkTo(h: LoginHarness, email: string, identifier = 'alice'): Promise<string> {
  await h.desk.accounts.requestPasswordReset({ identifier, channel: 'email' });
  await h.desk.dispatchOutbox();
  const text = h.mailer
    .to(email)
    .map((m) => m.text)
    .reverse()
    .find((t) => t.includes('reset-password?token='))!;
  return /token=([A-Za-z0-9_-]+)/.exec(text)![1]!;
}

export async function lastTemporaryPassword(h: LoginHarness, to: string): Promise<string> {
  await h.desk.dispatchOutbox();
  const list = h.mailer.to(to);
  const text = list[list.length - 1]?.text ?? '';
  const match = /Temporary password: (\S+)/.exec(text);
  if (!match?.[1]) throw new Error(`no temporary password to ${to}`);
  return match[1];
}

export function resultOf(view: LoginFlowView): LoginResult {
  if (!view.result)
    throw new Error(`expected a completed login, got ${view.state} (${view.error?.code ?? 'no error'})`);
  return view.result;
}

/** A code that is certainly not `code`. */
export const otherCode = (code: string) => (code === '000000' ? '111111' : '000000');

/** identifier → password: the view after the password step. */
export async function toPassword(h: LoginHarness, identifier: string, password: string): Promise<LoginFlowView> {
  const { flowId } = await h.desk.login.start();
  await h.desk.login.submitIdentifier({ flowId, identifier });
  return h.desk.login.submitPassword({ flowId, password });
}

/** A full login with password and SMS code. */
export async function loginWithCode(h: LoginHarness, identifier: string, password: string, phone: string) {
  const afterPassword = await toPassword(h, identifier, password);
  if (afterPassword.state !== 'awaiting_code') throw new Error(`expected the code step, got ${afterPassword.state}`);
  const code = await lastSmsCode(h, phone);
  return resultOf(await h.desk.login.submitCode({ flowId: afterPassword.flowId, code }));
}

export const ADMIN_PASSWORD = 'admin chosen passphrase';
export const BOB_PASSWORD = 'bob chosen passphrase';

/**
 * Organisation `acme` whose main administrator has done the first login (temporary password,
 * SMS code, new password), plus `bob@acme` (phone, temporary password still unused).
 */
export async function makeAcme(h: LoginHarness, bobPermissions: Permission[] = ['tickets.read']) {
  const { organization, admin } = await h.desk.accounts.createOrganization({
    slug: 'acme',
    name: 'Acme Kft.',
    admin: { email: 'boss@acme.example', phone: ADMIN_PHONE, displayName: 'Boss' },
  });
  const temporary = await lastTemporaryPassword(h, 'boss@acme.example');
  const view = await toPassword(h, 'admin@acme', temporary);
  const code = await lastSmsCode(h, ADMIN_PHONE);
  const coded = await h.desk.login.submitCode({ flowId: view.flowId, code });
  const done = await h.desk.login.changePassword({ flowId: coded.flowId, newPassword: ADMIN_PASSWORD });
  const adminAuth: AuthContext = resultOf(done).auth;
  const bob = await h.desk.accounts.createBusinessUser({
    auth: adminAuth,
    username: 'bob',
    email: 'bob@acme.example',
    phone: BOB_PHONE,
    permissions: bobPermissions,
  });
  const bobTemporary = await lastTemporaryPassword(h, 'bob@acme.example');
  return { organization, admin, adminAuth, bob, bobTemporary };
}

/** `bob@acme` after his first login, with {@link BOB_PASSWORD}. */
export async function makeAcmeWithBob(h: LoginHarness, bobPermissions: Permission[] = ['tickets.read']) {
  const acme = await makeAcme(h, bobPermissions);
  const view = await toPassword(h, 'bob@acme', acme.bobTemporary);
  const code = await lastSmsCode(h, BOB_PHONE);
  await h.desk.login.submitCode({ flowId: view.flowId, code });
  resultOf(await h.desk.login.changePassword({ flowId: view.flowId, newPassword: BOB_PASSWORD }));
  return acme;
}

/** Registers and activates a personal account. */
export async function makePersonal(h: LoginHarness, options: { username?: string; phone?: string } = {}) {
  const username = options.username ?? 'alice';
  const email = `${username}@example.com`;
  await h.desk.accounts.register({
    username,
    email,
    password: 'alice long passphrase',
    displayName: 'Alice',
    ...(options.phone ? { phone: options.phone } : {}),
  });
  await h.desk.dispatchOutbox();
  const mails = h.mailer.to(email);
  const token = /token=([A-Za-z0-9_-]+)/.exec(mails[mails.length - 1]?.text ?? '')?.[1];
  if (!token) throw new Error('no activation mail');
  return { username, email, password: 'alice long passphrase', token };
}

/** The login machine's limits under the default login policy. */
export const loginLimits: LoginLimits = {
  flowTtl: defaultLoginPolicy.flowTtl,
  codeTtl: defaultLoginPolicy.codeTtl,
  maxCodeAttempts: defaultLoginPolicy.maxCodeAttempts,
  maxResends: defaultLoginPolicy.maxResends,
  resendCooldown: defaultLoginPolicy.resendCooldown,
};

/**
 * A storage whose commits can be held back: `hold(predicate)` makes the first commit that
 * matches wait until the returned `release()` is called; `refuse(predicate)` makes every
 * matching commit lose its guard (as if another writer always got there first).
 */
export function controllableStorage() {
  const inner = createMemoryStorage();
  let held: { predicate: (c: Commit) => boolean; gate: Promise<void>; reached: () => void } | null = null;
  let refused: ((c: Commit) => boolean) | null = null;
  const storage = new Proxy(inner, {
    get(target, key) {
      if (key === 'commit') {
        return async (commit: Commit) => {
          if (refused?.(commit)) return null;
          if (held?.predicate(commit)) {
            const { gate, reached } = held;
            held = null;
            reached();
            await gate;
          }
          return target.commit(commit);
        };
      }
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as Storage;
  return {
    storage,
    /** Holds the first matching commit; `reached` resolves once it is waiting. */
    hold(predicate: (c: Commit) => boolean) {
      let release!: () => void;
      let reached!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const waiting = new Promise<void>((resolve) => (reached = resolve));
      held = { predicate, gate, reached };
      return { release, reached: waiting };
    },
    refuse(predicate: ((c: Commit) => boolean) | null) {
      refused = predicate;
    },
  };
}

/** Matches a commit that records step `type` of login flow `flowId`. */
export const stepOf = (flowId: string, type: string) => (c: Commit) =>
  c.history.some((e) => e.kind === 'login_flow' && e.id === flowId && e.type === type);

/** The code of a HelpdeskError thrown by `run`, or 'none'. */
export async function errorCode(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'none';
  } catch (error) {
    if (isHelpdeskError(error)) return error.code;
    throw error;
  }
}
