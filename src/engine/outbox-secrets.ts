import type { Json } from '../ports/json.js';
import type { OutboxMessage, OutboxMessageInput } from '../ports/outbox-store.js';
import type { RandomSource } from '../ports/random-source.js';
import type { Storage } from '../ports/storage.js';
import {
  createSealer,
  isSealed,
  type Sealed,
  type Sealer,
  type SealingKey,
  type SealingKeyring,
} from '../security/sealing.js';
import { commonErrors } from '../errors.js';

/**
 * Templates whose text carries a secret: a one-time code, a link with a token, a temporary
 * password, or a recovery cancel link (its token cancels the case). Their payloads are sealed
 * while pending and erased once delivered or dead.
 */
export const SECRET_BEARING_TEMPLATES: ReadonlySet<string> = new Set([
  'login.code',
  'password.reset_code',
  'password.reset_link',
  'account.activation',
  'business.temporary_password',
  'recovery.opened',
  'recovery.approved',
  'recovery.sms_opened',
  'recovery.sms_approved',
  // ── factors ──
  'factor.email_code',
  'factor.sms_confirm_code',
  'factor.email_confirm_code',
  'email.change_code',
  // ── tickets ── (the guest link opens the ticket; the survey link rates it once)
  'ticket.confirmation_guest',
  'ticket.survey',
]);

/**
 * Payload fields that stay readable at rest: routing (the sending budget reads `to` and
 * `template`), and the audit of what was sent. No subject of any locale carries a secret.
 */
export const READABLE_PAYLOAD_FIELDS = ['to', 'subject', 'template', 'locale'] as const;

/** Options of {@link withOutboxSecrets}. */
export interface OutboxSecretsOptions {
  /** Nonces of the seals. Must be cryptographically secure; default `crypto.getRandomValues`. */
  random?: RandomSource;
  /**
   * Most claimed messages whose erasure this process remembers until they are settled; beyond it
   * the oldest is forgotten and stays sealed (never in clear) after delivery. Default 10 000.
   */
  maxUnsettled?: number;
}

type PayloadObject = Record<string, Json>;

function payloadObject(payload: Json): PayloadObject | null {
  return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? payload : null;
}

function isSecretBearing(payload: PayloadObject): boolean {
  return typeof payload['template'] === 'string' && SECRET_BEARING_TEMPLATES.has(payload['template']);
}

function readableOf(payload: PayloadObject): PayloadObject {
  const out: PayloadObject = {};
  for (const field of READABLE_PAYLOAD_FIELDS) if (field in payload) out[field] = payload[field]!;
  return out;
}

/** What a settled secret-bearing message keeps: the readable fields and `erased: true`. */
const erasedOf = (payload: PayloadObject): PayloadObject => ({ ...readableOf(payload), erased: true });

// The message id is the associated data: a sealed blob copied onto another message does not open.
const contextOf = (id: string) => `helpdesk-outbox:${id}`;

/**
 * Decorates the storage port so that no secret is at rest in clear in the outbox. On `commit`,
 * the payload of every message of a {@link SECRET_BEARING_TEMPLATES} template is sealed
 * (AES-256-GCM under the keyring's current key, bound to the message id): the stored payload is
 * the {@link READABLE_PAYLOAD_FIELDS} plus `sealed: { kid, iv, data }`. `claimOutbox` and
 * `listOutbox` of pending or claimed messages open it, so senders and hosts reading the outbox
 * get the message as it was queued. After `markDelivered` or `markDead`, the payload is replaced
 * by the readable fields and `erased: true`; `listOutbox` shows a settled message that way even
 * if its erasure did not happen (it is then still sealed, never clear).
 *
 * With `keyring` null (a host storage given no `secrets.encryptionKey`) nothing is sealed, so a
 * pending message is in clear at rest; its payload is still erased once delivered or dead. A
 * message another instance sealed is never handed to the senders here (its lease lapses and an
 * instance with the key sends it) and `listOutbox` shows it as stored.
 *
 * A message sealed under a kid the keyring no longer holds, or that its key does not open, makes
 * `claimOutbox`/`listOutbox` throw CONFIGURATION_INVALID naming the kid: there is no fallback to
 * plaintext. The inner storage must implement `erasePayload`, or this throws CONFIGURATION_INVALID.
 * Other messages and every other method pass through unchanged.
 */
export function withOutboxSecrets(
  storage: Storage,
  keyring: SealingKeyring | SealingKey | null,
  options: OutboxSecretsOptions = {},
): Storage {
  const erase = storage.erasePayload?.bind(storage);
  if (!erase) {
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      {},
      'Outbox secrets need a storage that implements erasePayload (see outboxConformanceCases).',
    );
  }
  const sealer: Sealer | null = keyring === null ? null : createSealer(keyring, options.random);
  const maxUnsettled = options.maxUnsettled ?? 10_000;
  /** Claimed secret-bearing messages → their erased payload, until this process settles them. */
  const unsettled = new Map<string, PayloadObject>();

  function needsSeal(message: OutboxMessageInput): boolean {
    if (sealer === null) return false;
    const payload = payloadObject(message.payload);
    return payload !== null && isSecretBearing(payload) && !('sealed' in payload);
  }

  async function sealed(message: OutboxMessageInput): Promise<OutboxMessageInput> {
    if (!needsSeal(message)) return message;
    const payload = message.payload as PayloadObject;
    // The whole payload is sealed, so opening gives back exactly what was queued.
    const seal = await sealer!.seal(JSON.stringify(payload), contextOf(message.id));
    return { ...message, payload: { ...readableOf(payload), sealed: { ...seal } } };
  }

  async function opened(message: OutboxMessage): Promise<OutboxMessage> {
    const payload = payloadObject(message.payload);
    if (!payload) return message;
    const seal = payload['sealed'];
    // Settled: shown as erased even where its erasure did not happen (a crash, a failed erase).
    const settled = message.status === 'delivered' || message.status === 'dead';
    if (settled && (isSealed(seal) || (isSecretBearing(payload) && !('erased' in payload))))
      return { ...message, payload: erasedOf(payload) };
    // Sealed under a key this desk does not hold (no key): left as stored, never opened.
    if (!isSealed(seal) || sealer === null) return message;
    const text = await sealer.open(seal as Sealed, contextOf(message.id));
    return { ...message, payload: JSON.parse(text) as Json };
  }

  function remember(id: string, payload: PayloadObject): void {
    unsettled.delete(id);
    unsettled.set(id, erasedOf(payload));
    if (unsettled.size > maxUnsettled) unsettled.delete(unsettled.keys().next().value!);
  }

  /** After a settlement reached storage: erase if this process claimed it sealed. */
  async function settled(id: string): Promise<void> {
    const erased = unsettled.get(id);
    if (!erased) return;
    // A throw keeps the entry: the dispatcher retries the acknowledgement, and with it the erasure.
    await erase!(id, erased);
    unsettled.delete(id);
  }

  // Spelled out rather than proxied: when the port grows, the compiler asks for the new method here.
  return {
    // Not `async` when nothing is sealed (most commits): the inner commit's promise is returned
    // as it is, without the promise hops of an await and a Promise.all.
    commit: (commit) =>
      commit.outbox.some(needsSeal)
        ? Promise.all(commit.outbox.map(sealed)).then((outbox) => storage.commit({ ...commit, outbox }))
        : storage.commit(commit),
    load: (kind, id) => storage.load(kind, id),
    list: (kind, query) => storage.list(kind, query),
    history: (kind, id) => storage.history(kind, id),
    claimDue: (now, leaseUntil, limit) => storage.claimDue(now, leaseUntil, limit),
    claimOutbox: async (channels, now, leaseUntil, limit) => {
      const all = await storage.claimOutbox(channels, now, leaseUntil, limit);
      // Without a key, a message sealed by an instance that has one is left to it (its lease lapses).
      const claimed = sealer === null ? all.filter((m) => !isSealed(payloadObject(m.payload)?.['sealed'])) : all;
      for (const message of claimed) {
        const payload = payloadObject(message.payload);
        // Sealed, or (without a key) secret-bearing in clear: erased once settled.
        if (payload && (isSealed(payload['sealed']) || (isSecretBearing(payload) && !('erased' in payload))))
          remember(message.id, payload);
      }
      return Promise.all(claimed.map(opened));
    },
    markDelivered: async (id, at, claim) => {
      const done = await storage.markDelivered(id, at, claim);
      await settled(id);
      return done;
    },
    markFailed: async (id, retryAt, error, claim) => {
      unsettled.delete(id); // pending again, still sealed; the next claim remembers it again
      return storage.markFailed(id, retryAt, error, claim);
    },
    markDead: async (id, error, at, claim) => {
      const done = await storage.markDead(id, error, at, claim);
      await settled(id);
      return done;
    },
    listOutbox: async (query) => Promise.all((await storage.listOutbox(query)).map(opened)),
    erasePayload: (id, payload) => erase(id, payload),
    nextSequence: (name) => storage.nextSequence(name),
    getIdempotency: (scope, key) => storage.getIdempotency(scope, key),
    readEvents: (page) => storage.readEvents(page),
    // Records and sequences hold no sealed payloads: a batch passes through, still one round trip.
    ...(storage.readBatch ? { readBatch: storage.readBatch.bind(storage) } : {}),
  };
}
