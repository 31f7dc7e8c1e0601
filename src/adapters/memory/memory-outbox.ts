import { flatString } from '../../_lib/flat-string.js';
import { MinHeap } from '../../_lib/min-heap.js';
import { SortedIds } from '../../_lib/sorted-ids.js';
import type {
  OutboxChannel,
  OutboxClaim,
  OutboxMessage,
  OutboxMessageInput,
  OutboxStatus,
} from '../../ports/outbox-store.js';

/** Base-36 digits of a queue position: 36^11 > 2^53, so every safe integer fits and sorts as a string. */
const POSITION_WIDTH = 11;
/** Stale entries the claim heap may hold beyond twice the live ones before it is rebuilt. */
const STALE_SLACK = 1024;

/**
 * The memory adapter's outbox. Every message has a queue position (the order it was queued,
 * across commits). Claims come out by (availableAt, position), so messages due at the same
 * instant leave in the order they were queued, also after a retry (issue 13). A per-status
 * index in queue order makes `list({ status, limit })` cost what it returns, not the outbox size.
 * Like the rest of the memory adapter, no method awaits: each runs as one step.
 */
export class MemoryOutbox {
  /** By id; a Map keeps insertion order, which is queue order (a message is never re-inserted). */
  private readonly messages = new Map<string, OutboxMessage>();
  private readonly positions = new Map<string, number>();
  /** Per status: queue position (fixed-width base 36) followed by the id. */
  private readonly byStatus = new Map<OutboxStatus, SortedIds>();
  /**
   * (time it becomes claimable, queue position) → id, with lazy deletion of stale entries: a
   * claim skips them, and `compactReady` rebuilds the heap once they outnumber the live ones.
   */
  private ready = new MinHeap<string>();
  private queued = 0;

  /** Whether a message with this id is in the outbox (a settled message deleted by retention is not). */
  has(id: string): boolean {
    return this.messages.has(id);
  }

  /**
   * Queues a message as `pending` with `payload` (the input's, copied and frozen by the caller, who
   * must also have checked `has(id)`). Taking the copy apart saves building the message twice.
   */
  enqueue(input: OutboxMessageInput, payload: OutboxMessage['payload']): void {
    const position = this.queued++;
    this.positions.set(input.id, position);
    this.put(undefined, {
      id: flatString(input.id),
      channel: input.channel,
      payload,
      idempotencyKey: flatString(input.idempotencyKey),
      availableAt: input.availableAt,
      status: 'pending',
      attempts: 0,
      claimedUntil: null,
      lastError: null,
      deliveredAt: null,
    });
    this.ready.push(input.availableAt, input.id, position);
  }

  /** The port's `claimOutbox`: due messages of `channels`, in (availableAt, queue position) order. */
  claim(channels: readonly OutboxChannel[], now: number, leaseUntil: number, limit: number): OutboxMessage[] {
    const out: OutboxMessage[] = [];
    const skipped: Array<[number, string, number]> = [];
    // Lease entries go in after the loop: a lease ending at `now` must not hand this call the message twice.
    const leased: Array<[number, string, number]> = [];
    while (out.length < limit) {
      const top = this.ready.peekKey();
      if (top === undefined || top > now) break;
      const { key: at, value: id } = this.ready.pop()!;
      const message = this.messages.get(id);
      if (!message) continue;
      const claimable =
        (message.status === 'pending' && message.availableAt <= now) ||
        (message.status === 'claimed' && message.claimedUntil !== null && message.claimedUntil <= now);
      if (!claimable) continue; // stale entry
      const position = this.positions.get(id)!;
      if (!channels.includes(message.channel)) {
        skipped.push([at, id, position]);
        continue;
      }
      const claimed = withChange(message, {
        status: 'claimed',
        attempts: message.attempts + 1,
        claimedUntil: leaseUntil,
      });
      this.put(message, claimed);
      leased.push([leaseUntil, id, position]); // reclaimable if the dispatcher dies
      out.push(withChange(claimed, {}));
    }
    for (const [at, id, position] of skipped) this.ready.push(at, id, position);
    for (const [at, id, position] of leased) this.ready.push(at, id, position);
    return out;
  }

  /**
   * Applies `change` to a claimed message; returns false, changing nothing, if it is not claimed or,
   * with `claim`, if a later claim took it (its `attempts` moved on: the port's fencing token).
   */
  settle(id: string, change: Partial<OutboxMessage>, claim?: OutboxClaim): boolean {
    const message = this.messages.get(id);
    if (!message || message.status !== 'claimed') return false;
    if (claim !== undefined && claim.attempts !== message.attempts) return false;
    const next = withChange(message, change);
    this.put(message, next);
    if (next.status === 'pending') this.ready.push(next.availableAt, id, this.positions.get(id)!);
    else this.compactReady(); // its lease entry is stale now
    return true;
  }

  /** The port's `erasePayload`: replaces the payload of a settled message; the caller must have frozen it. */
  replaceSettledPayload(id: string, payload: OutboxMessage['payload']): boolean {
    const message = this.messages.get(id);
    if (!message || (message.status !== 'delivered' && message.status !== 'dead')) return false;
    this.put(message, withChange(message, { payload }));
    return true;
  }

  /**
   * The privacy port's `redactOutbox`: any status but claimed; a pending message is settled dead.
   * A recorded `lastError` becomes `reason` too: a provider's refusal quotes the address (SMTP 550).
   */
  redact(id: string, payload: OutboxMessage['payload'], reason: string): boolean {
    const message = this.messages.get(id);
    if (!message || message.status === 'claimed') return false;
    const dead = message.status === 'pending' ? { status: 'dead' as const } : {};
    const lastError = message.status === 'pending' || message.lastError !== null ? reason : null;
    this.put(message, withChange(message, { payload, lastError, ...dead }));
    this.compactReady();
    return true;
  }

  /** The privacy port's `deleteSettledOutbox`: a delivered or dead message leaves every index. */
  deleteSettled(id: string): boolean {
    const message = this.messages.get(id);
    if (!message || (message.status !== 'delivered' && message.status !== 'dead')) return false;
    this.byStatus.get(message.status)?.delete(this.statusKey(id));
    this.messages.delete(id);
    this.positions.delete(id);
    return true; // a settled message has no live entry in `ready` (claim skips stale ones)
  }

  /** The privacy port's `scanOutbox`: messages queued after position `after`, in queue order. */
  scan(after: number, limit: number): Array<{ position: number; message: OutboxMessage }> {
    const out: Array<{ position: number; message: OutboxMessage }> = [];
    for (const message of this.messages.values()) {
      if (out.length >= limit) break;
      const position = this.positions.get(message.id)! + 1; // 1-based, so 0 reads from the start
      if (position > after) out.push({ position, message: withChange(message, {}) });
    }
    return out;
  }

  /** The port's `listOutbox`: queue order, optionally one status, at most `limit`. */
  list(query: { status?: OutboxStatus; limit?: number }): OutboxMessage[] {
    const limit = query.limit ?? Infinity;
    const out: OutboxMessage[] = [];
    if (limit <= 0) return out;
    if (query.status === undefined) {
      for (const message of this.messages.values()) {
        out.push(withChange(message, {}));
        if (out.length >= limit) break;
      }
      return out;
    }
    for (const key of this.byStatus.get(query.status)?.from(undefined) ?? []) {
      out.push(withChange(this.messages.get(key.slice(POSITION_WIDTH))!, {}));
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * Rebuilds `ready` from the pending and claimed messages once the stale entries outnumber the
   * live ones by STALE_SLACK: settled messages' lease entries are otherwise only dropped by a claim
   * that reaches them, and a store nobody claims from kept one per delivered message. The rebuild
   * is O(live log live) after at least live + STALE_SLACK settlements: O(log n) amortised.
   */
  private compactReady(): void {
    const pending = this.byStatus.get('pending');
    const claimed = this.byStatus.get('claimed');
    if (this.ready.size <= 2 * ((pending?.size ?? 0) + (claimed?.size ?? 0)) + STALE_SLACK) return;
    const ready = new MinHeap<string>();
    for (const ids of [pending, claimed]) {
      for (const key of ids?.from(undefined) ?? []) {
        const id = key.slice(POSITION_WIDTH);
        const message = this.messages.get(id)!;
        const at = message.status === 'claimed' ? message.claimedUntil! : message.availableAt;
        ready.push(at, id, this.positions.get(id)!);
      }
    }
    this.ready = ready;
  }

  /** Stores `next` and moves it between the status indexes when its status changed. */
  private put(previous: OutboxMessage | undefined, next: OutboxMessage): void {
    this.messages.set(next.id, next);
    if (previous?.status === next.status) return;
    const key = this.statusKey(next.id);
    if (previous) this.byStatus.get(previous.status)?.delete(key);
    let ids = this.byStatus.get(next.status);
    if (!ids) this.byStatus.set(next.status, (ids = new SortedIds()));
    ids.add(key);
  }

  private statusKey(id: string): string {
    return this.positions.get(id)!.toString(36).padStart(POSITION_WIDTH, '0') + id;
  }
}

/**
 * A copy of `message` with `change` applied, built as a literal with the port's fields in a fixed
 * order: a spread copy gets a hidden class of its own on Node 20 (see memory-storage.ts).
 */
function withChange(message: OutboxMessage, change: Partial<OutboxMessage>): OutboxMessage {
  return {
    id: change.id ?? message.id,
    channel: change.channel ?? message.channel,
    payload: change.payload !== undefined ? change.payload : message.payload,
    idempotencyKey: change.idempotencyKey ?? message.idempotencyKey,
    availableAt: change.availableAt ?? message.availableAt,
    status: change.status ?? message.status,
    attempts: change.attempts ?? message.attempts,
    claimedUntil: change.claimedUntil !== undefined ? change.claimedUntil : message.claimedUntil,
    lastError: change.lastError !== undefined ? change.lastError : message.lastError,
    deliveredAt: change.deliveredAt !== undefined ? change.deliveredAt : message.deliveredAt,
  };
}
