import { createMemoryStorage } from './adapters/memory/memory-storage.js';
import { withOutboxSecrets } from './engine/outbox-secrets.js';
import { commonErrors } from './errors.js';
import type { RandomSource } from './ports/random-source.js';
import type { Storage } from './ports/storage.js';
import { ephemeralKeyring, type SealingKey, type SealingKeyring } from './security/sealing.js';

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
