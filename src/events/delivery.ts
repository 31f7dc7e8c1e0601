import {
  DEFAULT_DISPATCH_BUDGET_MS,
  DEFAULT_DISPATCH_LIMIT,
  defaultOutboxPolicy,
  retryDelay,
  type DispatchOptions,
  type DispatchResult,
  type OutboxPolicy,
  resolveSendTimeout,
  sendWithin,
} from '../engine/dispatcher.js';
import { readSendFailure } from '../engine/send-failure.js';
import type { Json } from '../ports/json.js';
import type { Storage } from '../ports/storage.js';
import { signWebhook } from '../webhooks/standard-webhooks.js';
import type { WebhookSender } from '../webhooks/webhook-sender.js';
import type { DomainEvent } from './catalogue.js';

/** The record kind of delivery cursors (one record per named cursor). */
export const EVENT_CURSOR_KIND = 'event_cursor';

/** The history type written on the cursor when an event used its last attempt. */
export const EVENT_DEAD_LETTER = 'event_cursor.dead_lettered';

/** The stored state of a delivery cursor. */
export interface EventCursorState {
  /** The `seq` of the last event delivered or dead-lettered. */
  position: number;
  /** Failed attempts of the event after `position`. */
  attempts: number;
  /** When the event after `position` may be tried again (epoch ms), or null. */
  retryAt: number | null;
  /** The instance holding the cursor, and until when; another instance waits for the lease to end. */
  leaseOwner: string | null;
  leaseUntil: number | null;
  lastError: string | null;
}

/** Options of {@link createEventDelivery}. */
export interface EventDeliveryOptions {
  sender: WebhookSender;
  /** `whsec_<base64>` secret(s) the payloads are signed with (several during a rotation). */
  secret: string | readonly string[];
  /** The cursor's id: one per destination. Default `webhooks`. */
  cursor?: string;
  /**
   * Attempts, backoff, lease, batch and send timeout, as for the outbox. Default {@link defaultOutboxPolicy}.
   * A `sendTimeoutMs` that is not whole ms from 1 to a day, or not below `leaseMs`, is CONFIGURATION_INVALID
   * (`webhooks.policy.sendTimeoutMs`); without one a send waits `min(30 s, floor(leaseMs / 2))`.
   */
  policy?: OutboxPolicy;
  /** This instance's lease owner id; must differ between instances. Default a random UUID. */
  instanceId?: string;
}

/** What one delivery call did (same shape as the outbox dispatcher's). */
export type EventDeliveryResult = DispatchResult;

/** A long-lived event delivery: it remembers what it sent until the cursor stored it. */
export interface EventDelivery {
  /**
   * Delivers the events after the cursor, in feed order, within the bounds (default 500 events,
   * 5 s; the budget is checked before each event, and the first event of a call always goes).
   * Stops early, `more: false`, while another instance holds the cursor or while the next event
   * waits for its retry; stops with `more: true` when its lease ran out before a send and another
   * instance has taken the cursor meanwhile. Rejects only when storage or signing (a secret that is
   * not base64) fails before anything was sent, and a signing failure never uses an attempt of the event.
   */
  deliver(options?: DispatchOptions): Promise<EventDeliveryResult>;
}

const initial: EventCursorState = {
  position: 0,
  attempts: 0,
  retryAt: null,
  leaseOwner: null,
  leaseUntil: null,
  lastError: null,
};

/**
 * At-least-once delivery of the event feed to a {@link WebhookSender}, through a durable cursor
 * record (`event_cursor`). Every move of the cursor is a versioned commit, so two workers never
 * both advance it; the worker holding it keeps a lease, renewed (`now + leaseMs`) each time it
 * stores the cursor, so the other waits instead of sending the same events. Before each send the
 * holder checks its lease; if it ran out, it renews it through a versioned commit, which fails if
 * another instance took the cursor meanwhile: then it stops without sending. Events go one at a
 * time in feed order (each record's events in the order they happened); a failing event is retried
 * with the outbox's backoff, holding back the ones after it, and after `maxAttempts`, or at once
 * when the sender's error says `retryable: false` (as the outbox does), it is
 * dead-lettered (a history entry on the cursor) and the cursor moves on. What a receiver sees: each
 * event id at least once; twice only when the cursor was not stored after a send before another
 * instance took over (the process died, or storage failed for longer than the lease), a single send
 * outlasted the lease (another instance took the cursor and sent the event again), or the send
 * failed after the receiver took it (a send not settled within `policy.sendTimeoutMs`, default 30 s or
 * half a shorter lease, is such a failure: `delivery.signal` aborts, it is retried, its late result ignored).
 */
export function createEventDelivery(storage: Storage, now: () => number, options: EventDeliveryOptions): EventDelivery {
  const cursorId = options.cursor ?? 'webhooks';
  const policy = options.policy ?? defaultOutboxPolicy;
  const sendTimeoutMs = resolveSendTimeout(policy, 'webhooks.policy.sendTimeoutMs');
  const me = options.instanceId ?? crypto.randomUUID();
  // The last seq this process sent and the receiver accepted; a failed cursor write never makes
  // this process send it again (it only advances the cursor next time).
  let sentUpTo = 0;
  // One call at a time per delivery: two overlapping calls would both hold this instance's lease
  // and send the same events (a second worker on one desk). The later call returns at once.
  let running = false;

  const delivery: EventDelivery = {
    async deliver(bounds: DispatchOptions = {}): Promise<EventDeliveryResult> {
      if (running) return { delivered: 0, failed: 0, dead: 0, more: false };
      running = true;
      try {
        return await deliverOnce(bounds);
      } finally {
        running = false;
      }
    },
  };
  return delivery;

  async function deliverOnce(bounds: DispatchOptions): Promise<EventDeliveryResult> {
    {
      const limit = Math.max(1, Math.floor(bounds.limit ?? DEFAULT_DISPATCH_LIMIT));
      const budgetMs = bounds.budgetMs ?? DEFAULT_DISPATCH_BUDGET_MS;
      const result: EventDeliveryResult = { delivered: 0, failed: 0, dead: 0, more: false };
      const started = now();

      const record = await storage.load(EVENT_CURSOR_KIND, cursorId);
      let version = record?.version ?? 0;
      let state: EventCursorState = { ...initial, ...((record?.state as Partial<EventCursorState> | null) ?? {}) };
      const at = now();
      if (state.leaseOwner !== me && state.leaseUntil !== null && state.leaseUntil > at) return result;
      if (state.retryAt !== null && state.retryAt > at) return result;

      /** True while the lease this call stored is ours and has not ended. */
      function leaseHeld(): boolean {
        return state.leaseOwner === me && state.leaseUntil !== null && state.leaseUntil > now();
      }

      /** Stores the cursor (guarded by its version): false when another writer moved it. */
      async function save(next: EventCursorState, history: Json[] = []): Promise<boolean> {
        const committed = await storage.commit({
          writes: [
            {
              kind: EVENT_CURSOR_KIND,
              id: cursorId,
              expectedVersion: version,
              state: next as unknown as Json,
              nextDueAt: null,
            },
          ],
          history: history.map((data) => ({
            kind: EVENT_CURSOR_KIND,
            id: cursorId,
            at: now(),
            type: EVENT_DEAD_LETTER,
            actor: { role: 'system' },
            data,
          })),
          outbox: [],
          idempotency: [],
        });
        if (committed === null) return false;
        version = committed.versions[0] ?? version + 1;
        state = next;
        return true;
      }

      if (!(await save({ ...state, leaseOwner: me, leaseUntil: at + policy.leaseMs }))) return result;
      const release = { leaseOwner: null, leaseUntil: null };
      /** The lease renewed from now: every store of the cursor while working carries it. */
      const held = () => ({ leaseOwner: me, leaseUntil: now() + policy.leaseMs });
      /** Stores the cursor's progress (renewing the lease): false when another writer moved it. */
      const advance = (position: number, lastError: string | null, history: Json[] = []) =>
        save({ ...state, ...held(), position, attempts: 0, retryAt: null, lastError }, history);

      let handled = 0;
      try {
        for (;;) {
          const size = Math.min(policy.batchSize, limit - handled);
          const page = (await storage.readEvents({ after: state.position, limit: size })) as DomainEvent[];
          for (const event of page) {
            // The budget is checked per event, not per page: a page of slow sends would hold the
            // loop (and the lease) for the whole page. The first event of a call always goes.
            if (handled > 0 && now() - started >= budgetMs) {
              await save({ ...state, ...release });
              result.more = true;
              return result;
            }
            handled++;
            if (event.seq <= sentUpTo) {
              // Sent by this process already; only the cursor write was lost.
              if (!(await advance(event.seq, null))) return result;
              continue;
            }
            const attempt = state.attempts + 1;
            const body = JSON.stringify(event);
            // Signed outside the send's failure path: a bad secret is the host's configuration, not
            // the receiver's failure, so it rejects the call (below) and uses no attempt of the event.
            const headers = await signWebhook({
              id: event.id,
              timestamp: Math.floor(now() / 1000),
              body,
              secret: options.secret,
            });
            // Our lease ran out since the cursor was last stored (a slow read): take it back through a
            // versioned commit before sending. If that fails, another instance holds the cursor now
            // and may be sending this very event.
            if (!leaseHeld() && !(await save({ ...state, ...held() }))) {
              result.more = true;
              return result;
            }
            try {
              // Bounded like the outbox: a send that never settles would hold the cursor's lease and stop().
              await sendWithin(sendTimeoutMs, (signal) =>
                options.sender.send(event, { idempotencyKey: event.id, attempt, headers, body, signal }),
              );
            } catch (error) {
              const { reason, final } = readSendFailure(error);
              // As the outbox: a failure the sender marks final (`retryable: false`, e.g. 410 Gone) is
              // believed and dead-lettered at once, instead of holding back the later events.
              if (attempt >= policy.maxAttempts || final) {
                const dead = { eventId: event.id, seq: event.seq, type: event.type, attempts: attempt, error: reason };
                if (!(await advance(event.seq, reason, [dead]))) return result;
                result.dead++;
                continue;
              }
              result.failed++;
              const retryAt = now() + retryDelay(policy, attempt);
              await save({ ...state, ...release, attempts: attempt, retryAt, lastError: reason });
              return result; // later events wait: feed order is kept
            }
            result.delivered++;
            sentUpTo = event.seq;
            if (!(await advance(event.seq, null))) return result;
          }
          if (page.length < size) {
            await save({ ...state, ...release });
            return result; // drained
          }
          if (handled >= limit || now() - started >= budgetMs) {
            await save({ ...state, ...release });
            result.more = true;
            return result;
          }
        }
      } catch (error) {
        // Storage or signing failed mid-call: what was sent is remembered; the lease lapses or is ours next time.
        if (result.delivered + result.dead + result.failed === 0) throw error;
        result.more = true;
        return result;
      }
    }
  }
}
