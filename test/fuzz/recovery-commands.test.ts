/**
 * Fuzzing every public command of `desk.recovery` (the harness, its properties and FUZZ_RUNS are
 * described in `harness.ts`; the seeded desk, with a case in each status, in `recovery-seed.ts`).
 * Near-valid mutations of the templates hit live cases in the states the commands act on: an
 * unknown case is RECOVERY_NOT_FOUND, another ticket or a wrong cancel token RECOVERY_FORBIDDEN,
 * a command in the wrong status or by the wrong role TRANSITION_NOT_ALLOWED, a bad field
 * INVALID_INPUT — and none of them may write. `open` commits the ticket it files before the case:
 * a refusal after that would show up here as a write.
 */
import { fuzzCommands, type FuzzTarget } from './harness.js';
import {
  agentAnna,
  agentBela,
  ALICE_CONTACT,
  idCard,
  recoveryDeskOptions,
  recoveryKinds,
  salesSam,
  seedRecovery,
  type RecoverySeed,
} from './recovery-seed.js';

const targets: FuzzTarget<RecoverySeed>[] = [
  {
    name: 'desk.recovery.open (contact form, new ticket)',
    valid: () => ({
      login: 'alice',
      lostFactor: 'phone',
      channel: 'contact_form',
      requester: { email: ALICE_CONTACT, name: 'Alice', locale: 'hu' },
      description: 'My phone fell into the Danube.',
      idempotencyKey: 'form-2',
    }),
    call: (desk, arg) => desk.recovery.open(arg as never),
  },
  {
    // The seeded key: the template is a double submit (created: false), its mutations new requests.
    name: 'desk.recovery.open (double submit)',
    valid: () => ({
      login: 'alice',
      lostFactor: 'phone',
      channel: 'contact_form',
      requester: { email: ALICE_CONTACT, name: 'Alice' },
      description: 'My phone was stolen; I cannot receive the login code.',
      idempotencyKey: 'form-1',
    }),
    call: (desk, arg) => desk.recovery.open(arg as never),
  },
  {
    name: 'desk.recovery.open (sales manager, existing ticket)',
    valid: (s) => ({
      login: 'admin@acme',
      lostFactor: 'email',
      channel: 'sales',
      ticketId: s.spareTicketId,
      filedBy: salesSam,
    }),
    call: (desk, arg) => desk.recovery.open(arg as never),
  },
  {
    name: 'desk.recovery.addEvidence',
    valid: (s) => ({
      caseId: s.awaiting.caseId,
      actor: { role: 'requester', ticketId: s.awaiting.ticketId },
      evidence: idCard,
    }),
    call: (desk, arg) => desk.recovery.addEvidence(arg as never),
  },
  {
    name: 'desk.recovery.review',
    valid: (s) => ({ caseId: s.underReview.caseId, actor: agentAnna, outcome: 'accept', note: 'ID matches' }),
    call: (desk, arg) => desk.recovery.review(arg as never),
  },
  {
    // Anna accepted the evidence: the template is the second agent; her id in its place is refused.
    name: 'desk.recovery.approve (main administrator, second agent)',
    valid: (s) => ({ caseId: s.mainAdmin.caseId, actor: agentBela }),
    call: (desk, arg) => desk.recovery.approve(arg as never),
  },
  {
    name: 'desk.recovery.reject',
    valid: (s) => ({ caseId: s.underReview.caseId, actor: agentAnna, reason: 'The ID does not match the account.' }),
    call: (desk, arg) => desk.recovery.reject(arg as never),
  },
  {
    name: 'desk.recovery.cancel (owner, cancel link)',
    valid: (s) => ({ caseId: s.approved.caseId, actor: { role: 'owner', token: s.approved.cancelToken } }),
    call: (desk, arg) => desk.recovery.cancel(arg as never),
  },
  {
    // (The requester's cancel goes through the same actor check as addEvidence's, fuzzed above.)
    name: 'desk.recovery.cancel (owner, session)',
    valid: (s) => ({ caseId: s.mainAdmin.caseId, actor: { role: 'owner', auth: s.adminAuth } }),
    call: (desk, arg) => desk.recovery.cancel(arg as never),
  },
  {
    name: 'desk.recovery.get',
    valid: (s) => s.mainAdmin.caseId,
    call: (desk, arg) => desk.recovery.get(arg as never),
  },
  {
    name: 'desk.recovery.getForRequester',
    valid: (s) => ({ caseId: s.approved.caseId, ticketId: s.approved.ticketId }),
    call: (desk, arg) => desk.recovery.getForRequester(arg as never),
  },
  {
    name: 'desk.recovery.list',
    valid: (s) => ({ status: 'under_review', accountId: s.aliceId, cursor: s.awaiting.caseId, limit: 10 }),
    call: (desk, arg) => desk.recovery.list(arg as never),
  },
  {
    name: 'desk.recovery.history',
    valid: (s) => s.approved.caseId,
    call: (desk, arg) => desk.recovery.history(arg as never),
  },
];

fuzzCommands<RecoverySeed>('fuzzing the public commands of desk.recovery', {
  options: recoveryDeskOptions,
  seed: seedRecovery,
  kinds: recoveryKinds,
  targets,
});
