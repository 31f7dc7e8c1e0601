import { initialTransition, type SnapshotFrom } from 'xstate';
import { parseLoginIdentifier, type AccountRecord, type AccountRepository } from '../accounts/account-repository.js';
import type { CoreDeps } from '../engine/deps.js';
import { engineErrors } from '../engine/error-codes.js';
import { persistSnapshot, restoreSnapshot, stepMachine } from '../engine/machine-step.js';
import { queueMessage } from '../engine/notify.js';
import type { DueHandler, FiredTimer } from '../engine/timers.js';
import { runCommand, type UnitOfWork } from '../engine/unit-of-work.js';
import { parseInput } from '../engine/validate.js';
import type { Locale } from '../messages/locales.js';
import type { HistoryEntry } from '../ports/history-store.js';
import type { Json } from '../ports/json.js';
import type { StoredRecord } from '../ports/record-store.js';
import { constantTimeEqual, randomToken } from '../security/index.js';
import type { TicketService } from '../tickets/service.js';
import type { TicketView } from '../tickets/records.js';
import { recoveryErrors } from './error-codes.js';
import { formatInstant, lostFactorLabel, recoveryStepLabel } from './labels.js';
import { resolveRecoveryPolicy, type RecoveryPolicy, type RecoveryPolicyOverrides } from './policy.js';
import {
  indexesOf,
  nextDueAt,
  RECOVERY_CASE_KIND,
  toCaseView,
  toRequesterView,
  type RecoveryCaseView,
  type RecoveryRequesterView,
  type SessionRevocation,
  type StoredCase,
} from './records.js';
import {
  recoveryMachine,
  type RecoveryActor,
  type RecoveryContext,
  type RecoveryEvent,
  type RecoveryStatus,
  type RecoveryStep,
} from './recovery-machine.js';
import {
  addEvidenceSchema,
  approveSchema,
  cancelSchema,
  caseIdSchema,
  listRecoverySchema,
  openRecoverySchema,
  rejectSchema,
  requesterViewSchema,
  reviewSchema,
  type AddEvidenceInput,
  type ApproveInput,
  type CancelInput,
  type ListRecoveryInput,
  type OpenRecoveryInput,
  type ParsedRecoveryActor,
  type RejectInput,
  type RequesterViewInput,
  type ReviewInput,
} from './schemas.js';

export interface RecoveryServiceOptions {
  /** Recovery cases are filed under helpdesk tickets: an existing one, or one opened here. */
  tickets: TicketService;
  /** The accounts module's internal API: account lookup, HMAC of cancel tokens, the SessionRevoker. */
  accounts: AccountRepository;
  policy?: RecoveryPolicyOverrides;
  /** Base URL of the default cancel link. Default `https://helpdesk.invalid`. */
  publicBaseUrl?: string;
  /** Builds the cancel link sent to the addresses on record. Default `<publicBaseUrl>/recovery/cancel?case=…&token=…`. */
  cancelLink?: (caseId: string, token: string) => string;
}

/**
 * The answer of `open`: the same shape and kind of values whether or not the login belongs to
 * an account, so the requester learns nothing about that.
 */
export interface OpenRecoveryResult {
  caseId: string;
  ticketId: string;
  ticketNumber: number;
  status: 'awaiting_evidence';
  /** The case expires at this instant unless evidence arrives. */
  evidenceDueAt: number;
  /** False when an earlier open with the same idempotency key already made this case. */
  created: boolean;
}

export interface RecoveryPage {
  cases: RecoveryCaseView[];
  nextCursor: string | null;
}

type Snapshot = SnapshotFrom<typeof recoveryMachine>;
type Actor = { machine: RecoveryActor; audit: Json };

const SYSTEM: Actor = { machine: { role: 'system' }, audit: { role: 'system' } };
const DAY = 86_400_000;
const CANCEL_PURPOSE = 'recovery_cancel';

/** History entry types, by machine event. */
const HISTORY_TYPE: Record<RecoveryEvent['type'], string> = {
  addEvidence: 'recovery.evidence_added',
  review: 'recovery.reviewed',
  approve: 'recovery.approved',
  reject: 'recovery.rejected',
  cancel: 'recovery.cancelled',
  'timer.expireEvidence': 'recovery.expired',
  'timer.complete': 'recovery.completed',
};

/**
 * The recovery service behind `desk.recovery`: lost-factor recovery cases filed under helpdesk
 * tickets. Every command runs one `runCommand` on the case record (plus the account on
 * completion) and writes one history entry; refusals store nothing. Returns
 * `{ service, onDue }`: `onDue` expires cases without evidence, completes cases whose waiting
 * period is over, and then revokes the account's sessions.
 */
export function createRecoveryService(deps: CoreDeps, options: RecoveryServiceOptions) {
  const { storage, clock, ids } = deps;
  const { accounts, tickets } = options;
  const policy: RecoveryPolicy = resolveRecoveryPolicy(options.policy ?? {});
  const base = (options.publicBaseUrl ?? 'https://helpdesk.invalid').replace(/\/+$/, '');
  const cancelLink =
    options.cancelLink ??
    ((caseId: string, token: string) =>
      `${base}/recovery/cancel?case=${encodeURIComponent(caseId)}&token=${encodeURIComponent(token)}`);
  const run = <T>(handler: (uow: UnitOfWork) => Promise<T>) => runCommand(storage, () => clock.now(), handler);
  /** Pepper check up front: without it every call is CONFIGURATION_INVALID, before any write. */
  const configured = () => void accounts.codes();

  // --- records -------------------------------------------------------------------------------

  function notFound(caseId: string) {
    return recoveryErrors.raise('RECOVERY_NOT_FOUND', { caseId }, `No recovery case with id "${caseId}".`);
  }

  async function loadCase(uow: UnitOfWork, caseId: string): Promise<{ snapshot: Snapshot; stored: StoredCase }> {
    const record = await uow.load(RECOVERY_CASE_KIND, caseId);
    if (!record) throw notFound(caseId);
    const stored = record.state as unknown as StoredCase;
    return { snapshot: restoreSnapshot(recoveryMachine, stored), stored };
  }

  function save(uow: UnitOfWork, snapshot: Snapshot, sessions: SessionRevocation | null, create = false): void {
    const stored: StoredCase = {
      value: snapshot.value as RecoveryStatus,
      context: snapshot.context,
      sessions,
    };
    const change = {
      state: { ...persistSnapshot(snapshot), sessions },
      indexes: indexesOf(stored),
      nextDueAt: nextDueAt(stored),
    };
    if (create) uow.create(RECOVERY_CASE_KIND, snapshot.context.id, change);
    else uow.put(RECOVERY_CASE_KIND, snapshot.context.id, change);
  }

  async function accountOf(uow: UnitOfWork, ctx: RecoveryContext): Promise<AccountRecord | null> {
    if (ctx.accountId === null) return null;
    return (await accounts.findAccountById(ctx.accountId, uow))?.value ?? null;
  }

  const cancelTokenHash = (caseId: string, token: string) => accounts.lookupKey(CANCEL_PURPOSE, `${caseId}:${token}`);

  // --- notices (ASVS 6.3.7: every recovery step to every address on record) ---------------------

  /** Notices of a step: the requester's contact, and the account's email and phone on record. */
  async function notify(
    uow: UnitOfWork,
    ctx: RecoveryContext,
    step: RecoveryStep,
    account: AccountRecord | null,
    cancelToken?: string,
  ) {
    const requesterLocale = ctx.locale as Locale;
    let stepText = recoveryStepLabel(requesterLocale, step);
    if (step === 'approved' && ctx.waitingEndsAt !== null) stepText += ` (${formatInstant(ctx.waitingEndsAt)})`;
    queueMessage(uow, ids, 'email', ctx.requesterEmail, 'recovery.notice', requesterLocale, { step: stepText });

    if (!account) return;
    const locale = account.locale;
    const login = account.login;
    const sms = (template: 'recovery.sms_approved' | 'recovery.sms_closed', data: Record<string, string>) => {
      if (account.phone !== null) queueMessage(uow, ids, 'sms', account.phone, template, locale, data as never);
    };
    switch (step) {
      case 'approved': {
        const link = cancelLink(ctx.id, cancelToken ?? '');
        const waitingEndsAt = formatInstant(ctx.waitingEndsAt ?? uow.now);
        queueMessage(uow, ids, 'email', account.email, 'recovery.approved', locale, {
          login,
          waitingEndsAt,
          cancelLink: link,
        });
        sms('recovery.sms_approved', { waitingEndsAt, cancelLink: link });
        break;
      }
      case 'completed':
        queueMessage(uow, ids, 'email', account.email, 'recovery.completed', locale, {
          login,
          factor: lostFactorLabel(locale, ctx.lostFactor),
        });
        sms('recovery.sms_closed', { step: recoveryStepLabel(locale, step) });
        break;
      case 'cancelled':
        queueMessage(uow, ids, 'email', account.email, 'recovery.cancelled', locale, { login });
        sms('recovery.sms_closed', { step: recoveryStepLabel(locale, step) });
        break;
      default:
        // rejected, expired: the owner learns that an attempt on the account ended.
        queueMessage(uow, ids, 'email', account.email, 'recovery.notice', locale, {
          step: recoveryStepLabel(locale, step),
        });
    }
    accounts.recordAccountHistory(
      uow,
      account.id,
      `account.recovery_${step}`,
      { role: 'system' },
      { caseId: ctx.id, lostFactor: ctx.lostFactor },
    );
  }

  /**
   * Removes the lost factor and requires enrolment at the next login, in the case's commit.
   * The sessions are revoked afterwards (`sessions: 'pending'`), so a session started before
   * this commit cannot survive it.
   */
  async function completeRecovery(uow: UnitOfWork, ctx: RecoveryContext): Promise<Record<string, Json>> {
    const account = await accountOf(uow, ctx);
    if (!account) return { accountMissing: true };
    const removed = ctx.lostFactor === 'phone' ? { phone: null } : { emailVerified: false };
    accounts.updateAccount(uow, { ...account, ...removed, mustEnrolFactor: true, updatedAt: uow.now });
    accounts.recordAccountHistory(
      uow,
      account.id,
      'account.factor_removed',
      { role: 'system' },
      { caseId: ctx.id, factor: ctx.lostFactor, mustEnrolFactor: true },
    );
    return { factorRemoved: ctx.lostFactor };
  }

  // --- steps ---------------------------------------------------------------------------------

  function refusal(snapshot: Snapshot, event: RecoveryEvent) {
    const ctx = snapshot.context;
    const status = snapshot.value as RecoveryStatus;
    const role = 'actor' in event ? event.actor.role : 'system';
    if (
      event.type === 'approve' &&
      status === 'under_review' &&
      event.actor.role === 'agent' &&
      ctx.accountIsMainAdmin &&
      ctx.review?.agentId === event.actor.id
    ) {
      return recoveryErrors.raise('SECOND_AGENT_REQUIRED', { caseId: ctx.id, status, command: event.type });
    }
    let reason: string | undefined;
    if (event.type === 'approve' && status === 'under_review' && role === 'agent') {
      reason = ctx.review === null ? 'not_reviewed' : ctx.accountId === null ? 'account_not_found' : undefined;
    }
    return engineErrors.raise(
      'TRANSITION_NOT_ALLOWED',
      { caseId: ctx.id, status, command: event.type, actor: role, ...(reason ? { reason } : {}) },
      `Cannot ${event.type} recovery case ${ctx.id} as ${role}: it is ${status}` +
        (reason ? ` (${reason.replaceAll('_', ' ')}).` : '.'),
    );
  }

  /**
   * Applies one event: TRANSITION_NOT_ALLOWED (naming status and command) or
   * SECOND_AGENT_REQUIRED when refused; otherwise stores the next snapshot with one history
   * entry and carries out the effects in the same unit of work.
   */
  async function apply(
    uow: UnitOfWork,
    snapshot: Snapshot,
    stored: StoredCase,
    event: RecoveryEvent,
    actor: Actor,
    data: Record<string, Json> = {},
    cancelToken?: string,
  ): Promise<Snapshot> {
    const from = snapshot.value as RecoveryStatus;
    const stepped = stepMachine(recoveryMachine, snapshot, event);
    if (!stepped.accepted) throw refusal(snapshot, event);
    const next = stepped.snapshot;
    let sessions = stored.sessions;
    const effectData: Record<string, Json> = {};
    // The addresses on record as they were before this commit: a completion tells the old phone
    // and address that they no longer count.
    const onRecord = stepped.effects.length > 0 ? await accountOf(uow, next.context) : null;
    for (const effect of stepped.effects) {
      if (effect.type === 'notify') {
        await notify(uow, next.context, (effect.params as { step: RecoveryStep }).step, onRecord, cancelToken);
      } else if (effect.type === 'completeRecovery') {
        Object.assign(effectData, await completeRecovery(uow, next.context));
        sessions = next.context.accountId === null ? null : 'pending';
      }
    }
    save(uow, next, sessions);
    uow.history({
      kind: RECOVERY_CASE_KIND,
      id: next.context.id,
      at: uow.now,
      type: HISTORY_TYPE[event.type],
      actor: actor.audit,
      data: { from, to: next.value as RecoveryStatus, ...data, ...effectData },
    });
    return next;
  }

  /**
   * Checks who acts: an agent by id; the requester by the case's ticket; the owner by a cancel
   * link sent to an address on record, or by a signed-in session of the account.
   * RECOVERY_FORBIDDEN otherwise (the same answer for a case without an account).
   */
  async function resolveActor(ctx: RecoveryContext, input: ParsedRecoveryActor): Promise<Actor> {
    const forbidden = () => recoveryErrors.raise('RECOVERY_FORBIDDEN', { caseId: ctx.id, role: input.role });
    switch (input.role) {
      case 'agent':
        return { machine: { role: 'agent', id: input.id }, audit: { role: 'agent', id: input.id } };
      case 'requester':
        if (input.ticketId !== ctx.ticketId) throw forbidden();
        return { machine: { role: 'requester' }, audit: { role: 'requester', ticketId: ctx.ticketId } };
      case 'owner': {
        if ('token' in input) {
          const hash = await cancelTokenHash(ctx.id, input.token);
          let matches = false;
          for (const known of ctx.cancelTokenHashes) matches = constantTimeEqual(hash, known) || matches;
          if (!matches || ctx.accountId === null) throw forbidden();
          return {
            machine: { role: 'owner' },
            audit: { role: 'owner', accountId: ctx.accountId, via: 'cancel_link' },
          };
        }
        const principal = input.auth.principal;
        if (ctx.accountId === null || principal.type !== 'account' || principal.accountId !== ctx.accountId)
          throw forbidden();
        return { machine: { role: 'owner' }, audit: { role: 'owner', accountId: ctx.accountId, via: 'session' } };
      }
    }
  }

  /** Runs one command on one case and returns the agent view. */
  async function command(
    caseId: string,
    actorInput: ParsedRecoveryActor,
    build: (
      uow: UnitOfWork,
      ctx: RecoveryContext,
      actor: RecoveryActor,
    ) => Promise<{ event: RecoveryEvent; data?: Record<string, Json>; cancelToken?: string }>,
  ): Promise<RecoveryCaseView> {
    configured();
    await run(async (uow) => {
      const { snapshot, stored } = await loadCase(uow, caseId);
      const actor = await resolveActor(snapshot.context, actorInput);
      const { event, data, cancelToken } = await build(uow, snapshot.context, actor.machine);
      await apply(uow, snapshot, stored, event, actor, data, cancelToken);
    });
    return view(caseId);
  }

  async function view(caseId: string): Promise<RecoveryCaseView> {
    const record = await storage.load(RECOVERY_CASE_KIND, caseId);
    if (!record) throw notFound(caseId);
    return toCaseView(record);
  }

  /** The ticket the case is filed under: the one given, or a new one through the ticket service. */
  async function ticketFor(p: ReturnType<typeof openRecoverySchema.parse>, login: string): Promise<TicketView> {
    if (p.ticketId !== undefined) return tickets.get(p.ticketId);
    const requester = p.requester!;
    const factor = p.lostFactor === 'phone' ? 'phone' : 'email address';
    const { ticket } = await tickets.submit({
      requester: {
        id: `contact:${requester.email}`,
        email: requester.email,
        ...(requester.name ? { name: requester.name } : {}),
        ...(requester.locale ? { locale: requester.locale } : {}),
      },
      content: {
        organization: 'Account recovery',
        subject: `Lost ${factor} for ${login}`,
        description: p.description ?? `The requester lost access to the ${factor} of ${login} and asks to recover it.`,
      },
      channel: p.channel,
      priority: 'high',
      ...(p.filedBy ? { filedBy: p.filedBy } : {}),
      ...(p.idempotencyKey !== undefined ? { idempotencyKey: `recovery:${p.idempotencyKey}` } : {}),
    });
    return ticket;
  }

  // --- the service ---------------------------------------------------------------------------

  const service = {
    /**
     * Opens a recovery case under a helpdesk ticket (the one given, or a new one on the
     * request's channel). The answer has the same shape whether or not the login exists; only
     * an existing account's email and phone on record are told, with a cancel link. The
     * requester gets a confirmation with the ticket number. Evidence is due in 14 days.
     */
    async open(input: OpenRecoveryInput): Promise<OpenRecoveryResult> {
      configured();
      const p = parseInput(openRecoverySchema, input, 'recovery request');
      const login = parseLoginIdentifier(p.login)?.login ?? p.login;
      const ticket = await ticketFor(p, login);
      const requesterEmail = p.requester?.email ?? ticket.requesterEmail;
      const scope = `recovery.open:${requesterEmail}`;
      const caseId = ids.next('rcv_');
      // Drawn for every request, known login or not, so both paths do the same work up front.
      const token = randomToken(deps.random, 32);
      const tokenHash = await cancelTokenHash(caseId, token);
      const outcome = await run(async (uow) => {
        if (p.idempotencyKey !== undefined) {
          const earlier = (await storage.getIdempotency(scope, p.idempotencyKey)) as { caseId: string } | null;
          if (earlier) return { caseId: earlier.caseId, created: false };
        }
        const account = (await accounts.findAccountByLogin(login, uow))?.value ?? null;
        const [snapshot] = initialTransition(recoveryMachine, {
          id: caseId,
          ticketId: ticket.id,
          ticketNumber: ticket.number,
          channel: p.channel,
          lostFactor: p.lostFactor,
          login,
          accountId: account?.id ?? null,
          accountIsMainAdmin: account?.isMainAdmin ?? false,
          requesterEmail,
          requesterName: p.requester?.name ?? null,
          locale: p.requester?.locale ?? ticket.locale,
          openedAt: uow.now,
          cancelTokenHashes: account ? [tokenHash] : [],
          policy,
        });
        save(uow, snapshot, null, true);
        uow.history({
          kind: RECOVERY_CASE_KIND,
          id: caseId,
          at: uow.now,
          type: 'recovery.opened',
          actor: p.filedBy ? { ...p.filedBy } : { role: 'requester', ticketId: ticket.id },
          data: {
            from: null,
            to: 'awaiting_evidence',
            channel: p.channel,
            ticketId: ticket.id,
            lostFactor: p.lostFactor,
            accountFound: account !== null,
          },
        });
        queueMessage(uow, ids, 'email', requesterEmail, 'recovery.requested', snapshot.context.locale as Locale, {
          number: ticket.number,
          expiresInDays: Math.round(policy.evidenceTtl / DAY),
        });
        if (account) {
          const link = cancelLink(caseId, token);
          queueMessage(uow, ids, 'email', account.email, 'recovery.opened', account.locale, {
            login: account.login,
            cancelLink: link,
          });
          if (account.phone !== null)
            queueMessage(uow, ids, 'sms', account.phone, 'recovery.sms_opened', account.locale, { cancelLink: link });
          accounts.recordAccountHistory(
            uow,
            account.id,
            'account.recovery_opened',
            { role: 'system' },
            { caseId, lostFactor: p.lostFactor, ticketId: ticket.id },
          );
        }
        if (p.idempotencyKey !== undefined) uow.idempotency(scope, p.idempotencyKey, { caseId });
        return { caseId, created: true };
      });
      const created = await view(outcome.caseId);
      return {
        caseId: created.id,
        ticketId: created.ticketId,
        ticketNumber: created.ticketNumber,
        status: 'awaiting_evidence',
        evidenceDueAt: created.evidenceDueAt ?? created.openedAt + policy.evidenceTtl,
        created: outcome.created,
      };
    },

    /**
     * Proof of ownership, from the requester (by the case's ticket) or an agent entering what
     * came in through the ticket. Metadata only. The first evidence moves the case to review
     * and stops its expiry.
     */
    async addEvidence(input: AddEvidenceInput): Promise<RecoveryCaseView> {
      const p = parseInput(addEvidenceSchema, input, 'evidence');
      return command(p.caseId, p.actor, async (uow, _ctx, actor) => ({
        event: {
          type: 'addEvidence',
          at: uow.now,
          actor,
          evidence: {
            id: ids.next('evd_'),
            kind: p.evidence.kind,
            description: p.evidence.description,
            attachments: p.evidence.attachments,
            addedAt: uow.now,
            addedBy: actor.role === 'agent' ? `agent:${actor.id}` : actor.role,
          },
        },
        data: { kind: p.evidence.kind, attachments: p.evidence.attachments.length },
      }));
    },

    /**
     * An agent's review of the evidence: `accept` (the evidence proves ownership; an approval
     * may follow) or `request_more` (back to awaiting evidence, with a new 14-day deadline).
     */
    async review(input: ReviewInput): Promise<RecoveryCaseView> {
      const p = parseInput(reviewSchema, input, 'review');
      return command(p.caseId, p.actor, async (uow, _ctx, actor) => ({
        event: { type: 'review', at: uow.now, actor, outcome: p.outcome, note: p.note ?? null, policy },
        data: { outcome: p.outcome },
      }));
    },

    /**
     * Approves reviewed evidence; the waiting period (24 h) starts and every address on record
     * is told when it ends and how to cancel. For a main administrator the approver must be a
     * second agent, not the reviewer (SECOND_AGENT_REQUIRED).
     */
    async approve(input: ApproveInput): Promise<RecoveryCaseView> {
      const p = parseInput(approveSchema, input, 'approval');
      return command(p.caseId, p.actor, async (uow, ctx, actor) => {
        const cancelToken = randomToken(deps.random, 32);
        return {
          event: {
            type: 'approve',
            at: uow.now,
            actor,
            policy,
            cancelTokenHash: await cancelTokenHash(ctx.id, cancelToken),
          },
          data: { waitingEndsAt: uow.now + policy.waitingPeriod },
          cancelToken,
        };
      });
    },

    /** An agent rejects the case (before completion), with a reason kept on the case. */
    async reject(input: RejectInput): Promise<RecoveryCaseView> {
      const p = parseInput(rejectSchema, input, 'rejection');
      return command(p.caseId, p.actor, async (uow, _ctx, actor) => ({
        event: { type: 'reject', at: uow.now, actor, reason: p.reason },
      }));
    },

    /**
     * Cancels the case before completion: the owner (cancel link or session), the requester,
     * or an agent. During the waiting period nothing has changed on the account yet.
     */
    async cancel(input: CancelInput): Promise<RecoveryCaseView> {
      const p = parseInput(cancelSchema, input, 'cancellation');
      return command(p.caseId, p.actor, async (uow, _ctx, actor) => ({
        event: { type: 'cancel', at: uow.now, actor },
      }));
    },

    /** The case as support sees it (whether the account exists, the evidence, who vouched), or RECOVERY_NOT_FOUND. */
    async get(caseId: string): Promise<RecoveryCaseView> {
      return view(parseInput(caseIdSchema, caseId, 'recovery case id'));
    },

    /**
     * The case as the requester sees it, by case and ticket: nothing that tells whether the
     * account exists. RECOVERY_NOT_FOUND for an unknown case, RECOVERY_FORBIDDEN for another ticket.
     */
    async getForRequester(input: RequesterViewInput): Promise<RecoveryRequesterView> {
      const p = parseInput(requesterViewSchema, input, 'recovery case');
      const record = await storage.load(RECOVERY_CASE_KIND, p.caseId);
      if (!record) throw notFound(p.caseId);
      const view = toRequesterView(record);
      if (view.ticketId !== p.ticketId)
        throw recoveryErrors.raise('RECOVERY_FORBIDDEN', { caseId: p.caseId, role: 'requester' });
      return view;
    },

    /** Cases by status, ticket and/or account, oldest first, with cursor paging. */
    async list(query: ListRecoveryInput = {}): Promise<RecoveryPage> {
      const q = parseInput(listRecoverySchema, query, 'recovery query');
      const where: Record<string, string> = {};
      if (q.status !== undefined) where.status = q.status;
      if (q.ticketId !== undefined) where.ticket = q.ticketId;
      if (q.accountId !== undefined) where.account = q.accountId;
      const records = await storage.list(RECOVERY_CASE_KIND, {
        where,
        limit: q.limit + 1,
        ...(q.cursor !== undefined ? { after: q.cursor } : {}),
      });
      const page = records.slice(0, q.limit).map(toCaseView);
      return { cases: page, nextCursor: records.length > q.limit ? (page[page.length - 1]?.id ?? null) : null };
    },

    /** The case's audit trail: one entry per accepted command and fired deadline. Never a token. */
    async history(caseId: string): Promise<HistoryEntry[]> {
      const id = parseInput(caseIdSchema, caseId, 'recovery case id');
      await view(id);
      return storage.history(RECOVERY_CASE_KIND, id);
    },
  };

  /**
   * Fires a case's deadline through its guarded timer event (evidence expiry, end of the
   * waiting period); after a completion, the next round revokes the account's sessions.
   */
  const onDue: DueHandler = async (uow, record: StoredRecord) => {
    const stored = record.state as unknown as StoredCase;
    const snapshot = restoreSnapshot(recoveryMachine, stored);
    const ctx = snapshot.context;
    const fired = (event: string, dueAt: number): FiredTimer[] => [
      { kind: RECOVERY_CASE_KIND, id: record.id, event, dueAt },
    ];
    if (stored.value === 'awaiting_evidence' && ctx.evidenceDueAt !== null && uow.now >= ctx.evidenceDueAt) {
      const dueAt = ctx.evidenceDueAt;
      await apply(uow, snapshot, stored, { type: 'timer.expireEvidence', at: uow.now }, SYSTEM, { dueAt });
      return fired('timer.expireEvidence', dueAt);
    }
    if (stored.value === 'approved' && ctx.waitingEndsAt !== null && uow.now >= ctx.waitingEndsAt) {
      const dueAt = ctx.waitingEndsAt;
      await apply(uow, snapshot, stored, { type: 'timer.complete', at: uow.now }, SYSTEM, { dueAt });
      return fired('timer.complete', dueAt);
    }
    if (stored.value === 'completed' && stored.sessions === 'pending' && ctx.accountId !== null) {
      // After the completion commit: ends every session, including any started before it.
      const revoked = await accounts.revokeSessions(ctx.accountId, 'recovery_completed');
      save(uow, snapshot, revoked ? 'revoked' : 'not_revoked');
      if (revoked) {
        accounts.recordAccountHistory(
          uow,
          ctx.accountId,
          'account.sessions_revoked',
          { role: 'system' },
          { reason: 'recovery_completed', caseId: ctx.id },
        );
      }
      return fired('revokeSessions', ctx.endedAt ?? uow.now);
    }
    save(uow, snapshot, stored.sessions); // ends the claim; stores the deadline as it is
    return [];
  };

  return { service, onDue, policy };
}

export type RecoveryService = ReturnType<typeof createRecoveryService>['service'];
