import { z } from 'zod';
import { asConfiguration, parseConfiguration, refuseConfiguration, withDefaults } from './_lib/parse-configuration.js';
import { identifierString, NO_CONTROLS_MESSAGE, SAFE_TEXT_MESSAGE } from './_lib/text.js';
import { createMemoryStorage } from './adapters/memory/memory-storage.js';
import type { AccountLinks } from './accounts/context.js';
import { defaultOutboxPolicy, resolveSendTimeout, type OutboxPolicy } from './engine/dispatcher.js';
import { withOutboxSecrets } from './engine/outbox-secrets.js';
import { commonErrors } from './errors.js';
import { pathsOf } from './http/links.js';
import type { Clock } from './ports/clock.js';
import type { IdGenerator } from './ports/id-generator.js';
import type { Mailer } from './ports/mailer.js';
import type { PasswordHasher } from './ports/password-hasher.js';
import type { RandomSource } from './ports/random-source.js';
import type { SessionRevoker } from './ports/session-revoker.js';
import type { SmsSender } from './ports/sms-sender.js';
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
  if (url && (url.username !== '' || url.password !== '')) {
    // Not echoed: the credentials would end up in the log that reports the error.
    refuseConfiguration(
      'publicBaseUrl',
      'publicBaseUrl must not carry a user name or password: every link mailed to people is built on it.',
    );
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
 * process anyway), with a per-process key. A host storage without a key is not sealed (pending
 * messages are in clear), but their payloads are still erased once settled when it can
 * (`erasePayload`).
 */
export function withSealedOutbox(
  options: { storage?: Storage; secrets?: { encryptionKey?: SealingKey | SealingKeyring } },
  random: RandomSource,
  /** The storage to wrap; default the host's, else a new embedded store (createHelpdesk passes it to reach it unwrapped). */
  base: Storage = options.storage ?? createMemoryStorage(),
): Storage {
  const key = options.secrets?.encryptionKey ?? undefined; // null, like undefined: not given
  if (options.storage === undefined) return withOutboxSecrets(base, key ?? ephemeralKeyring(random), { random });
  if (key !== undefined) return withOutboxSecrets(base, key, { random });
  return base.erasePayload ? withOutboxSecrets(base, null, { random }) : base;
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
  sendTimeoutMs: z.number().int().min(1).max(86_400_000).optional(),
});

/**
 * Checks the overrides of an outbox-like policy at `createHelpdesk` and returns the policy with the
 * defaults filled in (a field given as `undefined` keeps its default). A `sendTimeoutMs` given must be
 * below the resolved `leaseMs` (the default lease when none is given); when none is given it is left
 * out, and the dispatcher waits `min(30 s, floor(leaseMs / 2))`, so a short lease alone is never
 * refused. Refuses with CONFIGURATION_INVALID naming the field (`field`, e.g. `policy.outbox.batchSize`).
 */
export function resolveOutboxPolicy(overrides: unknown, field: string): OutboxPolicy {
  if (overrides === undefined) return { ...defaultOutboxPolicy };
  const parsed = parseConfiguration(
    outboxPolicySchema,
    overrides,
    field,
    `attempts, batch and sendTimeoutMs at least 1, delays at least 0, leaseMs at least ${MIN_OUTBOX_LEASE_MS}, all whole milliseconds`,
  );
  const policy: OutboxPolicy = withDefaults(defaultOutboxPolicy, parsed);
  resolveSendTimeout(policy, `${field}.sendTimeoutMs`); // the same rule the dispatcher applies, refused up front
  return policy;
}

/** `webhooks.cursor`: an identifier (the cursor record's id), well-formed Unicode without NUL or controls. */
const webhookCursorSchema = identifierString().min(1);

/** The shortest webhook signing key `createHelpdesk` accepts, in bytes (128 bits). */
export const MIN_WEBHOOK_KEY_BYTES = 16;

/**
 * Checks `webhooks` at `createHelpdesk`: a sender with `send`, and every secret a `whsec_<base64>`
 * string of at least {@link MIN_WEBHOOK_KEY_BYTES} key bytes (at least one), decoded here so a bad
 * secret is refused up front instead of failing every delivery until each event is dead-lettered; a
 * `cursor`, when given, a non-empty identifier (well-formed Unicode, no NUL, no control character).
 * Its `policy` is checked by {@link resolveOutboxPolicy}.
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
    let bytes = 0;
    try {
      bytes = keyBytes(one as string).length;
    } catch {
      bytes = -1;
    }
    // The secret itself is never echoed into the error.
    if (bytes < MIN_WEBHOOK_KEY_BYTES)
      refuse(
        typeof secret === 'string' ? 'webhooks.secret' : `webhooks.secret.${i}`,
        `A webhook secret must be whsec_ followed by base64 of at least ${MIN_WEBHOOK_KEY_BYTES} key bytes (e.g. 32 random bytes; Standard Webhooks uses 24 to 64).`,
      );
  });
  // The shared identifier rule: PostgreSQL refuses NUL and broken Unicode at every round otherwise.
  if (cursor !== undefined && !webhookCursorSchema.safeParse(cursor).success) {
    refuse(
      'webhooks.cursor',
      `webhooks.cursor must be a non-empty string: ${SAFE_TEXT_MESSAGE} ${NO_CONTROLS_MESSAGE}`,
    );
  }
}

/** An object of options (not null, not a list): what a policy section or an options bag must be. */
function isOptionsObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * How `createHelpdesk` checks the values inside a policy section: the section's resolver (its
 * INVALID_INPUT refused as CONFIGURATION_INVALID), or `true` where the section's own resolver
 * already refuses with CONFIGURATION_INVALID (`factors`, `outbox`).
 */
export type PolicySectionCheck = ((overrides: never) => unknown) | true;

/**
 * Checks `policy` at `createHelpdesk`: an object whose keys are the known sections (`sections`),
 * each an object of overrides or left out. An unknown key is refused by name (`policy.ticket`, a
 * typo of `policy.tickets`, would otherwise leave every ticket default silently in force). The
 * values inside a section are checked by that section's resolver (`sections`). Returns the policy without its
 * null sections: null, like undefined, means "not given", and the section takes its defaults.
 */
export function checkPolicySections<P extends object>(
  policy: P | null | undefined,
  sections: Readonly<Record<string, PolicySectionCheck>>,
): P | undefined {
  // null, like undefined, is "not given" (plain-JavaScript hosts write `policy: cond ? {...} : null`).
  if (policy === undefined || policy === null) return undefined;
  if (!isOptionsObject(policy)) {
    refuseConfiguration('policy', 'policy must be an object of sections (tickets, accounts, login, ...).');
  }
  const given: Record<string, unknown> = {};
  for (const [section, overrides] of Object.entries(policy)) {
    if (!Object.hasOwn(sections, section)) {
      refuseConfiguration(
        `policy.${section}`,
        `policy.${section} is not a policy section; expected one of ${Object.keys(sections).join(', ')}.`,
      );
    }
    if (overrides === undefined || overrides === null) continue; // not given: the section's defaults
    if (!isOptionsObject(overrides)) {
      refuseConfiguration(`policy.${section}`, `policy.${section} must be an object of overrides, or left out.`);
    }
    const check = sections[section]!;
    if (check !== true) asConfiguration(`policy.${section}`, () => check(overrides as never));
    given[section] = overrides;
  }
  return given as P;
}

/**
 * The methods `createHelpdesk` and its services call on each port a host may pass, checked up
 * front with `typeof` (so class instances and proxies pass): a wrong object fails here, naming the
 * method, instead of with a TypeError at the first command or in the worker. `optional` methods
 * are checked only when present.
 */
const PORT_METHODS = {
  storage: {
    required: [
      'commit',
      'load',
      'list',
      'history',
      'claimOutbox',
      'markDelivered',
      'markFailed',
      'markDead',
      'listOutbox',
      'claimDue',
      'nextSequence',
      'getIdempotency',
      'readEvents',
    ] satisfies ReadonlyArray<keyof Storage>,
    optional: ['readBatch', 'erasePayload'] satisfies ReadonlyArray<keyof Storage>,
  },
  clock: { required: ['now'] satisfies ReadonlyArray<keyof Clock>, optional: [] },
  random: { required: ['fill'] satisfies ReadonlyArray<keyof RandomSource>, optional: [] },
  ids: { required: ['next'] satisfies ReadonlyArray<keyof IdGenerator>, optional: [] },
  mailer: { required: ['send'] satisfies ReadonlyArray<keyof Mailer>, optional: [] },
  sms: { required: ['send'] satisfies ReadonlyArray<keyof SmsSender>, optional: [] },
  passwordHasher: {
    required: ['hash', 'verify'] satisfies ReadonlyArray<keyof PasswordHasher>,
    optional: ['needsRehash'] satisfies ReadonlyArray<keyof PasswordHasher>,
  },
  sessionRevoker: { required: ['revokeSessions'] satisfies ReadonlyArray<keyof SessionRevoker>, optional: [] },
  links: { required: ['activation', 'passwordReset'] satisfies ReadonlyArray<keyof AccountLinks>, optional: [] },
} as const;

/**
 * Checks the ports among `options` (storage, clock, random, ids, mailer, sms, passwordHasher,
 * sessionRevoker, links): each one given must have the methods the library calls. Refuses with
 * CONFIGURATION_INVALID naming the first missing one (`field`, e.g. `clock.now`).
 */
export function checkPorts(options: object): void {
  for (const [port, { required, optional }] of Object.entries(PORT_METHODS)) {
    const value: unknown = (options as Record<string, unknown>)[port];
    if (value === undefined || value === null) continue; // not given: the default (`mailer: null`: no mailer)
    const methodOf = (name: string): unknown =>
      value !== null && (typeof value === 'object' || typeof value === 'function')
        ? (value as Record<string, unknown>)[name]
        : undefined;
    for (const method of required) {
      if (typeof methodOf(method) !== 'function') {
        refuseConfiguration(
          `${port}.${method}`,
          `${port} must be an object with ${required.map((m) => `${m}()`).join(' and ')} (${port}.${method} is not a function).`,
        );
      }
    }
    for (const method of optional) {
      const found = methodOf(method);
      if (found !== undefined && typeof found !== 'function') {
        refuseConfiguration(`${port}.${method}`, `${port}.${method} must be a function when given.`);
      }
    }
  }
}

const isFunction = (value: unknown): boolean => typeof value === 'function';

/** `tickets` of `createHelpdesk`: code the host plugs in, so functions and a zod schema (see TicketOptions). */
const ticketOptionsSchema = z.strictObject({
  // A zod object; `safeParse` is what the ticket service calls (a schema of another zod copy passes too).
  fields: z
    .custom((value) => isFunction((value as { safeParse?: unknown } | null)?.safeParse), {
      message: 'Expected a zod object schema, e.g. z.object({ asset: z.string() })',
    })
    .optional(),
  agentAddress: z.custom(isFunction, { message: 'Expected a function (target) => address | null' }).optional(),
  linkPaths: z.strictObject({ survey: z.string().optional(), guest_ticket: z.string().optional() }).optional(),
});

/**
 * Checks `tickets` at `createHelpdesk`: only the known options, `fields` a zod schema,
 * `agentAddress` a function and each of `linkPaths` a path such as `/survey`. Refuses with
 * CONFIGURATION_INVALID naming the field (e.g. `tickets.agentAddress`).
 */
export function checkTicketOptions(tickets: unknown): void {
  if (tickets === undefined || tickets === null) return;
  const parsed = parseConfiguration(
    ticketOptionsSchema,
    tickets,
    'tickets',
    'tickets takes fields (a zod object), agentAddress (a function) and linkPaths ({ survey, guest_ticket })',
  );
  for (const [kind, path] of Object.entries(parsed.linkPaths ?? {})) {
    if (path === undefined) continue;
    try {
      pathsOf({ [kind]: path });
    } catch {
      refuseConfiguration(
        `tickets.linkPaths.${kind}`,
        `tickets.linkPaths.${kind} must look like /segment or /segment/segment.`,
      );
    }
  }
}

/** The keys `createHelpdesk` reads: every key of `HelpdeskOptions` (test/configuration-hostile.test.ts holds the two together). */
export const HELPDESK_OPTION_KEYS = [
  'storage',
  'mailer',
  'sms',
  'clock',
  'random',
  'tickets',
  'ids',
  'policy',
  'secrets',
  'webhooks',
  'locale',
  'passwordHasher',
  'sessionRevoker',
  'publicBaseUrl',
  'links',
] as const;

const SECRETS_KEYS = ['pepper', 'encryptionKey'] as const;
const WEBHOOKS_KEYS = ['sender', 'secret', 'cursor', 'policy'] as const;

/** The edit distance of two short keys, compared case-insensitively (a typo's distance is 1 or 2). */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++)
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[y.length]!;
}

/** Refuses the first key of `value` not among `known`, naming it (`path.key`) and the likely meant one. */
function refuseUnknownKeys(value: unknown, known: readonly string[], path: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (known.includes(key) || (value as Record<string, unknown>)[key] === undefined) continue;
    const near = key.length <= 64 ? known.find((k) => distance(k, key) <= 2) : undefined;
    const field = path === '' ? key : `${path}.${key}`;
    refuseConfiguration(
      field.slice(0, 100),
      `Unknown option ${JSON.stringify(field.slice(0, 100))}${near ? `: did you mean "${path === '' ? near : `${path}.${near}`}"?` : ''} (known: ${known.join(', ')}).`,
    );
  }
}

/**
 * Refuses an option `createHelpdesk` does not read, at the top level, in `secrets` and in `webhooks`
 * (CONFIGURATION_INVALID naming it, with the likely meant key): a typo such as `mailers` or
 * `secrets.encryption_key` would otherwise leave SMS unsent or secrets unsealed without a word.
 * A key given as `undefined` is ignored, as every option left out is.
 */
export function checkOptionKeys(options: object): void {
  refuseUnknownKeys(options, HELPDESK_OPTION_KEYS, '');
  const { secrets, webhooks } = options as { secrets?: unknown; webhooks?: unknown };
  refuseUnknownKeys(secrets, SECRETS_KEYS, 'secrets');
  refuseUnknownKeys(webhooks, WEBHOOKS_KEYS, 'webhooks');
}
