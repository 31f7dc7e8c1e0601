import { createMemoryStorage } from './adapters/memory/index.js';
import { z } from 'zod';
import {
  checkOptionKeys,
  checkPolicySections,
  checkPorts,
  checkPublicBaseUrl,
  checkSecrets,
  checkTicketOptions,
  checkWebhooks,
  resolveOutboxPolicy,
  withSealedOutbox,
  type PolicySectionCheck,
} from './configuration.js';
import { createEventDelivery } from './events/delivery.js';
import { readEvents, type EventFeedPage, type ReadEventsInput } from './events/reader.js';
import type { SealingKey, SealingKeyring } from './security/sealing.js';
import type { WebhookSender } from './webhooks/webhook-sender.js';
import { parseInput } from './engine/validate.js';
import type { CoreDeps } from './engine/deps.js';
import { createDispatcher, type DispatchOptions, type DispatchResult, type OutboxPolicy } from './engine/dispatcher.js';
import { createWorker, type RunningWorker, type WorkerOptions } from './engine/worker.js';
import { commonErrors } from './errors.js';
import { createIdGenerator } from './engine/ids.js';
import { sweepDueTimers, type SweepOptions, type SweepResult } from './engine/timers.js';
import { resolveSendingBudget, withSendingBudget, type SendingBudgetPolicy } from './engine/sending-budget.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from './messages/locales.js';
import { systemClock, type Clock } from './ports/clock.js';
import type { IdGenerator } from './ports/id-generator.js';
import type { Mailer } from './ports/mailer.js';
import type { OutboxMessage, OutboxStatus } from './ports/outbox-store.js';
import { webCryptoRandom, type RandomSource } from './ports/random-source.js';
import type { SmsSender } from './ports/sms-sender.js';
import type { Storage } from './ports/storage.js';
import { createAccountService, type AccountService } from './accounts/service.js';
import type { AccountLinks } from './accounts/context.js';
import { resolveAccountPolicy, type AccountPolicyOverrides } from './accounts/policy.js';
import type { PasswordHasher } from './ports/password-hasher.js';
import type { SessionRevoker } from './ports/session-revoker.js';
import { createLoginService, LOGIN_FLOW_KIND, type LoginService } from './login/service.js';
import { resolveLoginPolicy, type LoginPolicyOverrides } from './login/policy.js';
import { resolveTicketPolicy, type TicketPolicyOverrides } from './tickets/policy.js';
import { createTicketService, type TicketService } from './tickets/service.js';
import type { TicketOptions } from './tickets/options.js';
import { resolveRecoveryPolicy, type RecoveryPolicyOverrides } from './recovery/policy.js';
import { RECOVERY_CASE_KIND } from './recovery/case-record.js';
import { createRecoveryService, type RecoveryService } from './recovery/service.js';
import { createSessionService, type SessionService } from './sessions/service.js';
import { resolveSessionPolicy, type SessionPolicyOverrides } from './sessions/policy.js';
import { createFactorService, type FactorService } from './factors/service.js';
import type { FactorPolicyOverrides } from './factors/factor-kit.js';
import { createPrivacyService, type PrivacyService } from './privacy/service.js';
import { resolveRetentionPolicy, type RetentionPolicyOverrides } from './privacy/retention.js';

// Exactly the public `SweepOptions` / `DispatchOptions` (their doc comments state these ranges): keep them in step.
const sweepOptionsSchema = z
  .strictObject({
    batchSize: z.number().int().min(1).max(10_000).optional(),
    leaseMs: z.number().int().min(1_000).max(86_400_000).optional(),
    limit: z.number().int().min(1).max(1_000_000).optional(),
    budgetMs: z.number().int().min(0).max(3_600_000).optional(),
  })
  .optional();

const dispatchOptionsSchema = z
  .strictObject({
    limit: z.number().int().min(1).max(1_000_000).optional(),
    budgetMs: z.number().int().min(0).max(3_600_000).optional(),
  })
  .optional();

const outboxQuerySchema = z
  .strictObject({
    status: z.enum(['pending', 'claimed', 'delivered', 'dead']).optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
  })
  .optional();

/**
 * Overrides of the defaults. Every field is optional. Each section's defaults are listed on its
 * docs page (docs/tickets.md, accounts.md, login.md, recovery.md, factors.md, sessions.md,
 * engine.md, privacy.md); docs/security.md lists the security defaults with their sources.
 */
export interface HelpdeskPolicy {
  tickets?: TicketPolicyOverrides;
  accounts?: AccountPolicyOverrides;
  login?: LoginPolicyOverrides;
  recovery?: RecoveryPolicyOverrides;
  /** Second factors: step-up age (default 15 min), code lifetime (5 min) and attempts (5), TOTP issuer, email-change limits. */
  factors?: FactorPolicyOverrides;
  /**
   * Outbox delivery (default 8 attempts, backoff 30 s doubling up to 1 h, lease 5 min, 100 per round). Checked at
   * createHelpdesk (CONFIGURATION_INVALID): whole numbers, at least 1 attempt and 1 per round, a lease of at least 1 s.
   */
  outbox?: Partial<OutboxPolicy>;
  /** One budget per recipient for every mail and SMS (default 10 SMS per number, 20 mails per address per 24 h; security notices have a reserve of 3). */
  sending?: Partial<SendingBudgetPolicy>;
  /** Session expiry (default idle 12 h, absolute 30 days) and remembered devices (default 30 days). */
  sessions?: SessionPolicyOverrides;
  /** How long spent data is kept (outbox payloads, login flows, codes and tokens: 7 days; closed tickets: off). */
  retention?: RetentionPolicyOverrides;
}

/**
 * The sections of {@link HelpdeskPolicy}, each with the resolver that checks its values at
 * createHelpdesk: a key of `policy` not listed here is refused there.
 */
const POLICY_SECTIONS: Readonly<Record<keyof HelpdeskPolicy, PolicySectionCheck>> = {
  tickets: resolveTicketPolicy,
  accounts: resolveAccountPolicy,
  login: resolveLoginPolicy,
  recovery: resolveRecoveryPolicy,
  factors: true, // resolveFactorPolicy refuses with CONFIGURATION_INVALID itself
  outbox: true, // resolveOutboxPolicy, below
  sending: resolveSendingBudget,
  sessions: resolveSessionPolicy,
  retention: resolveRetentionPolicy,
};

/** Options of {@link createHelpdesk}. Everything has a default except `secrets` for accounts and login. */
export interface HelpdeskOptions {
  /** Default: in-memory storage (`helpdesk-core/memory`). */
  storage?: Storage;
  /** Default: none — mail stays in the outbox, readable with `desk.outbox()`. */
  mailer?: Mailer;
  /** Default: none — SMS stay in the outbox. */
  sms?: SmsSender;
  /** Default: the system clock. Tests and the demo pass a `ManualClock`. */
  clock?: Clock;
  /** Default: Web Crypto. */
  random?: RandomSource;
  /** The host's ticket fields (a zod object) and where agents are told of replies. Default: the fleet fields, no agent mail. */
  tickets?: TicketOptions;
  /** Default: time-sortable ids from the clock and `random`. */
  ids?: IdGenerator;
  policy?: HelpdeskPolicy;
  /**
   * Pepper for hashing codes and tokens: at least 32 bytes (CONFIGURATION_INVALID otherwise). Required by
   * accounts, login and recovery; keep it out of the database.
   */
  secrets?: {
    pepper: string;
    /**
     * AES-GCM key for the secret-bearing parts of outbox messages (codes, link tokens, temporary
     * passwords) while they wait to be sent: base64 of 32 bytes, a `CryptoKey`, or a keyring
     * `{ current, keys }` for rotation. They are erased from the payload once delivered or dead.
     * Default: a per-process key with the embedded in-memory storage; with a host storage, set it
     * (without it, pending messages hold their secrets in clear, as before 0.2.0; they are still
     * erased once delivered or dead).
     */
    encryptionKey?: SealingKey | SealingKeyring;
  };
  /**
   * Delivers the domain event feed (`desk.events.read`) to a webhook receiver, signed per Standard
   * Webhooks, from the worker's `events` loop. Default: none (read the feed with `desk.events.read`).
   */
  webhooks?: {
    sender: WebhookSender;
    /** `whsec_<base64>` secret(s), decoded at createHelpdesk (CONFIGURATION_INVALID when one is not base64). */
    secret: string | readonly string[];
    cursor?: string;
    /** Attempts, backoff, lease and batch, checked like `policy.outbox`. */
    policy?: Partial<OutboxPolicy>;
  };
  /** Locale of messages when a recipient has none. Default `en`. */
  locale?: Locale;
  /** Password hashing. Default: PBKDF2-SHA-256 with 600,000 iterations (Web Crypto). */
  passwordHasher?: PasswordHasher;
  /** Ends a user's sessions after a password reset or change. Default: none. */
  sessionRevoker?: SessionRevoker;
  /** Base URL of activation, reset and cancel links: an absolute http(s) URL (default `https://helpdesk.invalid`). */
  publicBaseUrl?: string;
  links?: AccountLinks;
}

/** The helpdesk: the services, the timer sweep and the outbox dispatcher. */
export interface Helpdesk {
  tickets: TicketService;
  /** Registration, activation, password and username recovery, organisations, permissions, phone numbers. */
  accounts: AccountService;
  /** Login flows: identifier → password → SMS code (→ new password), phone-number login, step-up. */
  login: LoginService;
  /** Lost-factor recovery cases: open, evidence, review, approval (four eyes for a main administrator), waiting period. */
  recovery: RecoveryService;
  /** The sessions the library vouches for (`verify(token)` → AuthContext), and remembered devices. */
  sessions: SessionService;
  /** The caller's second factors (SMS, email code, TOTP, backup codes), the organisation's factor rules, email change. */
  factors: FactorService;
  /**
   * GDPR export and erasure of a person (see docs/privacy.md). Works on both shipped adapters; a host
   * storage without the privacy capability answers PRIVACY_STORE_MISSING.
   */
  privacy: PrivacyService;
  /**
   * Fires due deadlines (auto-resolve, reminders, closing, ...) through guarded timer events.
   * Safe to run from many instances at once. With `limit` / `budgetMs` the call is bounded and
   * says `more: true` when it stopped early; without them it drains what is due.
   */
  runDueTimers(options?: SweepOptions): Promise<SweepResult>;
  /**
   * Delivers pending mail and SMS through the configured senders, with retries and backoff; at
   * most `limit` messages (default 500) or `budgetMs` (default 5 s) per call (`more: true` when
   * more is due). One dispatcher per desk: a send whose acknowledgement failed is acknowledged
   * later, never sent again by this process.
   */
  dispatchOutbox(options?: DispatchOptions): Promise<DispatchResult>;
  /**
   * Runs the timer sweep and the outbox as separate bounded loops until `signal` aborts: the
   * host's one background job (see docs/operations.md). Errors go to `onError` and are retried
   * with backoff; it never rejects. Its options are checked here: CONFIGURATION_INVALID naming the
   * field (e.g. `worker.interval`).
   */
  worker(options?: WorkerOptions): RunningWorker;
  /** Reads the outbox (e.g. when no mailer is configured). */
  outbox(query?: { status?: OutboxStatus; limit?: number }): Promise<OutboxMessage[]>;
  /**
   * The durable feed of domain events (`ticket.created`, `login.locked`, `recovery.approved`, ...;
   * catalogue and schemas in docs/events.md), written in the same commit as the change: read it
   * with a cursor, `read({ after, limit })` → `{ events, next }`, at least once and in commit order.
   */
  events: {
    /** Returns the events after `after` (default 0: the start), at most `limit` (default 100), and `next`. */
    read(input?: ReadEventsInput): Promise<EventFeedPage>;
  };
}

/** Builds a helpdesk from its ports. See the README for a ten-line example. */
export function createHelpdesk(options: HelpdeskOptions = {}): Helpdesk {
  if (options === null || typeof options !== 'object') {
    throw commonErrors.raise('CONFIGURATION_INVALID', {}, 'createHelpdesk expects an options object.');
  }
  const locale = options.locale ?? DEFAULT_LOCALE;
  if (!isLocale(locale)) {
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      { locale },
      `Unknown locale "${String(locale)}"; expected en, hu, el or nl.`,
    );
  }
  checkOptionKeys(options);
  checkSecrets(options.secrets);
  checkPublicBaseUrl(options.publicBaseUrl);
  checkPorts(options);
  // The policy as given, its null sections left out (each section then takes its defaults).
  const policy = checkPolicySections(options.policy, POLICY_SECTIONS);
  checkTicketOptions(options.tickets);
  checkWebhooks(options.webhooks);
  const outboxPolicy = resolveOutboxPolicy(policy?.outbox, 'policy.outbox');
  const webhookPolicy = options.webhooks ? resolveOutboxPolicy(options.webhooks.policy, 'webhooks.policy') : null;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? webCryptoRandom;
  const sending: SendingBudgetPolicy = resolveSendingBudget(policy?.sending);
  // The privacy service reaches the store below the outbox sealing and the sending budget.
  const baseStorage = options.storage ?? createMemoryStorage();
  const deps: CoreDeps = {
    storage: withSendingBudget(withSealedOutbox(options, random, baseStorage), sending),
    clock,
    random,
    ids: options.ids ?? createIdGenerator(clock, random),
    locale,
    sending,
  };
  const tickets = createTicketService(deps, resolveTicketPolicy(policy?.tickets ?? {}), {
    ...options.tickets,
    pepper: options.secrets?.pepper,
    publicBaseUrl: options.publicBaseUrl,
  });
  const accounts = createAccountService(deps, {
    pepper: options.secrets?.pepper,
    ...(options.passwordHasher ? { hasher: options.passwordHasher } : {}),
    ...(options.sessionRevoker ? { sessionRevoker: options.sessionRevoker } : {}),
    ...(policy?.accounts ? { policy: policy.accounts } : {}),
    ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
    ...(options.links ? { links: options.links } : {}),
  });
  const sessions = createSessionService(deps, accounts.repository, policy?.sessions ?? {});
  const factors = createFactorService(deps, {
    pepper: options.secrets?.pepper,
    encryptionKey: options.secrets?.encryptionKey,
    ...(policy?.factors ? { policy: policy.factors } : {}),
  });
  const login = createLoginService(deps, accounts.repository, {
    policy: policy?.login ?? {},
    sessions: sessions.issuer,
    factors: factors.login,
  });
  const recovery = createRecoveryService(deps, {
    tickets: tickets.service,
    accounts: accounts.repository,
    policy: policy?.recovery ?? {},
    ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
  });
  const handlers = {
    ticket: tickets.onDue,
    [LOGIN_FLOW_KIND]: login.onDue,
    [RECOVERY_CASE_KIND]: recovery.onDue,
    ...sessions.onDue,
  };

  const dispatcher = createDispatcher(
    deps.storage,
    () => clock.now(),
    { email: options.mailer, sms: options.sms },
    outboxPolicy,
  );
  const webhooks = options.webhooks;
  const delivery =
    webhooks && webhookPolicy
      ? createEventDelivery(deps.storage, () => clock.now(), {
          sender: webhooks.sender,
          secret: webhooks.secret,
          ...(webhooks.cursor !== undefined ? { cursor: webhooks.cursor } : {}),
          policy: webhookPolicy,
        })
      : null;
  const privacy = createPrivacyService({
    storage: deps.storage,
    store: baseStorage,
    clock,
    ids: deps.ids,
    ...(options.secrets?.pepper !== undefined ? { pepper: options.secrets.pepper } : {}),
    ...(policy?.retention ? { retention: policy.retention } : {}),
  });
  const runDueTimers = async (sweep?: SweepOptions) => {
    const fired = await sweepDueTimers(
      deps.storage,
      clock.now(),
      handlers,
      parseInput(sweepOptionsSchema, sweep, 'sweep options'),
    );
    await privacy.sweep(); // unfinished erasures and one bounded retention slice
    return fired;
  };
  const dispatch = async (bounds?: DispatchOptions) =>
    dispatcher.dispatch(parseInput(dispatchOptionsSchema, bounds, 'dispatch options'));

  return {
    tickets: tickets.service,
    accounts: accounts.service,
    login: login.service,
    recovery: recovery.service,
    sessions: sessions.service,
    factors: factors.service,
    privacy: privacy.service,
    runDueTimers,
    dispatchOutbox: dispatch,
    worker: (workerOptions) =>
      createWorker(
        {
          runDueTimers,
          dispatchOutbox: dispatch,
          ...(delivery ? { deliverEvents: (bounds: DispatchOptions) => delivery.deliver(bounds) } : {}),
        },
        workerOptions,
      ),
    events: { read: (input) => readEvents(deps.storage, input) },
    outbox: async (query) => deps.storage.listOutbox(parseInput(outboxQuerySchema, query, 'outbox query')),
  };
}
