import {
  chargedOwnerWindow,
  suppression,
  type Payload,
  defaultSendingBudget,
  SECURITY_NOTICE_TEMPLATES,
  sendingBudgetKey,
  SUPPORT_SUFFIX,
  type SendingBudgetPolicy,
} from './sending-budget-policy.js';
import type { Json } from '../ports/json.js';
import type { OutboxMessageInput } from '../ports/outbox-store.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { BatchRead, Commit, CommitResult, RecordWrite, Storage } from '../ports/storage.js';
import { eventsFromHistory } from '../events/from-history.js';
import { jitter } from '../_lib/jitter.js';
import { keyTurns } from '../_lib/key-turns.js';
import { RATE_WINDOW_KIND, rateWindowState, type RateWindowState } from '../security/rate-limiter.js';

export {
  SENDING_BUDGET_KIND,
  defaultSendingBudget,
  mailboxOf,
  sendingBudgetKey,
  resolveSendingBudget,
  SECURITY_NOTICE_TEMPLATES,
  type SendingBudgetPolicy,
} from './sending-budget-policy.js';

/** Options of {@link withSendingBudget}. */
export interface SendingBudgetOptions {
  /**
   * How many recipients' windows the wrapper remembers between commands (least recently used
   * leave first); 0 turns the cache off, so every budgeted commit loads its windows. Default 10,000.
   */
  cacheSize?: number;
  /** A monotonic millisecond clock for how long a cached window is trusted. Default `performance.now()`. */
  elapsed?: () => number;
}

/** How often a commit is budgeted and sent again after other processes moved its windows. */
const MAX_ROUNDS = 16;
/** How long a commit waits for its turn behind others to the same recipient before it goes ahead. */
const TURN_WAIT_MS = 2_000;

/** Whether the budget let the same messages through (the same ids, in order) in two rounds. */
const sameMessages = (a: readonly OutboxMessageInput[], b: readonly OutboxMessageInput[]) =>
  a.length === b.length && a.every((m, i) => m.id === b[i]!.id);

/** A commit held to the budget, and the windows it writes (by the version each was read at). */
interface Budgeted {
  commit: Commit;
  windows: Map<string, WrittenWindow>;
  /** Whether a `checked` message was held back: the commit is refused, and its command re-runs. */
  heldChecked: boolean;
}

/** A window a commit writes: the version it was read at, and its hits with this commit's. */
type WrittenWindow = Pick<CachedWindow, 'version' | 'hits'>;

/** A recipient's window as this wrapper last read or wrote it. */
interface CachedWindow {
  version: number;
  hits: readonly number[];
  /** When this wrapper read or wrote it (on `SendingBudgetOptions.elapsed`). */
  at: number;
}

/**
 * How long a cached window may hold a send back on its own word. A send held back writes nothing,
 * so no guard corrects a window deleted below this wrapper (an erasure, a host's rolled-back
 * transaction): an older entry is read again first. A command's own read of the window (a submit
 * reads it in its batch) is fresh, so its round trips stay as they are.
 */
const HOLD_TRUST_MS = 1_000;

/** Ids of the rate windows the budget owns (other rate windows, e.g. login attempts, are not cached). */
const isBudgetKey = (kind: string, id: string) => kind === RATE_WINDOW_KIND && id.startsWith('send_budget:');

/**
 * Decorates the storage port so that every commit that queues messages is held to the sending
 * budget: the recipients' windows (kind `rate_window`) are read and written in the same commit,
 * guarded by their versions, so concurrent commands cannot overspend (a lost race re-runs the
 * command). A message over budget is not queued; the command answers as it would have (uniform
 * answers stay uniform) and a `notice.suppressed` history entry records what was held back,
 * without its text. Everything else passes through unchanged.
 *
 * Windows are cached per wrapper (issue 16: a load per commit was a database round trip per
 * command). A cached window is only a guess: it is written with its cached version as
 * `expectedVersion`, so when another writer (another desk, process or wrapper) moved it the
 * commit misses its guard, the entry is dropped and the command re-runs on a fresh load. An
 * entry is updated only after its commit succeeded, and dropped after any commit that failed or
 * wrote a window itself. Loads of budget windows through this wrapper (`load`, `readBatch`) fill
 * the cache too, so a command can prefetch its recipient's window in a read it makes anyway.
 */
export function withSendingBudget(
  storage: Storage,
  policy: SendingBudgetPolicy = defaultSendingBudget,
  options: SendingBudgetOptions = {},
): Storage {
  const cacheSize = options.cacheSize ?? 10_000;
  const elapsed = options.elapsed ?? (() => performance.now());
  /** Recipient key → window; a Map iterates in insertion order, so re-inserting on use makes it an LRU. */
  const cache = new Map<string, CachedWindow>();
  const inTurn = keyTurns(TURN_WAIT_MS);

  function remember(key: string, window: CachedWindow): void {
    if (cacheSize <= 0) return;
    cache.delete(key);
    cache.set(key, window);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
  }

  function observe(kind: string, id: string, record: StoredRecord | null): void {
    if (!isBudgetKey(kind, id)) return;
    const hits = (record?.state as RateWindowState | undefined)?.hits;
    remember(id, { version: record?.version ?? 0, hits: Array.isArray(hits) ? [...hits] : [], at: elapsed() });
  }

  /**
   * Whether a cached window can stand for the stored one as of `since` (hits after it count). A
   * cached window with no hit after `since` is over: retention may have deleted it since, and
   * another writer re-created it up to the very version cached (a stale guess that would then pass
   * its version guard), so it is read again rather than trusted.
   */
  const trusted = (cached: CachedWindow | undefined, since: number): cached is CachedWindow =>
    cached !== undefined && (cached.version === 0 || cached.hits.some((at) => at > since));

  /** Several records in one round trip on a store with `readBatch`. */
  async function loadAll(reads: readonly { kind: string; id: string }[]): Promise<(StoredRecord | null)[]> {
    if (reads.length > 1 && storage.readBatch)
      return (await storage.readBatch(reads.map((r) => ({ op: 'load', ...r }) as const))) as (StoredRecord | null)[];
    return Promise.all(reads.map((r) => storage.load(r.kind, r.id)));
  }

  /**
   * The windows of `keys` (each with its `since`): cached ones that can be trusted, the others read
   * in one round trip on a store with `readBatch` (a mail to the requester and two CC'd colleagues
   * whose windows this process does not hold costs one read, not three) and remembered. Cached
   * entries older than {@link HOLD_TRUST_MS} are named in `stale`.
   */
  async function windowsOf(keys: ReadonlyMap<string, number>, stale?: Set<string>): Promise<Map<string, CachedWindow>> {
    const found = new Map<string, CachedWindow>();
    const missing: string[] = [];
    const now = elapsed();
    for (const [key, since] of keys) {
      const cached = cache.get(key);
      if (trusted(cached, since)) {
        found.set(key, cached);
        if (now - cached.at >= HOLD_TRUST_MS) stale?.add(key);
      } else missing.push(key);
    }
    const records = await loadAll(missing.map((id) => ({ kind: RATE_WINDOW_KIND, id })));
    missing.forEach((key, i) => {
      const record = records[i] ?? null;
      const window = {
        version: record?.version ?? 0,
        hits: (record?.state as RateWindowState | undefined)?.hits ?? [],
        at: now,
      };
      remember(key, window);
      found.set(key, window);
    });
    return found;
  }

  /**
   * The commit held to the budget. A window taken from the cache a while ago ({@link HOLD_TRUST_MS})
   * that would hold a send back is read again first.
   */
  async function budgeted(commit: Commit): Promise<Budgeted> {
    const first = await budgetOnce(commit);
    if (first.heldByStale.size === 0) return first;
    for (const key of first.heldByStale) cache.delete(key);
    return budgetOnce(commit);
  }

  async function budgetOnce(commit: Commit): Promise<Budgeted & { heldByStale: Set<string> }> {
    const stale = new Set<string>();
    const heldByStale = new Set<string>();
    let heldChecked = false;
    // Every recipient's window first (one read for those not cached), then each message in order.
    const wanted = new Map<string, number>();
    /** Per recipient window: how many of this commit's messages may count in it, and whether one is support's. */
    const queued = new Map<string, { sms: boolean; count: number; support: boolean }>();
    for (const message of commit.outbox) {
      const payload = (message.payload ?? {}) as Payload;
      if (typeof payload.to !== 'string') continue;
      if (payload.budget === 'owner' && chargedOwnerWindow(commit, message.channel, payload.to)) continue;
      const key = sendingBudgetKey(message.channel, payload.to);
      if (!wanted.has(key)) wanted.set(key, message.availableAt - policy.windowMs);
      const counted = queued.get(key) ?? { sms: message.channel === 'sms', count: 0, support: false };
      queued.set(key, {
        ...counted,
        count: counted.count + 1,
        support: counted.support || payload.budget === 'support',
      });
    }
    const known = wanted.size === 0 ? new Map<string, CachedWindow>() : await windowsOf(wanted, stale);
    // Support's own window is read only when the budget may be spent by this commit's end (rare):
    // a command's usual round trips stay as they are.
    const overflows = new Map<string, number>();
    for (const [key, { sms, count, support }] of queued) {
      const since = wanted.get(key)!;
      const limit = sms ? policy.smsPerRecipient : policy.mailsPerRecipient;
      if (support && known.get(key)!.hits.filter((at) => at > since).length + count > limit)
        overflows.set(`${key}${SUPPORT_SUFFIX}`, since);
    }
    if (overflows.size > 0) {
      for (const [key, window] of await windowsOf(overflows, stale)) known.set(key, window);
      for (const [key, since] of overflows) wanted.set(key, since);
    }
    const windows = new Map<string, { version: number; hits: number[]; spent: boolean }>();
    const windowOf = (key: string) => {
      let window = windows.get(key);
      if (!window) {
        const since = wanted.get(key)!;
        const read = known.get(key)!;
        window = { version: read.version, hits: read.hits.filter((at) => at > since), spent: false };
        windows.set(key, window);
      }
      return window;
    };
    const outbox: OutboxMessageInput[] = [];
    const history = [...commit.history];
    const suppressed: typeof history = [];
    for (const message of commit.outbox) {
      const payload = (message.payload ?? {}) as Payload;
      if (typeof payload.to !== 'string') {
        outbox.push(message);
        continue;
      }
      const limit = message.channel === 'sms' ? policy.smsPerRecipient : policy.mailsPerRecipient;
      const charged = payload.budget === 'owner' ? chargedOwnerWindow(commit, message.channel, payload.to) : null;
      if (charged) {
        // The command checked the account's allowance and wrote its hit: the message goes when the
        // window it wrote is within the allowance (a command that skipped the check is held back).
        const since = message.availableAt - policy.windowMs;
        const written = (charged.state as { hits?: unknown } | null)?.hits;
        const hits = Array.isArray(written) ? written.filter((at) => typeof at === 'number' && at > since) : [];
        if (hits.length <= limit) outbox.push(message);
        else suppressed.push(suppression(message, payload));
        continue;
      }
      const key = sendingBudgetKey(message.channel, payload.to);
      const window = windowOf(key);
      const security = typeof payload.template === 'string' && SECURITY_NOTICE_TEMPLATES.has(payload.template);
      // Support's mails beyond the budget count in a window of their own: they never spend the
      // security notices' reserve, and strangers (who stop at the budget) never spend theirs.
      const overflow =
        payload.budget === 'support' && window.hits.length >= limit ? windowOf(`${key}${SUPPORT_SUFFIX}`) : null;
      if (overflow !== null && overflow.hits.length < policy.supportReserve) {
        overflow.hits.push(message.availableAt);
        overflow.spent = true;
        outbox.push(message);
      } else if (overflow === null && window.hits.length < limit + (security ? policy.securityReserve : 0)) {
        window.hits.push(message.availableAt);
        window.spent = true;
        outbox.push(message);
      } else {
        suppressed.push(suppression(message, payload));
        for (const held of overflow === null ? [key] : [key, `${key}${SUPPORT_SUFFIX}`])
          if (stale.has(held)) heldByStale.add(held);
        if (payload.budget === 'checked') heldChecked = true;
      }
    }
    const writes: RecordWrite[] = [...commit.writes];
    for (const [key, window] of windows) {
      // A window this commit spent nothing of is not written: the sends it held back race with
      // nobody. (Hits leave a window by growing old, or with the window when an erasure deletes
      // it: hence a cached window holds sends back on its own word only for HOLD_TRUST_MS.)
      // One the command writes itself is not ours to remember.
      if (!window.spent || writes.some((w) => w.kind === RATE_WINDOW_KIND && w.id === key)) {
        windows.delete(key);
        continue;
      }
      writes.push({
        kind: RATE_WINDOW_KIND,
        id: key,
        expectedVersion: window.version,
        // Over one window after its last hit: retention deletes it then.
        state: rateWindowState(window.hits, policy.windowMs),
        nextDueAt: null,
      });
    }
    // The entries added here are derived into events like every other entry (the same mapping).
    history.push(...suppressed);
    const events = [...(commit.events ?? []), ...eventsFromHistory(suppressed)];
    return { commit: { ...commit, writes, outbox, history, events }, windows, heldChecked, heldByStale };
  }

  /** Stores a budgeted commit; the windows it wrote are remembered once stored, forgotten after a miss or a throw. */
  async function commitOnce(full: Commit, windows: ReadonlyMap<string, WrittenWindow>): Promise<CommitResult | null> {
    let result: CommitResult | null = null;
    try {
      result = await storage.commit(full);
    } finally {
      for (const [key, window] of windows) {
        if (result === null) cache.delete(key);
        else remember(key, { version: window.version + 1, hits: window.hits, at: elapsed() });
      }
    }
    return result;
  }

  /**
   * After a miss: whether to send the commit again. Its windows and the command's own guarded
   * records are read again (one round trip with `readBatch`; the windows are remembered): a moved
   * record of the command's own is its lost race (no); a moved window with the command's records
   * as they were is another sender's hit (yes).
   */
  async function worthResending(commit: Commit, windows: ReadonlyMap<string, WrittenWindow>): Promise<boolean> {
    const guards = [...commit.writes, ...(commit.deletes ?? [])];
    const reads = [
      ...[...windows.keys()].map((id) => ({ kind: RATE_WINDOW_KIND, id })),
      ...guards.map((g) => ({ kind: g.kind, id: g.id })),
    ];
    const records = await loadAll(reads);
    const versionAt = (i: number) => records[i]?.version ?? 0;
    if (guards.some((g, i) => versionAt(windows.size + i) !== g.expectedVersion)) return false;
    let moved = false;
    [...windows].forEach(([key, window], i) => {
      observe(RATE_WINDOW_KIND, key, records[i] ?? null);
      if (versionAt(i) !== window.version) moved = true;
    });
    return moved;
  }

  /**
   * Every recipient's window is written by each commit that mails it, so commands mailing one
   * address (a requester's burst of tickets, a script replying on all of one customer's tickets)
   * would lose races to each other and re-run. In one wrapper their commits take turns per
   * recipient, each on the window the one before stored (no miss). A miss on a window another
   * process moved reads it again and sends the commit again, budgeted anew, without re-running the
   * command, as long as the budget's verdict on its messages stays the same: a command may have
   * answered from the window (a login's "code sent"), so a changed verdict re-runs it. A miss on the
   * command's own records is its lost race, as before.
   */
  async function commitBudgeted(commit: Commit): Promise<CommitResult | null> {
    // A window this commit writes or deletes on its own moves past what the cache holds.
    for (const w of [...commit.writes, ...(commit.deletes ?? [])]) if (isBudgetKey(w.kind, w.id)) cache.delete(w.id);
    if (commit.outbox.length === 0) return storage.commit(commit);
    const recipients: string[] = [];
    for (const message of commit.outbox) {
      const to = (message.payload as Payload | null)?.to;
      if (typeof to === 'string') recipients.push(sendingBudgetKey(message.channel, to));
    }
    return inTurn(recipients, async () => {
      let verdict: readonly OutboxMessageInput[] | null = null;
      for (let round = 1; ; round++) {
        const { commit: full, windows, heldChecked } = await budgeted(commit);
        if (heldChecked) return null; // its command answered from the budget: re-run it on the budget as it is
        if (verdict !== null && !sameMessages(full.outbox, verdict)) return null;
        verdict ??= full.outbox;
        const result = await commitOnce(full, windows);
        if (result !== null || windows.size === 0 || round === MAX_ROUNDS) return result;
        if (!(await worthResending(commit, windows))) return null;
        if (round >= 2) await jitter(Math.min(2 ** (round - 1), 32));
      }
    });
  }

  // Spelled out rather than proxied: when the port grows, the compiler asks for the new method here.
  return {
    commit: commitBudgeted,
    load: async (kind, id) => {
      const record = await storage.load(kind, id);
      observe(kind, id, record);
      return record;
    },
    list: (kind, query) => storage.list(kind, query),
    history: (kind, id) => storage.history(kind, id),
    claimDue: (now, leaseUntil, limit) => storage.claimDue(now, leaseUntil, limit),
    claimOutbox: (channels, now, leaseUntil, limit) => storage.claimOutbox(channels, now, leaseUntil, limit),
    markDelivered: (id, at, claim) => storage.markDelivered(id, at, claim),
    markFailed: (id, retryAt, error, claim) => storage.markFailed(id, retryAt, error, claim),
    markDead: (id, error, at, claim) => storage.markDead(id, error, at, claim),
    listOutbox: (query) => storage.listOutbox(query),
    nextSequence: (name) => storage.nextSequence(name),
    getIdempotency: (scope, key) => storage.getIdempotency(scope, key),
    readEvents: (page) => storage.readEvents(page),
    ...(storage.erasePayload
      ? { erasePayload: (id: string, payload: Json) => storage.erasePayload!(id, payload) }
      : {}),
    ...(storage.readBatch
      ? {
          readBatch: async <R extends readonly BatchRead[]>(reads: R) => {
            const results = await storage.readBatch!(reads);
            reads.forEach((read, i) => {
              if (read.op === 'load') observe(read.kind, read.id, results[i] as StoredRecord | null);
            });
            return results;
          },
        }
      : {}),
  };
}
