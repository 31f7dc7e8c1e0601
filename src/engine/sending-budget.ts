import type { Json } from '../ports/json.js';
import type { OutboxMessageInput } from '../ports/outbox-store.js';
import type { RecordWrite, Storage, Commit } from '../ports/storage.js';
import { eventsFromHistory } from '../events/from-history.js';
import { RATE_WINDOW_KIND, type RateWindowState } from '../security/rate-limiter.js';

/**
 * One budget per recipient for everything the library sends (DESIGN §5 "sending budget"): every
 * mail and SMS any command queues counts against its address or number, across login, password
 * reset, registration, recovery and ticket notices. Security notices that must go out (a
 * password was changed, a recovery step, a factor change) may use a small reserve beyond it.
 */
export interface SendingBudgetPolicy {
  /** SMS per number within `windowMs`. Default 10. */
  smsPerRecipient: number;
  /** Mails per address within `windowMs`. Default 20. */
  mailsPerRecipient: number;
  /** Sends beyond the budget that security notices may still use. Default 3. */
  securityReserve: number;
  /** The rolling window. Default 24 h. */
  windowMs: number;
}

export const defaultSendingBudget: SendingBudgetPolicy = {
  smsPerRecipient: 10,
  mailsPerRecipient: 20,
  securityReserve: 3,
  windowMs: 86_400_000,
};

/**
 * Templates that tell the owner about a change to their account's security. They are never
 * dropped for a budget that ordinary messages spent, only beyond the reserve.
 */
export const SECURITY_NOTICE_TEMPLATES: ReadonlySet<string> = new Set([
  'password.changed',
  'factor.enrolled',
  'organization.sms_setting_changed',
  'recovery.opened',
  'recovery.approved',
  'recovery.completed',
  'recovery.cancelled',
  'recovery.sms_opened',
  'recovery.sms_approved',
  'recovery.sms_closed',
]);

/** The record kind of suppressed-notice history entries (id: `<channel>:<recipient>`). */
export const SENDING_BUDGET_KIND = 'sending_budget';

/** The rate-window id of a recipient's budget. */
export const sendingBudgetKey = (channel: string, to: string): string =>
  `send_budget:${channel}:${to.trim().toLowerCase()}`;

interface Payload {
  to?: unknown;
  template?: unknown;
}

/**
 * Decorates the storage port so that every commit that queues messages is held to the sending
 * budget: the recipients' windows (kind `rate_window`) are read and written in the same commit,
 * guarded by their versions, so concurrent commands cannot overspend (a lost race re-runs the
 * command). A message over budget is not queued; the command answers as it would have (uniform
 * answers stay uniform) and a `notice.suppressed` history entry records what was held back,
 * without its text. Everything else passes through unchanged.
 */
export function withSendingBudget(storage: Storage, policy: SendingBudgetPolicy = defaultSendingBudget): Storage {
  async function budgeted(commit: Commit): Promise<Commit> {
    const windows = new Map<string, { version: number; hits: number[] }>();
    const outbox: OutboxMessageInput[] = [];
    const history = [...commit.history];
    const suppressed: typeof history = [];
    for (const message of commit.outbox) {
      const payload = (message.payload ?? {}) as Payload;
      if (typeof payload.to !== 'string') {
        outbox.push(message);
        continue;
      }
      const key = sendingBudgetKey(message.channel, payload.to);
      let window = windows.get(key);
      if (!window) {
        const record = await storage.load(RATE_WINDOW_KIND, key);
        const since = message.availableAt - policy.windowMs;
        const hits = ((record?.state as RateWindowState | undefined)?.hits ?? []).filter((at) => at > since);
        window = { version: record?.version ?? 0, hits };
        windows.set(key, window);
      }
      const limit = message.channel === 'sms' ? policy.smsPerRecipient : policy.mailsPerRecipient;
      const security = typeof payload.template === 'string' && SECURITY_NOTICE_TEMPLATES.has(payload.template);
      if (window.hits.length < limit + (security ? policy.securityReserve : 0)) {
        window.hits.push(message.availableAt);
        outbox.push(message);
      } else {
        suppressed.push({
          kind: SENDING_BUDGET_KIND,
          id: `${message.channel}:${payload.to}`,
          at: message.availableAt,
          type: 'notice.suppressed',
          actor: { role: 'system' },
          data: { template: typeof payload.template === 'string' ? payload.template : null, reason: 'budget' } as Json,
        });
      }
    }
    const writes: RecordWrite[] = [...commit.writes];
    for (const [key, window] of windows) {
      if (writes.some((w) => w.kind === RATE_WINDOW_KIND && w.id === key)) continue;
      writes.push({
        kind: RATE_WINDOW_KIND,
        id: key,
        expectedVersion: window.version,
        state: { hits: window.hits },
        nextDueAt: null,
      });
    }
    // The entries added here are derived into events like every other entry (the same mapping).
    history.push(...suppressed);
    const events = [...(commit.events ?? []), ...eventsFromHistory(suppressed)];
    return { ...commit, writes, outbox, history, events };
  }

  // Spelled out rather than proxied: when the port grows, the compiler asks for the new method here.
  return {
    commit: async (commit) => storage.commit(commit.outbox.length === 0 ? commit : await budgeted(commit)),
    load: (kind, id) => storage.load(kind, id),
    list: (kind, query) => storage.list(kind, query),
    history: (kind, id) => storage.history(kind, id),
    claimDue: (now, leaseUntil, limit) => storage.claimDue(now, leaseUntil, limit),
    claimOutbox: (channels, now, leaseUntil, limit) => storage.claimOutbox(channels, now, leaseUntil, limit),
    markDelivered: (id, at) => storage.markDelivered(id, at),
    markFailed: (id, retryAt, error) => storage.markFailed(id, retryAt, error),
    markDead: (id, error) => storage.markDead(id, error),
    listOutbox: (query) => storage.listOutbox(query),
    nextSequence: (name) => storage.nextSequence(name),
    getIdempotency: (scope, key) => storage.getIdempotency(scope, key),
    readEvents: (page) => storage.readEvents(page),
  };
}
