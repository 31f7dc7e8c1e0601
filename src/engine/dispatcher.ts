import type { Mailer, MailMessage } from '../ports/mailer.js';
import type { OutboxChannel, OutboxClaim, OutboxMessage } from '../ports/outbox-store.js';
import type { SmsMessage, SmsSender } from '../ports/sms-sender.js';
import type { Storage } from '../ports/storage.js';

/** Delivery policy of the outbox dispatcher. */
export interface OutboxPolicy {
  /** Attempts before a message goes to `dead`. Default 8. */
  maxAttempts: number;
  /** Delay before the second attempt; doubles each time. Default 30 s. */
  baseDelayMs: number;
  /** Upper bound of the delay. Default 1 h. */
  maxDelayMs: number;
  /** How long a claimed message is held before another dispatcher may take it. Default 5 min. */
  leaseMs: number;
  /** Messages claimed per round. Default 100. */
  batchSize: number;
}

/** The defaults of {@link OutboxPolicy}. */
export const defaultOutboxPolicy: OutboxPolicy = {
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 3_600_000,
  leaseMs: 300_000,
  batchSize: 100,
};

/** Bounds of one dispatch call. */
export interface DispatchOptions {
  /**
   * Most messages this call claims (in rounds of `policy.batchSize`). Must be positive;
   * `Infinity` drains the outbox. Default `DEFAULT_DISPATCH_LIMIT` (500).
   */
  limit?: number;
  /**
   * Milliseconds, read on the dispatcher's `now`, after which no new round is claimed; the round
   * in hand is always finished, and the first round is always claimed. Default
   * `DEFAULT_DISPATCH_BUDGET_MS` (5 s).
   */
  budgetMs?: number;
}

/** Messages one dispatch call claims by default: a call must not hold the process for the whole outbox. */
export const DEFAULT_DISPATCH_LIMIT = 500;
/** Time budget of one dispatch call by default. */
export const DEFAULT_DISPATCH_BUDGET_MS = 5_000;

/** What one dispatch call did. */
export interface DispatchResult {
  /** Messages the senders accepted in this call (counted once, even if their acknowledgement is still pending). */
  delivered: number;
  /** Failed sends put back with a backoff. */
  failed: number;
  /** Failed sends that used their last attempt. */
  dead: number;
  /**
   * True when the call stopped because of its limit, its budget or a storage failure while more
   * may be due: call again at once. False when the last round found the outbox drained.
   */
  more: boolean;
}

/** Exponential backoff after `attempts` failed attempts. */
export function retryDelay(policy: OutboxPolicy, attempts: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

/** The senders a dispatcher delivers through; a channel without one is left in the outbox. */
export interface OutboxSenders {
  email?: Mailer | undefined;
  sms?: SmsSender | undefined;
}

/** A long-lived dispatcher: it remembers what it sent until storage has acknowledged it. */
export interface Dispatcher {
  /**
   * Retries pending acknowledgements first (rejecting, before claiming anything, if storage still
   * fails), then delivers due messages within the bounds. Rejects when a claim fails; a failed
   * acknowledgement or settlement does not reject: it ends the call after the round in hand with
   * `more: true`, and the next call retries it.
   */
  dispatch(options?: DispatchOptions): Promise<DispatchResult>;
  /** Messages this dispatcher sent whose acknowledgement has not reached storage yet. */
  readonly unacknowledged: number;
}

/** How many sent-but-unconfirmed ids a dispatcher keeps once storage no longer shows its claim. */
const SETTLED_ELSEWHERE_CAP = 10_000;

/**
 * Creates a dispatcher that delivers each message at most once from this live process. When a
 * send succeeds and `markDelivered` throws (the database dropped the connection), the id is kept
 * in memory: the next call acknowledges it before claiming new work, and if the message is
 * claimed again meanwhile (its lease lapsed), it is acknowledged without being sent.
 *
 * What a sender sees after a crash of the process (all attempts carry the message's stable
 * `idempotencyKey`; `attempt` counts claims, so it grows by one per claim):
 * - crash after the claim, before the send: after `leaseMs` another dispatcher sends it; the
 *   sender sees the key once.
 * - crash after the send, before the acknowledgement is stored (or the acknowledgement failed and
 *   the process died before retrying it): after `leaseMs` another dispatcher sends it again; the
 *   sender sees the key twice and must drop the second delivery.
 * - acknowledgement stored but its answer lost (the connection dropped after the commit): nothing
 *   is sent again; the retry finds the message no longer claimed and forgets it.
 * - a send that reached the provider but threw (a timeout): it counts as failed and is retried after
 *   the backoff with the same key; the sender sees the key again, crash or not.
 * A live process whose acknowledgement failed never sends the message again itself; another
 * process may, with the same key, if it claims the message after the lease lapsed and before
 * this one's retry.
 *
 * Every settlement carries the claim it settles (`{ attempts }`, the port's fencing token), so a
 * dispatcher whose send outlived its lease cannot settle the message once another claimed it.
 * Without that, its `markFailed` would put the other's live claim back to `pending` and a third
 * dispatcher would send the message while the second still is. (A host storage that ignores the
 * claim keeps the old, unfenced behaviour.)
 */
export function createDispatcher(
  storage: Storage,
  now: () => number,
  senders: OutboxSenders,
  policy: OutboxPolicy = defaultOutboxPolicy,
): Dispatcher {
  const channels: OutboxChannel[] = [];
  if (senders.email) channels.push('email');
  if (senders.sms) channels.push('sms');
  // Sent by this process, acknowledgement unconfirmed, with the claim it was sent under: retry = storage
  // must still be told; false = storage no longer shows that claim (delivered, or claimed again elsewhere).
  const sent = new Map<string, { retry: boolean; claim: OutboxClaim }>();

  function remember(id: string, claim: OutboxClaim, retry: boolean): void {
    sent.delete(id); // re-inserted last, so the oldest forgotten entries go first
    sent.set(id, { retry, claim });
    if (sent.size <= SETTLED_ELSEWHERE_CAP) return;
    for (const [oldest, entry] of sent) {
      if (sent.size <= SETTLED_ELSEWHERE_CAP) break;
      if (!entry.retry) sent.delete(oldest);
    }
  }

  /** Stores an acknowledgement of a sent message: true when the call may go on, false when storage failed. */
  async function acknowledge(id: string, claim: OutboxClaim): Promise<boolean> {
    try {
      if (await storage.markDelivered(id, now(), claimOf(claim))) sent.delete(id);
      else remember(id, claim, false);
      return true;
    } catch {
      remember(id, claim, true);
      return false;
    }
  }

  async function retryAcknowledgements(): Promise<void> {
    for (const [id, { retry, claim }] of [...sent]) {
      if (!retry) continue;
      // A rejection ends the call here: storage is still failing, so claiming would fail too.
      // Under the claim it was sent with: if the lease lapsed and another process claimed the
      // message meanwhile, that claim is theirs to settle (they send it again with the same key).
      if (await storage.markDelivered(id, now(), claimOf(claim))) sent.delete(id);
      else remember(id, claim, false);
    }
  }

  /** Sends one claimed message and settles it; false when storage failed while settling. */
  async function deliver(message: OutboxMessage, result: DispatchResult): Promise<boolean> {
    if (sent.has(message.id)) return acknowledge(message.id, message); // already sent by this process
    const context = { idempotencyKey: message.idempotencyKey, attempt: message.attempts };
    try {
      if (message.channel === 'email') await senders.email!.send(message.payload as unknown as MailMessage, context);
      else await senders.sms!.send(message.payload as unknown as SmsMessage, context);
    } catch (error) {
      return settleFailure(message, error, result);
    }
    result.delivered++;
    return acknowledge(message.id, message);
  }

  async function settleFailure(message: OutboxMessage, error: unknown, result: DispatchResult): Promise<boolean> {
    const reason = error instanceof Error ? error.message : String(error);
    // Settled under the claim it was sent with, also when the send outlived the lease: the
    // storage's fence refuses the settlement if another dispatcher claimed the message since,
    // and otherwise it takes its backoff, its error and, at the last attempt, its dead letter
    // (left unsettled, a send that always fails after the lease would be retried without end).
    try {
      // A sender that says the failure is final (`retryable: false`, e.g. SMTP 5xx) is believed: retrying
      // a refused address only burns the recipient's budget and the provider's patience.
      if (message.attempts >= policy.maxAttempts || isFinalFailure(error)) {
        if (await storage.markDead(message.id, reason, now(), claimOf(message))) result.dead++;
      } else {
        const retryAt = now() + retryDelay(policy, message.attempts);
        if (await storage.markFailed(message.id, retryAt, reason, claimOf(message))) result.failed++;
      }
      return true;
    } catch {
      return false; // nothing was sent: the claim lapses and the message is tried again after leaseMs
    }
  }

  return {
    get unacknowledged() {
      let count = 0;
      for (const pending of sent.values()) if (pending.retry) count++;
      return count;
    },

    async dispatch(options: DispatchOptions = {}): Promise<DispatchResult> {
      const limit = Math.max(1, Math.floor(options.limit ?? DEFAULT_DISPATCH_LIMIT));
      const budgetMs = options.budgetMs ?? DEFAULT_DISPATCH_BUDGET_MS;
      const result: DispatchResult = { delivered: 0, failed: 0, dead: 0, more: false };
      await retryAcknowledgements();
      if (channels.length === 0) return result;
      const started = now();
      let claimed = 0;
      for (;;) {
        const at = now();
        const size = Math.min(policy.batchSize, limit - claimed);
        const batch = await storage.claimOutbox(channels, at, at + policy.leaseMs, size);
        claimed += batch.length;
        let storageHealthy = true;
        for (const message of batch) if (!(await deliver(message, result))) storageHealthy = false;
        // An empty round is drained whatever its size asked for (a size of 0 must not look full).
        if (batch.length === 0 || batch.length < size) return result; // drained
        if (!storageHealthy || claimed >= limit || now() - started >= budgetMs) {
          result.more = true;
          return result;
        }
      }
    },
  };
}

/**
 * Delivers due outbox messages through the configured senders, within `options` (default: at
 * most 500 messages and 5 s; see {@link DispatchOptions}). A one-off call: it cannot remember an
 * acknowledgement that failed after a send, so a long-running host must keep one
 * {@link createDispatcher} instead. A channel without a sender is left alone: its messages stay
 * pending and readable. Each message's idempotency key goes to the sender, so a redelivery after
 * a crash can be dropped there.
 */
export async function dispatchOutbox(
  storage: Storage,
  now: () => number,
  senders: OutboxSenders,
  policy: OutboxPolicy = defaultOutboxPolicy,
  options: DispatchOptions = {},
): Promise<DispatchResult> {
  return createDispatcher(storage, now, senders, policy).dispatch(options);
}

/** Only the fencing token of a claim, so a whole message is never handed to storage as one. */
function claimOf(claim: OutboxClaim): OutboxClaim {
  return { attempts: claim.attempts };
}

/** True when the sender marked the error as final (`retryable === false`, as the shipped adapters do). */
function isFinalFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === false;
}
