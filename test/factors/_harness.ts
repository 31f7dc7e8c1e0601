import type { HelpdeskOptions } from '../../src/helpdesk.js';
import type { AuthContext } from '../../src/accounts/principal.js';
import { decodeBase32 } from '../../src/factors/base32.js';
import { totpAt } from '../../src/factors/totp.js';
import {
  errorCode,
  lastSmsCode,
  makeAcmeWithBob,
  makeLoginDesk,
  makePersonal,
  resultOf,
  toPassword,
  BOB_PASSWORD,
  BOB_PHONE,
  type LoginHarness,
} from '../login/_harness.js';

export { errorCode };

/** A host key for sealing TOTP secrets (base64 of 32 bytes). */
export const ENCRYPTION_KEY = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % 256)));

export const ALICE_PHONE = '+36305550111';

/** A login desk with a host encryption key, as TOTP enrolment needs. */
export function makeFactorDesk(options: Partial<HelpdeskOptions> = {}): LoginHarness {
  return makeLoginDesk({
    secrets: { pepper: 'test-pepper-of-at-least-32-bytes!', encryptionKey: ENCRYPTION_KEY },
    ...options,
  });
}

/** Active personal account `alice` with a phone, signed in with password and SMS code just now. */
export async function signedInAlice(h: LoginHarness) {
  const alice = await makePersonal(h, { username: 'alice', phone: ALICE_PHONE });
  await h.desk.accounts.activate({ token: alice.token });
  const view = await toPassword(h, 'alice', alice.password);
  const code = await lastSmsCode(h, ALICE_PHONE);
  const result = resultOf(await h.desk.login.submitCode({ flowId: view.flowId, code }));
  return {
    ...alice,
    auth: result.auth as AuthContext,
    accountId: (result.auth.principal as { accountId: string }).accountId,
  };
}

/** Alice logs in again with password and SMS code: a new session whose second factor is recent. */
export async function signInAliceAgain(h: LoginHarness, password: string): Promise<AuthContext> {
  const view = await toPassword(h, 'alice', password);
  // With more factors than the phone the flow asks which one: the SMS (listed first).
  if (view.state === 'awaiting_factor') {
    await h.desk.login.chooseFactor({ flowId: view.flowId, factorId: view.factors![0]!.id });
  }
  const code = await lastSmsCode(h, ALICE_PHONE);
  return resultOf(await h.desk.login.submitCode({ flowId: view.flowId, code })).auth as AuthContext;
}

/** `acme` with its main administrator and `bob@acme`, bob signed in with password and SMS code just now. */
export async function signedInBob(h: LoginHarness) {
  const acme = await makeAcmeWithBob(h);
  const view = await toPassword(h, 'bob@acme', BOB_PASSWORD);
  const code = await lastSmsCode(h, BOB_PHONE);
  const bobAuth = resultOf(await h.desk.login.submitCode({ flowId: view.flowId, code })).auth as AuthContext;
  return { ...acme, bobAuth };
}

/** The current code of a TOTP secret given in base32, at the desk's clock. */
export async function currentTotp(h: LoginHarness, base32: string): Promise<string> {
  return totpAt(decodeBase32(base32)!, h.clock.now());
}

/** The latest 6-digit code mailed to `to`. */
export async function lastMailedCode(h: LoginHarness, to: string): Promise<string> {
  await h.desk.dispatchOutbox();
  const mails = h.mailer.to(to);
  const code = /\b(\d{6})\b/.exec(mails[mails.length - 1]?.text ?? '')?.[1];
  if (!code) throw new Error(`no code mailed to ${to}`);
  return code;
}

/** The templates of the messages in the outbox to `to`, oldest first. */
export async function templatesTo(h: LoginHarness, to: string): Promise<string[]> {
  const all = await h.storage.listOutbox({ limit: 10_000 });
  return all
    .map((m) => m.payload as { to: string; template: string })
    .filter((p) => p.to === to)
    .map((p) => p.template);
}
