import type { HelpdeskOptions } from '../../src/helpdesk.js';
import type { AddEvidenceInput, OpenRecoveryInput } from '../../src/recovery/index.js';
import { errorCode, lastSmsCode, makeLoginDesk, makePersonal, type LoginHarness } from '../login/_harness.js';

export { errorCode, lastSmsCode };
export const SECOND = 1_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const ALICE_PHONE = '+36305550111';
export const NEW_PHONE = '+36705550222';
export const ACME_ADMIN_PHONE = '+36305550101';

export const agentA = { role: 'agent', id: 'agent-anna' } as const;
export const agentB = { role: 'agent', id: 'agent-bela' } as const;

export type RecoveryHarness = LoginHarness;

/** A desk with a fast password hasher, a manual clock and capturing senders. */
export function makeRecoveryDesk(options: Partial<HelpdeskOptions> = {}): RecoveryHarness {
  return makeLoginDesk(options);
}

/** Personal account `alice` (active, phone on record). */
export async function makeAlice(h: RecoveryHarness) {
  const alice = await makePersonal(h, { username: 'alice', phone: ALICE_PHONE });
  await h.desk.accounts.activate({ token: alice.token });
  const [record] = await h.storage.list('account', { where: { email: alice.email }, limit: 1 });
  return { ...alice, phone: ALICE_PHONE, accountId: record!.id };
}

/** Organisation `acme` with its main administrator `admin@acme` (phone on record). */
export async function makeAcmeAdmin(h: RecoveryHarness) {
  const { admin } = await h.desk.accounts.createOrganization({
    slug: 'acme',
    name: 'Acme Kft.',
    admin: { email: 'boss@acme.example', phone: ACME_ADMIN_PHONE, displayName: 'Boss' },
  });
  return { accountId: admin.id, login: 'admin@acme', email: 'boss@acme.example', phone: ACME_ADMIN_PHONE };
}

export function openInput(overrides: Partial<OpenRecoveryInput> = {}): OpenRecoveryInput {
  return {
    login: 'alice',
    lostFactor: 'phone',
    channel: 'web',
    requester: { email: 'alice.private@example.net', name: 'Alice' },
    description: 'My phone was stolen; I cannot receive the login code.',
    ...overrides,
  };
}

export const evidence: AddEvidenceInput['evidence'] = {
  kind: 'identity_document',
  description: 'Scan of the ID card matching the account name',
  attachments: [{ name: 'id.pdf', contentType: 'application/pdf', size: 120_000 }],
};

/**
 * Opens a case (`openInput(overrides)`) and takes it to `approved`: evidence from the requester,
 * review by agent A, approval by `approver`.
 */
export async function approvedCase(
  h: RecoveryHarness,
  overrides: Partial<OpenRecoveryInput> = {},
  approver: { role: 'agent'; id: string } = agentA,
) {
  const opened = await h.desk.recovery.open(openInput(overrides));
  const requester = { role: 'requester', ticketId: opened.ticketId } as const;
  await h.desk.recovery.addEvidence({ caseId: opened.caseId, actor: requester, evidence });
  await h.desk.recovery.review({ caseId: opened.caseId, actor: agentA, outcome: 'accept' });
  const approved = await h.desk.recovery.approve({ caseId: opened.caseId, actor: approver });
  return { ...opened, requester, waitingEndsAt: approved.waitingEndsAt! };
}

/** {@link approvedCase}, then 24 h later the due timers run: the recovery completes. */
export async function recoveredCase(h: RecoveryHarness, overrides: Partial<OpenRecoveryInput> = {}) {
  const recovered = await approvedCase(h, overrides);
  h.clock.advance(24 * HOUR);
  await h.desk.runDueTimers();
  return recovered;
}

/**
 * The messages to an address, oldest first: those delivered (as the capturing senders got them:
 * a delivered message's secrets are erased from the outbox), then those still in the outbox.
 */
export async function outboxTo(h: RecoveryHarness, to: string): Promise<SentText[]> {
  const waiting = (await h.storage.listOutbox({ limit: 10_000 }))
    .filter((m) => m.status !== 'delivered' && m.status !== 'dead')
    .map((m) => m.payload as unknown as SentText)
    .filter((p) => p.to === to);
  const sent: SentText[] = [...h.mailer.to(to), ...h.sms.to(to)];
  return [...sent, ...waiting];
}

/** A message as a test reads it: a mail has a subject, an SMS none. */
export interface SentText {
  to: string;
  text: string;
  template: string;
  subject?: string;
}

/** The cancel token of the latest message with a cancel link to `to`. */
export async function cancelTokenFor(h: RecoveryHarness, to: string): Promise<string> {
  const messages = (await outboxTo(h, to)).filter((m) => m.text.includes('/recovery/cancel?'));
  const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(messages[messages.length - 1]?.text ?? '')?.[1];
  if (!token) throw new Error(`no cancel link to ${to}`);
  return token;
}

/** The latest login code sent by SMS to `phone` (other SMS, e.g. recovery notices, are skipped). */
export async function loginCodeTo(h: RecoveryHarness, phone: string): Promise<string> {
  const codes = (await outboxTo(h, phone)).filter((m) => m.template === 'login.code');
  const code = /\b(\d{6})\b/.exec(codes[codes.length - 1]?.text ?? '')?.[1];
  if (!code) throw new Error(`no login code to ${phone}`);
  return code;
}
