/**
 * Every public command that takes strings, with a valid argument on a seeded desk: tickets (own
 * seed below), accounts and login (`test/fuzz/accounts-seed.ts`), recovery
 * (`test/fuzz/recovery-seed.ts`). Shared by the input-hygiene tests of this folder and by
 * `test/fuzz/hostile-text.test.ts`. The templates follow the fuzz tables of `test/fuzz`.
 */
import type { FuzzSuite, FuzzTarget } from '../fuzz/harness.js';
import {
  accountDeskOptions,
  accountKinds,
  ALICE_PASSWORD,
  DESK_PHONE,
  seedAccounts,
  type AccountSeed,
} from '../fuzz/accounts-seed.js';
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
} from '../fuzz/recovery-seed.js';
import { ManualClock } from '../../src/testing/manual-clock.js';

const agent = { role: 'agent', id: 'agent-1' };
const agentAuth = { role: 'agent', id: 'agent-1', groups: ['fleet', 'billing'] };

/** The tickets every ticket command starts from. */
export interface TicketSeed {
  pending: string;
  onHold: string;
  solved: string;
}

/** A valid ticket submission with every single-line and multi-line content field filled. */
export const fullSubmission = {
  requester: { id: 'cust-9', email: 'nine@example.test', name: 'Nine Nines', locale: 'nl' },
  organizationId: 'org-1',
  content: {
    organization: 'Acme',
    subject: 'Printer jam',
    description: 'Paper stuck.\nTried twice.',
    location: 'Depot 3',
    driver: { name: 'Dirk' },
    vehicle: { vin: '1M8GDM9AXKP042788', make: 'Volvo', model: 'FH' },
    hardware: { model: 'TT-100', serial: 'SN-77' },
    browser: { name: 'Firefox', version: '128.0' },
    appVersion: '4.2.1',
    expectedBehavior: 'It prints.',
    unexpectedBehavior: 'It jams.',
    impact: 'No labels.',
    stepsTaken: 'Restarted it.',
    attachments: [{ name: 'jam.png', contentType: 'image/png', size: 1024, url: 'https://files.example.test/jam.png' }],
  },
  channel: 'email',
  idempotencyKey: 'form-1',
};

/** Ticket commands (and the desk's own) on a desk with a pending, an on-hold and a solved ticket. */
export const ticketSuite: FuzzSuite<TicketSeed> = {
  options: () => ({ clock: new ManualClock('2026-03-02T09:00:00Z') }),
  async seed(desk) {
    const requester = { id: 'cust-1', email: 'one@example.test' };
    const content = { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7.' };
    const pending = (await desk.tickets.submit({ requester, content })).ticket;
    await desk.tickets.reply({ ticketId: pending.id, author: agent as never, body: 'Which van?', askForInfo: true });
    const onHold = (await desk.tickets.submit({ requester, content: { ...content, subject: 'Portal error' } })).ticket;
    await desk.tickets.hold({ ticketId: onHold.id, actor: agent as never });
    const solved = (await desk.tickets.submit({ requester, content: { ...content, subject: 'Invoice' } })).ticket;
    await desk.tickets.solve({ ticketId: solved.id, actor: agent as never });
    return { pending: pending.id, onHold: onHold.id, solved: solved.id };
  },
  targets: [
    { name: 'desk.tickets.submit', valid: () => fullSubmission, call: (d, a) => d.tickets.submit(a as never) },
    {
      name: 'desk.tickets.reply',
      valid: (s) => ({ ticketId: s.pending, author: agent, body: 'Any news?', askForInfo: true }),
      call: (d, a) => d.tickets.reply(a as never),
    },
    {
      name: 'desk.tickets.assign',
      valid: (s) => ({ ticketId: s.pending, actor: agent, assigneeId: 'agent-2' }),
      call: (d, a) => d.tickets.assign(a as never),
    },
    {
      name: 'desk.tickets.hold',
      valid: (s) => ({ ticketId: s.pending, actor: agent }),
      call: (d, a) => d.tickets.hold(a as never),
    },
    {
      name: 'desk.tickets.resume',
      valid: (s) => ({ ticketId: s.onHold, actor: agent }),
      call: (d, a) => d.tickets.resume(a as never),
    },
    {
      name: 'desk.tickets.solve',
      valid: (s) => ({ ticketId: s.pending, actor: agent }),
      call: (d, a) => d.tickets.solve(a as never),
    },
    {
      name: 'desk.tickets.merge',
      valid: (s) => ({ sourceId: s.pending, targetId: s.solved, actor: agent }),
      call: (d, a) => d.tickets.merge(a as never),
    },
    {
      name: 'desk.tickets.setPriority',
      valid: (s) => ({ ticketId: s.pending, actor: agent, priority: 'urgent' }),
      call: (d, a) => d.tickets.setPriority(a as never),
    },
    { name: 'desk.tickets.get', valid: (s) => s.pending, call: (d, a) => d.tickets.get(a as never) },
    {
      name: 'desk.tickets.list',
      valid: (s) => ({
        status: 'pending',
        requesterId: 'cust-1',
        organizationId: 'org-1',
        cursor: s.onHold,
        limit: 10,
      }),
      call: (d, a) => d.tickets.list(a as never),
    },
    { name: 'desk.tickets.history', valid: (s) => s.pending, call: (d, a) => d.tickets.history(a as never) },
    // The caller as `auth`: an agent identity with its groups (strings the host passes through).
    {
      name: 'desk.tickets.reply (auth)',
      valid: (s) => ({ ticketId: s.pending, auth: agentAuth, body: 'Any news?', askForInfo: true }),
      call: (d, a) => d.tickets.reply(a as never),
    },
    {
      name: 'desk.tickets.addNote',
      valid: (s) => ({
        ticketId: s.pending,
        auth: agentAuth,
        body: 'Legacy firmware.',
        attachments: [{ name: 'log.txt', type: 'text/plain', size: 120, storageKey: 'uploads/log-1' }],
      }),
      call: (d, a) => d.tickets.addNote(a as never),
    },
    {
      name: 'desk.tickets.list (auth)',
      valid: () => ({ auth: agentAuth, status: 'pending', limit: 10 }),
      call: (d, a) => d.tickets.list(a as never),
    },
  ],
};

const accountTargets: FuzzTarget<AccountSeed>[] = [
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
    call: (d, a) => d.accounts.register(a as never),
  },
  {
    name: 'desk.accounts.activate',
    valid: (s) => ({ token: s.carolToken }),
    call: (d, a) => d.accounts.activate(a as never),
  },
  {
    name: 'desk.accounts.resendActivation',
    valid: () => ({ identifier: 'carol' }),
    call: (d, a) => d.accounts.resendActivation(a as never),
  },
  {
    name: 'desk.accounts.requestPasswordReset',
    valid: () => ({ identifier: 'alice', channel: 'sms', method: 'code' }),
    call: (d, a) => d.accounts.requestPasswordReset(a as never),
  },
  {
    name: 'desk.accounts.resetPassword (link)',
    valid: (s) => ({ token: s.aliceResetToken, newPassword: 'alice brand new passphrase' }),
    call: (d, a) => d.accounts.resetPassword(a as never),
  },
  {
    name: 'desk.accounts.resetPassword (code)',
    valid: (s) => ({ identifier: 'dave', code: s.daveResetCode, newPassword: 'dave brand new passphrase' }),
    call: (d, a) => d.accounts.resetPassword(a as never),
  },
  {
    name: 'desk.accounts.requestUsernameReminder',
    valid: (s) => ({ email: s.alice.email }),
    call: (d, a) => d.accounts.requestUsernameReminder(a as never),
  },
  {
    name: 'desk.accounts.createOrganization',
    valid: () => ({
      slug: 'globex',
      name: 'Globex Zrt.',
      admin: { email: 'ceo@globex.example', phone: '+36 20 555 0103', displayName: 'CEO', locale: 'hu' },
    }),
    call: (d, a) => d.accounts.createOrganization(a as never),
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
    call: (d, a) => d.accounts.createBusinessUser(a as never),
  },
  {
    name: 'desk.accounts.setPermissions',
    valid: (s) => ({ auth: s.adminAuth, login: s.bobLogin, permissions: ['tickets.read', 'billing.read'] }),
    call: (d, a) => d.accounts.setPermissions(a as never),
  },
  {
    name: 'desk.accounts.setUserStatus',
    valid: (s) => ({ auth: s.adminAuth, login: s.bobLogin, status: 'disabled' }),
    call: (d, a) => d.accounts.setUserStatus(a as never),
  },
  {
    name: 'desk.accounts.reissueTemporaryPassword',
    valid: (s) => ({ auth: s.adminAuth, login: s.bobLogin }),
    call: (d, a) => d.accounts.reissueTemporaryPassword(a as never),
  },
  {
    name: 'desk.accounts.registerPhoneNumber',
    valid: (s) => ({ auth: s.adminAuth, phone: '+36 70 555 0105', permissions: ['tickets.read'], label: 'Warehouse' }),
    call: (d, a) => d.accounts.registerPhoneNumber(a as never),
  },
  {
    name: 'desk.accounts.setPhonePermissions',
    valid: (s) => ({ auth: s.adminAuth, phone: DESK_PHONE, permissions: ['tickets.read', 'billing.read'] }),
    call: (d, a) => d.accounts.setPhonePermissions(a as never),
  },
  { name: 'desk.accounts.getAccount', valid: (s) => s.alice.id, call: (d, a) => d.accounts.getAccount(a as never) },
  {
    name: 'desk.accounts.getOrganization',
    valid: (s) => s.organizationId,
    call: (d, a) => d.accounts.getOrganization(a as never),
  },
  {
    name: 'desk.accounts.getPhoneNumber',
    valid: () => DESK_PHONE,
    call: (d, a) => d.accounts.getPhoneNumber(a as never),
  },
];

const loginTargets: FuzzTarget<AccountSeed>[] = [
  {
    name: 'desk.login.submitIdentifier',
    valid: (s) => ({ flowId: s.flows.identifier, identifier: 'bob@acme' }),
    call: (d, a) => d.login.submitIdentifier(a as never),
  },
  {
    name: 'desk.login.submitPassword',
    valid: (s) => ({ flowId: s.flows.password, password: ALICE_PASSWORD }),
    call: (d, a) => d.login.submitPassword(a as never),
  },
  {
    name: 'desk.login.submitCode',
    valid: (s) => ({ flowId: s.flows.code, code: s.flows.codeSent }),
    call: (d, a) => d.login.submitCode(a as never),
  },
  {
    name: 'desk.login.resendCode',
    valid: (s) => ({ flowId: s.flows.phone }),
    call: (d, a) => d.login.resendCode(a as never),
  },
  {
    name: 'desk.login.changePassword',
    valid: (s) => ({ flowId: s.flows.newPassword, newPassword: 'bob chosen passphrase' }),
    call: (d, a) => d.login.changePassword(a as never),
  },
  {
    name: 'desk.login.startPhoneLogin',
    valid: () => ({ number: DESK_PHONE }),
    call: (d, a) => d.login.startPhoneLogin(a as never),
  },
  {
    name: 'desk.login.startStepUp',
    valid: (s) => ({ auth: s.adminAuth }),
    call: (d, a) => d.login.startStepUp(a as never),
  },
  { name: 'desk.login.get', valid: (s) => s.flows.code, call: (d, a) => d.login.get(a as never) },
];

/** Accounts and login commands on the seeded accounts desk. */
export const accountSuite: FuzzSuite<AccountSeed> = {
  options: accountDeskOptions,
  seed: seedAccounts,
  kinds: accountKinds,
  targets: [...accountTargets, ...loginTargets],
};

/** Recovery commands on a desk with a case in each status. */
export const recoverySuite: FuzzSuite<RecoverySeed> = {
  options: recoveryDeskOptions,
  seed: seedRecovery,
  kinds: recoveryKinds,
  targets: [
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
      call: (d, a) => d.recovery.open(a as never),
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
      call: (d, a) => d.recovery.open(a as never),
    },
    {
      name: 'desk.recovery.addEvidence',
      valid: (s) => ({
        caseId: s.awaiting.caseId,
        actor: { role: 'requester', ticketId: s.awaiting.ticketId },
        evidence: idCard,
      }),
      call: (d, a) => d.recovery.addEvidence(a as never),
    },
    {
      name: 'desk.recovery.review',
      valid: (s) => ({ caseId: s.underReview.caseId, actor: agentAnna, outcome: 'accept', note: 'ID matches' }),
      call: (d, a) => d.recovery.review(a as never),
    },
    {
      name: 'desk.recovery.approve (main administrator, second agent)',
      valid: (s) => ({ caseId: s.mainAdmin.caseId, actor: agentBela }),
      call: (d, a) => d.recovery.approve(a as never),
    },
    {
      name: 'desk.recovery.reject',
      valid: (s) => ({ caseId: s.underReview.caseId, actor: agentAnna, reason: 'The ID does not match the account.' }),
      call: (d, a) => d.recovery.reject(a as never),
    },
    {
      name: 'desk.recovery.cancel (owner, cancel link)',
      valid: (s) => ({ caseId: s.approved.caseId, actor: { role: 'owner', token: s.approved.cancelToken } }),
      call: (d, a) => d.recovery.cancel(a as never),
    },
    { name: 'desk.recovery.get', valid: (s) => s.mainAdmin.caseId, call: (d, a) => d.recovery.get(a as never) },
    {
      name: 'desk.recovery.getForRequester',
      valid: (s) => ({ caseId: s.approved.caseId, ticketId: s.approved.ticketId }),
      call: (d, a) => d.recovery.getForRequester(a as never),
    },
    {
      name: 'desk.recovery.list',
      valid: (s) => ({ status: 'under_review', accountId: s.aliceId, cursor: s.awaiting.caseId, limit: 10 }),
      call: (d, a) => d.recovery.list(a as never),
    },
  ],
};

export { changeAt as changeString, stringPaths, type Path } from '../fuzz/hostile-text.js';

/** `text` with `fragment` in its middle (so trimming cannot remove it). */
export function insertMiddle(text: string, fragment: string): string {
  const at = Math.ceil(text.length / 2);
  return `${text.slice(0, at)}${fragment}${text.slice(at)}`;
}
