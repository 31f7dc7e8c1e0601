/**
 * Fuzzing every public command of `desk.login` (the harness, its properties and FUZZ_RUNS are
 * described in `harness.ts`; the seeded desk in `accounts-seed.ts`, with a flow in each state).
 * A view with an `error` (wrong password, wrong code, resend too soon, locked, ...) is an answer,
 * not a failure: only thrown errors must be HelpdeskErrors that wrote nothing — INVALID_INPUT,
 * FLOW_NOT_FOUND, STEP_NOT_ALLOWED, ...
 */
import {
  accountDeskOptions,
  accountKinds,
  ALICE_PASSWORD,
  DESK_PHONE,
  seedAccounts,
  type AccountSeed,
} from './accounts-seed.js';
import { fuzzCommands, type FuzzTarget } from './harness.js';

const targets: FuzzTarget<AccountSeed>[] = [
  {
    // Takes no argument; one given by a careless caller is ignored, and every call opens a flow.
    name: 'desk.login.start',
    valid: () => undefined,
    call: (desk, arg) => (desk.login.start as (arg?: unknown) => Promise<unknown>)(arg),
  },
  {
    name: 'desk.login.submitIdentifier',
    valid: (s) => ({ flowId: s.flows.identifier, identifier: 'bob@acme' }),
    call: (desk, arg) => desk.login.submitIdentifier(arg as never),
  },
  {
    name: 'desk.login.submitPassword',
    valid: (s) => ({ flowId: s.flows.password, password: ALICE_PASSWORD }),
    call: (desk, arg) => desk.login.submitPassword(arg as never),
  },
  {
    name: 'desk.login.submitCode',
    valid: (s) => ({ flowId: s.flows.code, code: s.flows.codeSent }),
    call: (desk, arg) => desk.login.submitCode(arg as never),
  },
  {
    name: 'desk.login.resendCode',
    valid: (s) => ({ flowId: s.flows.phone }),
    call: (desk, arg) => desk.login.resendCode(arg as never),
  },
  {
    name: 'desk.login.changePassword',
    valid: (s) => ({ flowId: s.flows.newPassword, newPassword: 'bob chosen passphrase' }),
    call: (desk, arg) => desk.login.changePassword(arg as never),
  },
  {
    name: 'desk.login.enrolPhone',
    valid: (s) => ({ flowId: s.flows.password, number: '30 555 0106' }),
    call: (desk, arg) => desk.login.enrolPhone(arg as never),
    templateRefusedWith: {
      code: 'STEP_NOT_ALLOWED',
      because: 'only a lost-factor recovery (desk.recovery) leads a flow to awaiting_enrolment; not seeded here',
    },
  },
  {
    name: 'desk.login.startPhoneLogin',
    valid: () => ({ number: DESK_PHONE }),
    call: (desk, arg) => desk.login.startPhoneLogin(arg as never),
  },
  {
    name: 'desk.login.startStepUp',
    valid: (s) => ({ auth: s.adminAuth }),
    call: (desk, arg) => desk.login.startStepUp(arg as never),
  },
  {
    // A step-up confirmed by a named factor (the seeded administrator holds the SMS only).
    name: 'desk.login.startStepUp (method)',
    valid: (s) => ({ auth: s.adminAuth, method: 'sms' }),
    call: (desk, arg) => desk.login.startStepUp(arg as never),
  },
  {
    // A remembered-device token read from a cookie before the user typed anything.
    name: 'desk.login.start (deviceToken)',
    valid: () => ({ clientKey: 'client-1', deviceToken: `dev_${'A'.repeat(22)}.${'B'.repeat(43)}` }),
    call: (desk, arg) => desk.login.start(arg as never),
  },
  {
    name: 'desk.login.get',
    valid: (s) => s.flows.code,
    call: (desk, arg) => desk.login.get(arg as never),
  },
  {
    name: 'desk.login.history',
    valid: (s) => s.flows.authenticated,
    call: (desk, arg) => desk.login.history(arg as never),
  },
];

fuzzCommands<AccountSeed>('fuzzing the public commands of desk.login', {
  options: accountDeskOptions,
  seed: seedAccounts,
  kinds: accountKinds,
  targets,
});
