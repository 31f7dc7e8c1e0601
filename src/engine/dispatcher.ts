import { z } from 'zod';
import { parseConfiguration, refuseConfiguration } from '../_lib/parse-configuration.js';
import { commonErrors } from '../errors.js';
import type { Mailer, MailMessage } from '../ports/mailer.js';
import type { OutboxChannel, OutboxClaim, OutboxMessage } from '../ports/outbox-store.js';
import type { SmsMessage, SmsSender } from '../ports/sms-sender.js';
import type { Storage } from '../ports/storage.js';
import { readSendFailure } from './send-failure.js';

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
  /**
   * Longest wait for one send, in whole ms from 1 to a day and below `leaseMs` (CONFIGURATION_INVALID):
   * a send not settled by then is a failed attempt like a retryable error (`send timed out after N ms`),
   * its `signal` aborts, its late result is ignored; a later send of a round starts only if it fits in
   * the lease left. Default half of `leaseMs`, at most 30 s.
   */
  sendTimeoutMs?: number;
}

/** The longest default send timeout; under a lease shorter than a minute the default is half the lease. */
export const DEFAULT_SEND_TIMEOUT_MS = 30_000;

/**
 * The defaults of {@link OutboxPolicy}. No `sendTimeoutMs`: its default follows the lease, so a copy
 * with a shorter lease (`{ ...defaultOutboxPolicy, leaseMs: 1_000 }`) waits less than that lease.
 */
export const defaultOutboxPolicy: OutboxPolicy = {
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 3_600_000,
  leaseMs: 300_000,
  batchSize: 100,
};

/** Longest send timeout: a day (a setTimeout beyond 2^31 - 1 ms fires at once, timing out every send). */
const MAX_SEND_TIMEOUT_MS = 86_400_000;

const sendTimeoutSchema = z.number().int().min(1).max(MAX_SEND_TIMEOUT_MS).optional();

/**
 * The policy's `sendTimeoutMs`, checked where a dispatcher or an event delivery is created (0, NaN or
 * Infinity would fire the timer at once and fail every send; one at or above `leaseMs` would let a
 * send outlive its claim), or else `min(30 s, floor(leaseMs / 2))` (at least 1 ms), never refused.
 * Refuses with CONFIGURATION_INVALID naming `field` (e.g. `policy.outbox.sendTimeoutMs`).
 */
export function resolveSendTimeout(policy: OutboxPolicy, field: string): number {
  const given = parseConfiguration(sendTimeoutSchema, policy.sendTimeoutMs, field, 'whole ms from 1 to a day');
  if (given === undefined) {
    const half = Math.floor(policy.leaseMs / 2); // NaN only for a lease that is not a number
    return Number.isNaN(half) ? DEFAULT_SEND_TIMEOUT_MS : Math.min(DEFAULT_SEND_TIMEOUT_MS, Math.max(1, half));
  }
  const why = `${field} must be below leaseMs (${policy.leaseMs} ms): a longer send would outlive its claim.`;
  return given < policy.leaseMs ? given : refuseConfiguration(field, why);
}

/**
 * Runs one send bounded by `timeoutMs`: when it has not settled by then, `signal` aborts and this
 * rejects with a retryable `send timed out after N ms`. What the abandoned send does later is
 * ignored (its rejection is caught, never unhandled), and the timer is cleared as soon as either
 * side settles, so it never keeps a process alive. Real time, not the injected clock: a send's
 * wait is the provider's, and a manual clock in tests must not fire it.
 */
export async function sendWithin(
  timeoutMs: number,
  send: (signal: AbortSignal) => Promise<void> | void,
): Promise<void> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = Object.assign(new Error(`send timed out after ${timeoutMs} ms`), {
        name: 'TimeoutError',
        retryable: true,
      });
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  const sending = (async () => send(controller.signal))();
  sending.catch(() => undefined); // a late rejection of an abandoned send
  try {
    await Promise.race([sending, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Bounds of one dispatch call. */
export interface DispatchOptions {
  /**
   * Most messages this call claims (in rounds of `policy.batchSize`): 1 to 1,000,000 (`Infinity` is
   * refused; call again while `more` to drain). Default `DEFAULT_DISPATCH_LIMIT` (500).
   */
  limit?: number;
  /**
   * Milliseconds (0 to 3,600,000), read on the dispatcher's `now`, after which no new round is
   * claimed; the round in hand is always finished, and the first round is always claimed. Default
   * `DEFAULT_DISPATCH_BUDGET_MS` (5 s). Whole numbers only; anything else is INVALID_INPUT.
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
   * may be due, or left a message whose lease ended before its send: call again at once. False
   * when the last round found the outbox drained.
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
   * `more: true`, and the next call retries it. Calls may overlap (the worker's loop and a direct
   * `desk.dispatchOutbox()`): a message one call is sending is skipped by the other. A message whose
   * lease ended before its send started is not sent under that lease; the next claim takes it. A
   * claim whose lease had ended before it returned (`leaseMs` shorter than the claim itself) rejects
   * with `CONFIGURATION_INVALID` when the call has done nothing else, rather than claiming again
   * without end; otherwise the call ends with `more: true` and the next call rejects.
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
 * - a send that reached the provider but threw (a timeout), or had not settled after `policy.sendTimeoutMs`
 *   (default 30 s, or half a shorter lease; its late result is ignored): it counts as failed and is retried
 *   after the backoff with the same key; the sender sees the key again, crash or not.
 * A live process whose acknowledgement failed never sends the message again itself, and two of its
 * calls that overlap never both send one message (a message one call is sending is skipped by the
 * other, and the send settles under the newest claim this process holds).
 * Before each send the message's lease is checked: one whose lease ended before its send started
 * is left to the next claim, so a dispatcher whose lease ran out mid-batch does not send the rest of
 * its batch while another dispatcher does. Only a send still in progress when its lease ends can be
 * repeated by another process that claimed the message meanwhile, with the same key.
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
  const sendTimeoutMs = resolveSendTimeout(policy, 'policy.outbox.sendTimeoutMs');
  const channels: OutboxChannel[] = [];
  if (senders.email) channels.push('email');
  if (senders.sms) channels.push('sms');
  // Sent by this process, acknowledgement unconfirmed, with the claim it was sent under: retry = storage
  // must still be told; false = storage no longer shows that claim (delivered, or claimed again elsewhere).
  const sent = new Map<string, { retry: boolean; claim: OutboxClaim }>();
  // Being sent by this process right now, with the newest claim it holds on the message: an overlapping
  // call that claims it again (the send outlived its lease) skips it and hands its claim to the send.
  const sending = new Map<string, OutboxClaim>();

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

  /**
   * Sends one claimed message and settles it. `settled` covers a message left alone because this
   * process is sending it already; `lapsed`, one whose lease ended before its send could start;
   * `storage-failed`, a settlement or acknowledgement storage did not take. Counts its send in `round`.
   */
  async function deliver(message: OutboxMessage, result: DispatchResult, round: { sends: number }): Promise<Delivery> {
    if (sent.has(message.id)) return (await acknowledge(message.id, message)) ? 'settled' : 'storage-failed';
    if (sending.has(message.id)) {
      sending.set(message.id, claimOf(message)); // the send in hand settles under this newer claim
      return 'settled';
    }
    // Strictly before now: a claim is taken again once its lease end is reached, and a lease of 0 ms
    // on a clock that does not move is still ours. After the round's first send, a send must also fit
    // in what is left of the lease, or it could outlive the claim and be sent again elsewhere.
    const left = message.claimedUntil === null ? Infinity : message.claimedUntil - now();
    if (left < 0 || (round.sends > 0 && left < sendTimeoutMs)) return 'lapsed';
    sending.set(message.id, claimOf(message));
    round.sends++;
    try {
      const context = { idempotencyKey: message.idempotencyKey, attempt: message.attempts };
      try {
        // Bounded: a send that never settles would hold this loop, and worker.stop(), for ever.
        await sendWithin(sendTimeoutMs, (signal) =>
          message.channel === 'email'
            ? senders.email!.send(message.payload as unknown as MailMessage, { ...context, signal })
            : senders.sms!.send(message.payload as unknown as SmsMessage, { ...context, signal }),
        );
      } catch (error) {
        return (await settleFailure(message, sending.get(message.id)!, error, result)) ? 'settled' : 'storage-failed';
      }
      result.delivered++;
      return (await acknowledge(message.id, sending.get(message.id)!)) ? 'settled' : 'storage-failed';
    } finally {
      sending.delete(message.id); // only once settled: until then an overlapping call must not send it
    }
  }

  async function settleFailure(
    message: OutboxMessage,
    claim: OutboxClaim,
    error: unknown,
    result: DispatchResult,
  ): Promise<boolean> {
    const { reason, final } = readSendFailure(error);
    // Settled under the claim it was sent with, also when the send outlived the lease: the
    // storage's fence refuses the settlement if another dispatcher claimed the message since,
    // and otherwise it takes its backoff, its error and, at the last attempt, its dead letter
    // (left unsettled, a send that always fails after the lease would be retried without end).
    try {
      // A sender that says the failure is final (`retryable: false`, e.g. SMTP 5xx) is believed: retrying
      // a refused address only burns the recipient's budget and the provider's patience.
      if (claim.attempts >= policy.maxAttempts || final) {
        if (await storage.markDead(message.id, reason, now(), claim)) result.dead++;
      } else {
        const retryAt = now() + retryDelay(policy, claim.attempts);
        if (await storage.markFailed(message.id, retryAt, reason, claim)) result.failed++;
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
        const round = { sends: 0 };
        let storageHealthy = true;
        let lapsed = 0;
        let lapsedBeforeAnySend = false;
        for (const message of batch) {
          const outcome = await deliver(message, result, round);
          if (outcome === 'storage-failed') storageHealthy = false;
          if (outcome === 'lapsed') {
            lapsed++;
            if (round.sends === 0) lapsedBeforeAnySend = true;
          }
        }
        if (lapsedBeforeAnySend) {
          // The lease ended before this round could send anything under it (after a send, a lapse is
          // that send's length, and the next round sends the rest): claiming again would only repeat
          // it, one more attempt each time, so say so instead of looping.
          const elapsed = now() - at;
          const error = commonErrors.raise(
            'CONFIGURATION_INVALID',
            { field: 'leaseMs', leaseMs: policy.leaseMs, elapsedMs: elapsed },
            `The outbox lease of ${policy.leaseMs} ms ended ${elapsed} ms after its claim started, before ` +
              'anything was sent under it. Raise policy.outbox.leaseMs.',
          );
          if (result.delivered + result.failed + result.dead === 0) throw error;
          result.more = true; // the next call reports it
          return result;
        }
        // An empty round is drained whatever its size asked for (a size of 0 must not look full). A
        // round that left lapsed messages or could not settle is not: those are due again at once.
        if (storageHealthy && lapsed === 0 && (batch.length === 0 || batch.length < size)) return result; // drained
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

/** What became of one claimed message in a round. */
type Delivery = 'settled' | 'storage-failed' | 'lapsed';

/** Only the fencing token of a claim, so a whole message is never handed to storage as one. */
function claimOf(claim: OutboxClaim): OutboxClaim {
  return { attempts: claim.attempts };
}
