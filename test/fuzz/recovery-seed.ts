/**
 * The seeded desk the recovery fuzzer starts from: the accounts of `accounts-seed.ts` that a
 * recovery needs (the organisation `acme` whose main administrator has done the first login, so
 * his AuthContext is real; alice, a personal account with a phone), a plain helpdesk ticket to
 * link, and a lost-factor recovery case in each status the commands act on:
 *   - `awaiting`: alice lost her phone (contact form, idempotency key `form-1`);
 *   - `underReview`: alice lost her email; the requester added evidence, nobody reviewed it;
 *   - `approved`: alice lost her phone; accepted and approved by one agent (a personal account
 *     needs one), in its 24 h waiting period, with the new cancel link of the approval notice;
 *   - `mainAdmin`: the main administrator lost his phone (filed by a sales manager); agent anna
 *     accepted the evidence, so only a second agent may approve (SECOND_AGENT_REQUIRED for her).
 * The clock never moves, so no deadline fires.
 */
import type { AuthContext } from '../../src/accounts/principal.js';
import type { Helpdesk, HelpdeskOptions } from '../../src/helpdesk.js';
import { RECOVERY_CASE_KIND } from '../../src/recovery/case-record.js';
import type { AddEvidenceInput } from '../../src/recovery/schemas.js';
import { TICKET_KIND } from '../../src/tickets/records.js';
import {
  accountDeskOptions,
  accountKinds,
  ADMIN_PASSWORD,
  ADMIN_PHONE,
  ALICE_PASSWORD,
  ALICE_PHONE,
  lastText,
} from './accounts-seed.js';

/** The seed keeps a case in every status for one login: room beyond the default one open case. */
export const recoveryDeskOptions = (): Omit<HelpdeskOptions, 'storage' | 'ids'> => ({
  ...accountDeskOptions(),
  policy: { recovery: { maxOpenCasesPerAccount: 10, opensPerWindow: 20 } },
});

/** Every record kind a recovery command may write (a new ticket, the case, the account's history). */
export const recoveryKinds: readonly string[] = [...accountKinds, TICKET_KIND, RECOVERY_CASE_KIND];

export const ALICE_EMAIL = 'alice@example.test';
export const ALICE_CONTACT = 'alice.private@example.net';
export const agentAnna = { role: 'agent', id: 'agent-anna' } as const;
export const agentBela = { role: 'agent', id: 'agent-bela' } as const;
export const salesSam = { role: 'agent', id: 'sales-sam' } as const;
export const idCard: AddEvidenceInput['evidence'] = {
  kind: 'identity_document',
  description: 'Scan of the ID card matching the account name',
  attachments: [{ name: 'id.pdf', contentType: 'application/pdf', size: 120_000 }],
};

interface SeededCase {
  caseId: string;
  ticketId: string;
}

export interface RecoverySeed {
  /** The main administrator's AuthContext from a real login (the owner of `mainAdmin`). */
  adminAuth: AuthContext;
  aliceId: string;
  /** A helpdesk ticket without a case, for `open` with a `ticketId`. */
  spareTicketId: string;
  /** `awaiting_evidence`, opened through the contact form with idempotency key `form-1`. */
  awaiting: SeededCase;
  /** `under_review`, evidence in, not reviewed. */
  underReview: SeededCase;
  /** `approved`, waiting period running, with the approval notice's unused cancel token. */
  approved: SeededCase & { cancelToken: string };
  /** `under_review`, accepted by agent anna; a main administrator's: needs a second agent. */
  mainAdmin: SeededCase;
}

const CANCEL_TOKEN = /[?&]token=([A-Za-z0-9_%-]+)/;

async function cancelTokenTo(desk: Helpdesk, to: string): Promise<string> {
  return decodeURIComponent(await lastText(desk, to, CANCEL_TOKEN));
}

function expectStatus(view: { status: string }, status: string): void {
  if (view.status !== status) throw new Error(`seed: expected a case ${status}, got ${view.status}`);
}

export async function seedRecovery(desk: Helpdesk): Promise<RecoverySeed> {
  const { accounts, login, recovery } = desk;

  // The organisation and its main administrator's first login (temporary password, code, new password).
  await accounts.createOrganization({
    slug: 'acme',
    name: 'Acme Kft.',
    admin: { email: 'boss@acme.example', phone: ADMIN_PHONE, displayName: 'Boss' },
  });
  const adminTemporary = await lastText(desk, 'boss@acme.example', /Temporary password: (\S+)/);
  const flow = await login.start();
  await login.submitIdentifier({ flowId: flow.flowId, identifier: 'admin@acme' });
  await login.submitPassword({ flowId: flow.flowId, password: adminTemporary });
  await login.submitCode({ flowId: flow.flowId, code: await lastText(desk, ADMIN_PHONE, /\b(\d{6})\b/) });
  const done = await login.changePassword({ flowId: flow.flowId, newPassword: ADMIN_PASSWORD });
  if (done.state !== 'authenticated') throw new Error(`seed: admin login ended ${done.state}`);
  const adminAuth = done.result!.auth;

  // Alice, a personal account with a phone on record.
  await accounts.register({
    username: 'alice',
    email: ALICE_EMAIL,
    password: ALICE_PASSWORD,
    displayName: 'Alice',
    phone: ALICE_PHONE,
  });
  const activated = await accounts.activate({
    token: decodeURIComponent(await lastText(desk, ALICE_EMAIL, /token=([A-Za-z0-9_%-]+)/)),
  });
  if (!activated.ok) throw new Error(`seed: alice not activated (${activated.code})`);

  // A ticket that came in before anyone thought of a recovery.
  const spare = await desk.tickets.submit({
    requester: { id: 'cust-7', email: ALICE_CONTACT, name: 'Alice' },
    content: { organization: 'Alice', subject: 'Cannot log in', description: 'My phone was stolen.' },
  });

  const requester = { email: ALICE_CONTACT, name: 'Alice' };
  const asRequester = (c: SeededCase) => ({ role: 'requester', ticketId: c.ticketId }) as const;

  // awaiting_evidence, through the contact form.
  const awaiting = await recovery.open({
    login: 'alice',
    lostFactor: 'phone',
    channel: 'contact_form',
    requester,
    description: 'My phone was stolen; I cannot receive the login code.',
    idempotencyKey: 'form-1',
  });

  // under_review, not reviewed.
  const underReview = await recovery.open({ login: 'alice', lostFactor: 'email', channel: 'web', requester });
  expectStatus(
    await recovery.addEvidence({ caseId: underReview.caseId, actor: asRequester(underReview), evidence: idCard }),
    'under_review',
  );

  // approved: accepted and approved by one agent.
  const approved = await recovery.open({ login: 'alice', lostFactor: 'phone', channel: 'web', requester });
  await recovery.addEvidence({ caseId: approved.caseId, actor: asRequester(approved), evidence: idCard });
  await recovery.review({ caseId: approved.caseId, actor: agentAnna, outcome: 'accept', note: 'ID matches' });
  expectStatus(await recovery.approve({ caseId: approved.caseId, actor: agentAnna }), 'approved');
  const approvedToken = await cancelTokenTo(desk, ALICE_EMAIL);

  // The main administrator's case, filed by a sales manager and accepted by anna.
  const mainAdmin = await recovery.open({
    login: 'admin@acme',
    lostFactor: 'phone',
    channel: 'sales',
    filedBy: salesSam,
    requester: { email: 'boss.private@example.net', name: 'Boss', locale: 'hu' },
  });
  await recovery.addEvidence({ caseId: mainAdmin.caseId, actor: agentAnna, evidence: idCard });
  const accepted = await recovery.review({ caseId: mainAdmin.caseId, actor: agentAnna, outcome: 'accept' });
  if (accepted.agentsRequired !== 2 || accepted.status !== 'under_review')
    throw new Error('seed: the main administrator case does not need a second agent');

  const pick = (c: { caseId: string; ticketId: string }): SeededCase => ({ caseId: c.caseId, ticketId: c.ticketId });
  return {
    adminAuth,
    aliceId: activated.accountId,
    spareTicketId: spare.ticket.id,
    awaiting: pick(awaiting),
    underReview: pick(underReview),
    approved: { ...pick(approved), cancelToken: approvedToken },
    mainAdmin: pick(mainAdmin),
  };
}
