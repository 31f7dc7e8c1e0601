import { parseLoginIdentifier, type AccountRepository } from '../accounts/account-repository.js';
import type { CoreDeps } from '../engine/deps.js';
import type { DueHandler, FiredTimer } from '../engine/timers.js';
import { runCommand, type UnitOfWork } from '../engine/unit-of-work.js';
import { parseInput } from '../engine/validate.js';
import { commonErrors } from '../errors.js';
import type { Json } from '../ports/json.js';
import { randomToken } from '../security/random.js';
import type { TicketService } from '../tickets/service.js';
import { createCaseActors, SYSTEM_ACTOR } from './actors.js';
import { caseInput, ticketFor, type CaseTicket } from './case-opening.js';
import {
  caseNotFound,
  RECOVERY_CASE_KIND,
  recoveryCases,
  toCaseView,
  toRequesterView,
  type RecoveryCaseView,
} from './case-record.js';
import { createCaseSteps } from './case-steps.js';
import { recoveryErrors } from './error-codes.js';
import { createCaseNotices, defaultCancelLink, type CancelLinkBuilder } from './notices.js';
import { resolveRecoveryPolicy, type RecoveryPolicy, type RecoveryPolicyOverrides } from './policy.js';
import type { RecoveryActor, RecoveryContext, RecoveryEvent } from './recovery-machine.js';
import type { OpenRecoveryResult, RecoveryService } from './recovery-service.js';
import { countOpen, decideOpen, type OpenDecision } from './open-limits.js';
import type { Locale } from '../messages/locales.js';
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
  type ParsedRecoveryActor,
  type AddEvidenceInput,
  type CancelInput,
} from './schemas.js';

export type { OpenRecoveryResult, RecoveryPage, RecoveryService } from './recovery-service.js';

/** Options of {@link createRecoveryService}. */
export interface RecoveryServiceOptions {
  /** Recovery cases are filed under helpdesk tickets: an existing one, or one opened here. */
  tickets: TicketService;
  /** The account gateway: account lookup and writes, the HMAC of cancel tokens, the SessionRevoker. */
  accounts: AccountRepository;
  /** Overrides of the waiting period and the evidence deadline. Default: `defaultRecoveryPolicy`. */
  policy?: RecoveryPolicyOverrides;
  /** Base URL of the default cancel link. Default `https://helpdesk.invalid`. */
  publicBaseUrl?: string;
  /** Builds the cancel link sent to the addresses on record. Default `<publicBaseUrl>/recovery/cancel?case=…&token=…`. */
  cancelLink?: CancelLinkBuilder;
}

/** What {@link createRecoveryService} returns to the composition root. */
export interface RecoveryModule {
  /** `desk.recovery`. */
  service: RecoveryService;
  /** The sweep's handler for recovery cases: evidence expiry, completion, then session revocation. */
  onDue: DueHandler;
  /** The policy in force (defaults merged with the overrides). */
  policy: RecoveryPolicy;
}

/** What a command asks of a case: the event, extra history data, the clear token of a new cancel link. */
type CaseCommand = { event: RecoveryEvent; data?: Record<string, Json>; cancelToken?: string };

/**
 * The recovery service behind `desk.recovery`. Each command is parse → load → check the actor →
 * step, in one unit of work on the case (plus the account on completion): the aggregate stores
 * the next state, the step carries out its effects and writes one history entry, and
 * everything commits at once, guarded by the versions read. Refusals store nothing.
 */
export function createRecoveryService(deps: CoreDeps, options: RecoveryServiceOptions): RecoveryModule {
  const { storage, clock, ids } = deps;
  const { accounts, tickets } = options;
  const policy = resolveRecoveryPolicy(options.policy ?? {});
  const actors = createCaseActors(accounts);
  const cancelLink = options.cancelLink ?? defaultCancelLink(options.publicBaseUrl);
  const notices = createCaseNotices({ ids, accounts, policy, cancelLink });
  const steps = createCaseSteps(accounts, notices);
  const run = <T>(handler: (uow: UnitOfWork) => Promise<T>) => runCommand(storage, () => clock.now(), handler);
  /** Pepper check up front: without it every call is CONFIGURATION_INVALID, before any write. */
  const configured = () => void accounts.codes();

  async function stored(caseId: string) {
    const record = await storage.load(RECOVERY_CASE_KIND, caseId);
    if (!record) throw caseNotFound(caseId);
    return record;
  }
  const view = async (caseId: string) => toCaseView(await stored(caseId));

  /** The answer of `open`: the same shape for a new, a joined and a held-back request. */
  async function answerOpen(caseId: string, created: boolean): Promise<OpenRecoveryResult> {
    const opened = await view(caseId);
    return {
      caseId: opened.id,
      ticketId: opened.ticketId,
      ticketNumber: opened.ticketNumber,
      status: 'awaiting_evidence',
      evidenceDueAt: opened.evidenceDueAt ?? opened.openedAt + policy.evidenceTtl,
      created,
    };
  }

  /**
   * One command on one case: load, check who acts, take the step. Answers an agent the agents'
   * view, anyone else the requester's view: the requester must not learn whether the login
   * belongs to an account (`accountFound`, `accountId`) from the answer to their own command.
   */
  async function command(
    caseId: string,
    actorInput: ParsedRecoveryActor,
    commandOf: (uow: UnitOfWork, ctx: RecoveryContext, actor: RecoveryActor) => CaseCommand | Promise<CaseCommand>,
  ) {
    configured();
    await run(async (uow) => {
      const loaded = await recoveryCases.load(uow, caseId);
      const actor = await actors.resolve(uow, loaded.snapshot.context, actorInput);
      const { event, ...rest } = await commandOf(uow, loaded.snapshot.context, actor.machine);
      await steps.take(uow, loaded, event, actor, rest);
    });
    return actorInput.role === 'agent' ? view(caseId) : toRequesterView(await stored(caseId));
  }

  /** {@link command} for a step only an agent can take (the machine refuses anyone else): the agents' view. */
  const agentCommand = async (...args: Parameters<typeof command>) => (await command(...args)) as RecoveryCaseView;

  /**
   * The case a request met (a join or a hold), when the request comes from its own requester's
   * address; null otherwise. The address is no proof (anyone may type it), so it only decides
   * where the ticket number is mailed again, never what the answer says.
   */
  async function itsRequesterCase(caseId: string, requesterEmail: string): Promise<RecoveryContext | null> {
    const record = await storage.load(RECOVERY_CASE_KIND, caseId);
    const ctx = record ? recoveryCases.fromRecord(record).snapshot.context : null;
    return ctx !== null && ctx.requesterEmail.toLowerCase() === requesterEmail.toLowerCase() ? ctx : null;
  }

  /** RATE_LIMITED for a request that met a case of its login: the same answer for whoever asks. */
  function waitForCase(retryAfter: number): never {
    throw commonErrors.raise(
      'RATE_LIMITED',
      { retryAfter },
      'A recovery request for this login is already in progress; try again later or reply to its ticket.',
    );
  }

  const service: RecoveryService = {
    async open(input) {
      configured();
      const p = parseInput(openRecoverySchema, input, 'recovery request');
      const login = parseLoginIdentifier(p.login)?.login ?? p.login;
      const given = p.ticketId !== undefined ? await tickets.get(p.ticketId) : null;
      const requesterEmail = p.requester?.email ?? given!.requesterEmail ?? '';
      // Keyed by the requester's address through the pepper's HMAC, never the address itself:
      // idempotency rows are not erased with a person (the same reason as the submit scope).
      const scope = `recovery.open:${await accounts.lookupKey('recovery-open-scope', requesterEmail)}`;
      const remember = (uow: UnitOfWork, caseId: string) => {
        if (p.idempotencyKey !== undefined) uow.idempotency(scope, p.idempotencyKey, { caseId });
      };
      // Before any ticket is opened: a repeated request, a join, or a request held back opens none.
      let decision: OpenDecision | { kind: 'earlier'; caseId: string } = await run(async (uow) => {
        if (p.idempotencyKey !== undefined) {
          const earlier = (await storage.getIdempotency(scope, p.idempotencyKey)) as { caseId: string } | null;
          if (earlier) return { kind: 'earlier' as const, caseId: earlier.caseId };
        }
        return decideOpen(uow, login, policy);
      });
      let ticket = given;
      for (;;) {
        if (decision.kind === 'earlier') return answerOpen(decision.caseId, false);
        // A case is revealed (its ticket is the requester's key to it) only in the answer that opened
        // it, or to an agent filing for the requester. Any other request that meets it is told to wait,
        // the same way whoever sent it (the requester's address is no proof: anyone may type it); a
        // join from the case's own requester address has the ticket number mailed there again. The
        // answer depends only on earlier requests for the login, never on whether an account has it.
        if (decision.kind !== 'open' && p.filedBy === undefined) {
          if (decision.kind === 'join' && (await itsRequesterCase(decision.caseId, requesterEmail)))
            await joinCase(decision.caseId);
          return waitForCase(decision.retryAfter);
        }
        if (decision.kind === 'hold') return answerOpen(decision.caseId, false);
        if (decision.kind === 'join') return joinCase(decision.caseId);
        ticket ??= await ticketFor(tickets, p, login, deps.locale);
        const opened = await openCase(ticket);
        if (opened.kind === 'open') return answerOpen(opened.caseId, true);
        // A concurrent request for the login opened its case first: this one joins it or waits.
        decision = opened;
      }

      async function joinCase(joined: string): Promise<OpenRecoveryResult> {
        await run(async (uow) => {
          const { context: ctx } = (await recoveryCases.load(uow, joined)).snapshot;
          notices.joined(uow, ctx, requesterEmail, (p.requester?.locale ?? ctx.locale) as Locale);
          recoveryCases.record(uow, joined, {
            type: 'recovery.joined',
            actor: p.filedBy ? { ...p.filedBy } : { role: 'requester', ticketId: ctx.ticketId },
            data: { channel: p.channel, lostFactor: p.lostFactor },
          });
          // Only an agent's join is replayed by its key: a replay must not hand anyone else the case.
          if (p.filedBy !== undefined) remember(uow, joined);
        });
        return answerOpen(joined, false);
      }

      /** Opens the case, deciding again inside its commit (the loads guard it): one case per race. */
      async function openCase(
        ticket: CaseTicket,
      ): Promise<Exclude<OpenDecision, { kind: 'open' }> | { kind: 'open'; caseId: string }> {
        const caseId = ids.next('rcv_');
        // Drawn for every request, known login or not, so both paths do the same work up front.
        const token = randomToken(deps.random, 32);
        const tokenHash = await actors.cancelTokenHash(caseId, token);
        return run(async (uow) => {
          const again = await decideOpen(uow, login, policy);
          if (again.kind !== 'open') return again;
          // The cases it passed over are expired here, as the sweep would, in this commit: their
          // version guards it, so no clock stepped back or lagging instance can revive one beside this.
          for (const id of again.lapsed) {
            const loaded = await recoveryCases.load(uow, id);
            const dueAt = loaded.snapshot.context.evidenceDueAt ?? uow.now;
            await steps.take(uow, loaded, { type: 'timer.expireEvidence', at: uow.now }, SYSTEM_ACTOR, {
              data: { dueAt },
            });
          }
          const account = (await accounts.findAccountByLogin(login, uow))?.value ?? null;
          const fields = { caseId, login, ticket, requesterEmail, now: uow.now };
          const { next } = recoveryCases.create(uow, caseInput(p, fields, account, tokenHash, policy));
          recoveryCases.record(uow, caseId, {
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
          notices.opened(uow, next.snapshot.context, account, token);
          await countOpen(uow, login, caseId, policy);
          remember(uow, caseId);
          return { kind: 'open' as const, caseId };
        });
      }
    },

    addEvidence: (async (input: AddEvidenceInput) => {
      const p = parseInput(addEvidenceSchema, input, 'evidence');
      return command(p.caseId, p.actor, (uow, _ctx, actor) => ({
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
    }) as RecoveryService['addEvidence'],

    async review(input) {
      const p = parseInput(reviewSchema, input, 'review');
      return agentCommand(p.caseId, p.actor, (uow, _ctx, actor) => ({
        event: { type: 'review', at: uow.now, actor, outcome: p.outcome, note: p.note ?? null, policy },
        data: { outcome: p.outcome },
      }));
    },

    async approve(input) {
      const p = parseInput(approveSchema, input, 'approval');
      return agentCommand(p.caseId, p.actor, async (uow, ctx, actor) => {
        // The account as stored now: one erased since the case was opened can never be approved.
        // Asked for an agent only: anyone else is refused by the machine, and learns nothing here.
        if (actor.role === 'agent' && ctx.accountId !== null && !(await accounts.findAccountById(ctx.accountId, uow))) {
          const status = (await recoveryCases.load(uow, ctx.id)).snapshot.value as string;
          throw commonErrors.raise(
            'TRANSITION_NOT_ALLOWED',
            { caseId: ctx.id, status, command: 'approve', actor: actor.role, reason: 'account_not_found' },
            `Cannot approve recovery case ${ctx.id}: its account no longer exists.`,
          );
        }
        // A new cancel link for the waiting period; the case keeps only its HMAC.
        const cancelToken = randomToken(deps.random, 32);
        const cancelTokenHash = await actors.cancelTokenHash(ctx.id, cancelToken);
        return {
          event: { type: 'approve', at: uow.now, actor, policy, cancelTokenHash },
          data: { waitingEndsAt: uow.now + policy.waitingPeriod },
          cancelToken,
        };
      });
    },

    async reject(input) {
      const p = parseInput(rejectSchema, input, 'rejection');
      return agentCommand(p.caseId, p.actor, (uow, _ctx, actor) => ({
        event: { type: 'reject', at: uow.now, actor, reason: p.reason },
      }));
    },

    cancel: (async (input: CancelInput) => {
      const p = parseInput(cancelSchema, input, 'cancellation');
      return command(p.caseId, p.actor, (uow, _ctx, actor) => ({ event: { type: 'cancel', at: uow.now, actor } }));
    }) as RecoveryService['cancel'],

    async get(caseId) {
      return view(parseInput(caseIdSchema, caseId, 'recovery case id'));
    },

    async getForRequester(input) {
      const p = parseInput(requesterViewSchema, input, 'recovery case');
      const requesterView = toRequesterView(await stored(p.caseId));
      if (requesterView.ticketId !== p.ticketId)
        throw recoveryErrors.raise('RECOVERY_FORBIDDEN', { caseId: p.caseId, role: 'requester' });
      return requesterView;
    },

    async list(query = {}) {
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

    async history(caseId) {
      const id = parseInput(caseIdSchema, caseId, 'recovery case id');
      await stored(id);
      return storage.history(RECOVERY_CASE_KIND, id);
    },
  };

  /**
   * Fires a case's deadline through its guarded timer event (evidence expiry, end of the
   * waiting period); after a completion, the next round revokes the account's sessions.
   * Firing late is safe, firing twice a no-op (the guards compare `at` with the deadline).
   */
  const onDue: DueHandler = async (uow, record) => {
    const loaded = recoveryCases.fromRecord(record);
    const { value, context: ctx } = loaded.snapshot;
    const fired = (event: string, dueAt: number): FiredTimer[] => [
      { kind: RECOVERY_CASE_KIND, id: record.id, event, dueAt },
    ];
    const fire = async (event: RecoveryEvent & { type: `timer.${string}` }, dueAt: number) => {
      await steps.take(uow, loaded, event, SYSTEM_ACTOR, { data: { dueAt } });
      return fired(event.type, dueAt);
    };
    if (value === 'awaiting_evidence' && ctx.evidenceDueAt !== null && uow.now >= ctx.evidenceDueAt)
      return fire({ type: 'timer.expireEvidence', at: uow.now }, ctx.evidenceDueAt);
    if (value === 'approved' && ctx.waitingEndsAt !== null && uow.now >= ctx.waitingEndsAt)
      return fire({ type: 'timer.complete', at: uow.now }, ctx.waitingEndsAt);
    if (value === 'completed' && loaded.extra.sessions === 'pending' && ctx.accountId !== null) {
      // After the completion's commit, so a session started before it cannot survive.
      await steps.revokeSessions(uow, loaded, ctx.accountId);
      return fired('revokeSessions', ctx.endedAt ?? uow.now);
    }
    recoveryCases.save(uow, loaded); // ends the claim; stores the deadline as it is
    return [];
  };

  return { service, onDue, policy };
}
