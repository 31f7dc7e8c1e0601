/**
 * Fuzzing every public command of `desk.factors` and the login's factor choice (the harness,
 * its properties and FUZZ_RUNS are described in `harness.ts`). The seed is the accounts seed,
 * plus the main administrator's pending authenticator app, backup codes, a pending email
 * change, and a login flow waiting for the choice of a factor.
 */
import { FACTOR_RECORD_KINDS } from '../../src/factors/factor-record.js';
import { ENCRYPTION_KEY } from '../factors/_harness.js';
import { accountDeskOptions, accountKinds, ADMIN_PASSWORD, seedAccounts, type AccountSeed } from './accounts-seed.js';
import { fuzzCommands, type FuzzTarget } from './harness.js';

interface FactorSeed extends AccountSeed {
  pendingTotpId: string;
  backupCodesId: string;
  /** `awaiting_factor` (the main administrator, who holds backup codes besides the phone). */
  choiceFlow: string;
}

async function seedFactors(desk: Parameters<typeof seedAccounts>[0]): Promise<FactorSeed> {
  const base = await seedAccounts(desk);
  const auth = base.adminAuth;
  const totp = await desk.factors.enrol({ auth, type: 'totp' });
  const backup = await desk.factors.enrol({ auth, type: 'backup_codes' });
  await desk.factors.changeEmail({ auth, email: 'boss.new@acme.example' });
  const { flowId } = await desk.login.start();
  await desk.login.submitIdentifier({ flowId, identifier: 'admin@acme' });
  const view = await desk.login.submitPassword({ flowId, password: ADMIN_PASSWORD });
  if (view.state !== 'awaiting_factor') throw new Error(`seed: expected awaiting_factor, got ${view.state}`);
  return { ...base, pendingTotpId: totp.factor.id, backupCodesId: backup.factor.id, choiceFlow: flowId };
}

const targets: FuzzTarget<FactorSeed>[] = [
  {
    name: 'desk.factors.enrol',
    valid: (s) => ({ auth: s.adminAuth, type: 'totp', label: 'Work phone app' }),
    call: (desk, arg) => desk.factors.enrol(arg as never),
  },
  {
    name: 'desk.factors.confirm',
    valid: (s) => ({ auth: s.adminAuth, factorId: s.pendingTotpId, code: '123456' }),
    call: (desk, arg) => desk.factors.confirm(arg as never),
  },
  {
    name: 'desk.factors.list',
    valid: (s) => ({ auth: s.adminAuth }),
    call: (desk, arg) => desk.factors.list(arg as never),
  },
  {
    name: 'desk.factors.rename',
    valid: (s) => ({ auth: s.adminAuth, factorId: s.backupCodesId, label: 'Paper in the safe' }),
    call: (desk, arg) => desk.factors.rename(arg as never),
  },
  {
    name: 'desk.factors.remove',
    valid: (s) => ({ auth: s.adminAuth, factorId: s.backupCodesId }),
    call: (desk, arg) => desk.factors.remove(arg as never),
  },
  {
    name: 'desk.factors.setOrganizationFactors',
    valid: (s) => ({ auth: s.adminAuth, allowed: ['sms', 'totp'], secondFactorRequired: true }),
    call: (desk, arg) => desk.factors.setOrganizationFactors(arg as never),
  },
  {
    name: 'desk.factors.changeEmail',
    valid: (s) => ({ auth: s.adminAuth, email: 'boss.other@acme.example' }),
    call: (desk, arg) => desk.factors.changeEmail(arg as never),
  },
  {
    name: 'desk.factors.confirmEmailChange',
    valid: (s) => ({ auth: s.adminAuth, code: '123456' }),
    call: (desk, arg) => desk.factors.confirmEmailChange(arg as never),
  },
  {
    name: 'desk.login.chooseFactor',
    valid: (s) => ({ flowId: s.choiceFlow, factorId: s.backupCodesId }),
    call: (desk, arg) => desk.login.chooseFactor(arg as never),
  },
];

fuzzCommands<FactorSeed>('fuzzing the public commands of desk.factors', {
  options: () => ({
    ...accountDeskOptions(),
    secrets: { pepper: 'fuzz-pepper-of-at-least-32-bytes!', encryptionKey: ENCRYPTION_KEY },
  }),
  seed: seedFactors,
  kinds: [...accountKinds, ...FACTOR_RECORD_KINDS],
  targets,
});
