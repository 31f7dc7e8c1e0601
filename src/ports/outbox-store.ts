import type { Json } from './json.js';

/** How an outbox message goes out: by mail or by SMS. */
export type OutboxChannel = 'email' | 'sms';
/** Where an outbox message is: waiting, claimed by a dispatcher, delivered, or dead-lettered after its last attempt. */
export type OutboxStatus = 'pending' | 'claimed' | 'delivered' | 'dead';

/** A message to deliver after the commit that wrote it. */
export interface OutboxMessageInput {
  id: string;
  channel: OutboxChannel;
  /** The rendered message (a MailMessage or SmsMessage). */
  payload: Json;
  /** Handed to the Mailer / SmsSender: stable across retries. */
  idempotencyKey: string;
  /** Not before this time (epoch ms). */
  availableAt: number;
}

export interface OutboxMessage extends OutboxMessageInput {
  status: OutboxStatus;
  /** Claims so far, including the current one. */
  attempts: number;
  /** While claimed: the lease end; after it the message can be claimed again. */
  claimedUntil: number | null;
  lastError: string | null;
  deliveredAt: number | null;
}

/**
 * The claim a settlement settles: the `attempts` of the message as `claimOutbox` returned it (the
 * returned message itself will do). Every claim adds one to `attempts`, so it is a fencing token: a
 * dispatcher whose lease lapsed while another claimed the message holds an older value, and its
 * `markDelivered`, `markFailed` or `markDead` must then change nothing and return false, exactly as
 * for a message that is not claimed. Without it (host code written before 0.2.0) a settlement
 * applies to whichever claim the message is under; the dispatcher always passes it.
 */
export interface OutboxClaim {
  /** `attempts` of the message as the claim returned it. */
  attempts: number;
}

/** The outbox: written in the same commit as the state, drained by the dispatcher. */
export interface OutboxStore {
  /**
   * Must atomically claim up to `limit` messages of the given channels that are `pending` with
   * `availableAt <= now`, or `claimed` with an expired lease, set them `claimed` until `leaseUntil`,
   * add one to `attempts`, and return them. Two concurrent claims must never return the same message.
   */
  claimOutbox(
    channels: readonly OutboxChannel[],
    now: number,
    leaseUntil: number,
    limit: number,
  ): Promise<OutboxMessage[]>;
  /**
   * Must mark a claimed message delivered. Returns false (changing nothing) if it is not claimed,
   * or, with `claim`, if it is no longer held by that claim (see {@link OutboxClaim}).
   */
  markDelivered(id: string, at: number, claim?: OutboxClaim): Promise<boolean>;
  /**
   * Must put a claimed message back to `pending`, available again at `retryAt`. Returns false
   * (changing nothing) if it is not claimed, or, with `claim`, if it is no longer held by that claim.
   */
  markFailed(id: string, retryAt: number, error: string, claim?: OutboxClaim): Promise<boolean>;
  /**
   * Must mark a claimed message `dead` (no more attempts). Returns false (changing nothing) if it is
   * not claimed, or, with `claim`, if it is no longer held by that claim. With `at` (when it died)
   * the message's `availableAt` must become `at`: a dead message is never due again, and retention
   * counts its age from there (`policy.retention.outboxMessages`). Without it, `availableAt` stays.
   */
  markDead(id: string, error: string, at?: number, claim?: OutboxClaim): Promise<boolean>;
  /** Must list messages (oldest first), optionally of one status. */
  listOutbox(query?: { status?: OutboxStatus; limit?: number }): Promise<OutboxMessage[]>;
  /**
   * Optional capability (required by `withOutboxSecrets`, which erases the secrets of a message
   * once it is settled). Must replace the stored payload of a `delivered` or `dead` message with
   * `payload`, leaving nothing of the old payload readable in the store, and return true. Must
   * return false, changing nothing, when no message has this id or it is `pending` or `claimed`
   * (a message that may still be sent keeps its payload). Changes nothing else of the message.
   */
  erasePayload?(id: string, payload: Json): Promise<boolean>;
}
