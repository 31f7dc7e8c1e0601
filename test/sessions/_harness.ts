import type { LoginFlowView } from '../../src/login/index.js';
import {
  BOB_PASSWORD,
  BOB_PHONE,
  lastSmsCode,
  makeAcmeWithBob,
  makeLoginDesk,
  resultOf,
  toPassword,
  type LoginHarness,
} from '../login/_harness.js';

export * from '../login/_harness.js';

/** The session token a completed login handed out. */
export function sessionTokenOf(view: LoginFlowView): string {
  if (!view.session) throw new Error(`expected a session in the view (state ${view.state})`);
  return view.session.token;
}

/** `bob@acme` logged in with password and SMS code: the view of the code step. */
export async function bobLogsIn(
  h: LoginHarness,
  extra: { rememberDevice?: boolean; deviceLabel?: string } = {},
): Promise<LoginFlowView> {
  const view = await toPassword(h, 'bob@acme', BOB_PASSWORD);
  if (view.state !== 'awaiting_code') throw new Error(`expected the code step, got ${view.state}`);
  const code = await lastSmsCode(h, BOB_PHONE);
  const done = await h.desk.login.submitCode({ flowId: view.flowId, code, ...extra });
  resultOf(done);
  return done;
}

/** A desk with `acme`, its main administrator and `bob@acme` after his first login. */
export async function deskWithBob(options: Parameters<typeof makeLoginDesk>[0] = {}) {
  const h = makeLoginDesk(options);
  const acme = await makeAcmeWithBob(h);
  return { h, ...acme };
}
