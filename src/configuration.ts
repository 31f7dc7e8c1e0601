import { z } from 'zod';
import { createMemoryStorage } from './adapters/memory/memory-storage.js';
import { defaultOutboxPolicy, type OutboxPolicy } from './engine/dispatcher.js';
import { withOutboxSecrets } from './engine/outbox-secrets.js';
import { commonErrors } from './errors.js';
import type { RandomSource } from './ports/random-source.js';
import type { Storage } from './ports/storage.js';
import { ephemeralKeyring, type SealingKey, type SealingKeyring } from './security/sealing.js';
import { keyBytes } from './webhooks/standard-webhooks.js';

/** The shortest pepper `createHelpdesk` accepts, in UTF-8 bytes (an HMAC-SHA-256 key of full strength). */
export const MIN_PEPPER_BYTES = 32;

/**
 * Checks `secrets` at `createHelpdesk`, not at the first registration: a pepper, when given, must be
 * a string of at least {@link MIN_PEPPER_BYTES} bytes. A desk without `secrets` serves tickets only;
 * its accounts, login and recovery calls answer CONFIGURATION_INVALID naming `secrets.pepper`.
 */
export function checkSecrets(secrets: unknown): void {
  if (secrets === undefined) return;
  const pepper = (secrets as { pepper?: unknown } | null)?.pepper;
  if (typeof pepper !== 'string' || new TextEncoder().encode(pepper).length < MIN_PEPPER_BYTES) {
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      { field: 'secrets.pepper', minBytes: MIN_PEPPER_BYTES },
      `secrets.pepper must be a string of at least ${MIN_PEPPER_BYTES} bytes (e.g. 32 random bytes, base64); keep it out of the database.`,
    );
  }
}

/**
 * Checks `publicBaseUrl`: an absolute http(s) URL without query or fragment, since the activation,
 * reset and cancel links are built on it (`example.com` alone would make broken links).
 */
export function checkPublicBaseUrl(publicBaseUrl: unknown): void {
  if (publicBaseUrl === undefined) return;
  let url: URL | null = null;
  try {
    url = typeof publicBaseUrl === 'string' ? new URL(publicBaseUrl) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '') {
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      { field: 'publicBaseUrl' },
      `publicBaseUrl must be an absolute http(s) URL such as "https://support.example.com" (got ${JSON.stringify(String(publicBaseUrl)).slice(0, 80)}).`,
    );
  }
}

/**
 * The storage with secret-bearing outbox payloads sealed while pending and erased once settled:
 * with `secrets.encryptionKey`, or, for the embedded in-memory default (which dies with the
 * process anyway), with a per-process key. A host storage without a key is left as it is.
 */
export function withSealedOutbox(
  options: { storage?: Storage; secrets?: { encryptionKey?: SealingKey | SealingKeyring } },
  random: RandomSource,
  /** The storage to wrap; default the host's, else a new embedded store (createHelpdesk passes it to reach it unwrapped). */
  base: Storage = options.storage ?? createMemoryStorage(),
): Storage {
  const key = options.secrets?.encryptionKey;
  if (options.storage === undefined) return withOutboxSecrets(base, key ?? ephemeralKeyring(random), { random });
  return key === undefined ? base : withOutboxSecrets(base, key, { random });
}

/** Shortest lease `createHelpdesk` accepts: a send must fit in it, or another dispatcher takes the message. */
export const MIN_OUTBOX_LEASE_MS = 1_000;

/**
 * Overrides of an {@link OutboxPolicy} (`policy.outbox`, `webhooks.policy`): whole numbers, at least
 * one attempt and one message per round, a lease of at least {@link MIN_OUTBOX_LEASE_MS}. A batch of 0
 * would make every round look full and a lease of 0 would hand a message out again at once.
 */
const outboxPolicySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(1_000_000).optional(),
  baseDelayMs: z.number().int().min(0).max(86_400_000).optional(),
  maxDelayMs: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400_000)
    .optional(),
  leaseMs: z.number().int().min(MIN_OUTBOX_LEASE_MS).max(86_400_000).optional(),
  batchSize: z.number().int().min(1).max(10_000).optional(),
});

/**
 * Checks the overrides of an outbox-like policy at `createHelpdesk` and returns the policy with the
 * defaults filled in (a field given as `undefined` keeps its default). Refuses with
 * CONFIGURATION_INVALID naming the field (`field`, e.g. `policy.outbox.batchSize`).
 */
export function resolveOutboxPolicy(overrides: unknown, field: string): OutboxPolicy {
  if (overrides === undefined) return { ...defaultOutboxPolicy };
  const parsed = outboxPolicySchema.safeParse(overrides);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
    const at = [field, ...path.map(String)].join('.');
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      { field: at },
      `${at}: ${issue.message} (attempts and batch at least 1, delays at least 0, leaseMs at least ${MIN_OUTBOX_LEASE_MS}, all whole milliseconds).`,
    );
  }
  const policy: OutboxPolicy = { ...defaultOutboxPolicy };
  for (const [key, value] of Object.entries(parsed.data)) {
    if (value !== undefined) policy[key as keyof OutboxPolicy] = value;
  }
  return policy;
}

/**
 * Checks `webhooks` at `createHelpdesk`: a sender with `send`, and every secret a `whsec_<base64>`
 * string (at least one), decoded here so a bad secret is refused up front instead of failing every
 * delivery until each event is dead-lettered. Its `policy` is checked by {@link resolveOutboxPolicy}.
 */
export function checkWebhooks(webhooks: unknown): void {
  if (webhooks === undefined) return;
  const refuse = (field: string, message: string): never => {
    throw commonErrors.raise('CONFIGURATION_INVALID', { field }, message);
  };
  if (webhooks === null || typeof webhooks !== 'object') refuse('webhooks', 'webhooks must be { sender, secret }.');
  const { sender, secret, cursor } = webhooks as { sender?: unknown; secret?: unknown; cursor?: unknown };
  if (typeof (sender as { send?: unknown } | null)?.send !== 'function') {
    refuse('webhooks.sender', 'webhooks.sender must be a WebhookSender (an object with send(event, delivery)).');
  }
  const secrets = typeof secret === 'string' ? [secret] : Array.isArray(secret) ? (secret as unknown[]) : [];
  if (secrets.length === 0)
    refuse('webhooks.secret', 'webhooks.secret must be a whsec_ secret or a non-empty list of them.');
  secrets.forEach((one, i) => {
    try {
      keyBytes(one as string);
    } catch {
      // The secret itself is never echoed into the error.
      refuse(
        typeof secret === 'string' ? 'webhooks.secret' : `webhooks.secret.${i}`,
        'A webhook secret must be whsec_ followed by base64 of the key bytes (e.g. 32 random bytes).',
      );
    }
  });
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor === '')) {
    refuse('webhooks.cursor', 'webhooks.cursor must be a non-empty string.');
  }
}
