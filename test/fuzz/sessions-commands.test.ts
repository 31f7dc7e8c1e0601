/**
 * Fuzzing every public command of `desk.sessions` and the new inputs of `desk.login`
 * (`deviceToken`, `deviceLabel`, `rememberDevice`). The harness and FUZZ_RUNS are described in
 * `harness.ts`; the desk is the accounts seed plus one more login of the main administrator
 * that asked to remember its device. Only thrown errors must be HelpdeskErrors that wrote nothing.
 */
import type { AuthContext } from '../../src/accounts/principal.js';
import type { Helpdesk } from '../../src/helpdesk.js';
import { SESSION_RECORD_KINDS } from '../../src/sessions/index.js';
import {
  ADMIN_PASSWORD,
  ADMIN_PHONE,
  ALICE_PASSWORD,
  accountDeskOptions,
  accountKinds,
  lastText,
  seedAccounts,
  type AccountSeed,
} from './accounts-seed.js';
import { fuzzCommands, type FuzzTarget } from './harness.js';

interface SessionSeed extends AccountSeed {
  sessionToken: string;
  deviceToken: string;
  deviceId: string;
  auth: AuthContext;
  /** Another live session of the main administrator (the seed's first login). */
  otherSessionId: string;
}

async function seedSessions(desk: Helpdesk): Promise<SessionSeed> {
  const base = await seedAccounts(desk);
  const { flowId } = await desk.login.start();
  await desk.login.submitIdentifier({ flowId, identifier: 'admin@acme' });
  const coded = await desk.login.submitPassword({ flowId, password: ADMIN_PASSWORD });
  if (coded.state !== 'awaiting_code') throw new Error(`seed: expected the code step, got ${coded.state}`);
  const code = await lastText(desk, ADMIN_PHONE, /\b(\d{6})\b/);
  const done = await desk.login.submitCode({ flowId, code, rememberDevice: true, deviceLabel: 'Seed browser' });
  if (!done.session || !done.device) throw new Error('seed: no session or device token');
  const auth = await desk.sessions.verify(done.session.token);
  const [device] = await desk.sessions.devices(auth);
  return {
    ...base,
    sessionToken: done.session.token,
    deviceToken: done.device.token,
    deviceId: device!.id,
    auth,
    otherSessionId: base.adminAuth.sessionId!,
  };
}

const targets: FuzzTarget<SessionSeed>[] = [
  {
    name: 'desk.sessions.verify',
    valid: (s) => s.sessionToken,
    call: (desk, arg) => desk.sessions.verify(arg as never),
  },
  {
    name: 'desk.sessions.list',
    valid: (s) => s.auth,
    call: (desk, arg) => desk.sessions.list(arg as never),
  },
  {
    name: 'desk.sessions.revoke',
    valid: (s) => ({ auth: s.auth, sessionId: s.otherSessionId }),
    call: (desk, arg) => desk.sessions.revoke(arg as never),
  },
  {
    name: 'desk.sessions.revokeOthers',
    valid: (s) => s.auth,
    call: (desk, arg) => desk.sessions.revokeOthers(arg as never),
  },
  {
    name: 'desk.sessions.devices',
    valid: (s) => s.auth,
    call: (desk, arg) => desk.sessions.devices(arg as never),
  },
  {
    name: 'desk.sessions.forgetDevice',
    valid: (s) => ({ auth: s.auth, deviceId: s.deviceId }),
    call: (desk, arg) => desk.sessions.forgetDevice(arg as never),
  },
  {
    name: 'desk.sessions.forgetDevices',
    valid: (s) => s.auth,
    call: (desk, arg) => desk.sessions.forgetDevices(arg as never),
  },
  {
    name: 'desk.login.submitPassword (deviceToken, deviceLabel)',
    valid: (s) => ({
      flowId: s.flows.password,
      password: ALICE_PASSWORD,
      deviceToken: s.deviceToken,
      deviceLabel: 'Fuzz',
    }),
    call: (desk, arg) => desk.login.submitPassword(arg as never),
  },
  {
    name: 'desk.login.submitCode (rememberDevice, deviceLabel)',
    valid: (s) => ({ flowId: s.flows.code, code: s.flows.codeSent, rememberDevice: true, deviceLabel: 'Fuzz' }),
    call: (desk, arg) => desk.login.submitCode(arg as never),
  },
];

fuzzCommands<SessionSeed>('fuzzing the public commands of desk.sessions and the device inputs of desk.login', {
  options: accountDeskOptions,
  seed: seedSessions,
  kinds: [...accountKinds, ...SESSION_RECORD_KINDS],
  targets,
});
