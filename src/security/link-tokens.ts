import {
  initialStep,
  persistSnapshot,
  restoreSnapshot,
  stepMachine,
  type PersistedMachineState,
} from '../engine/machine-step.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { Json } from '../ports/json.js';
import type { RandomSource } from '../ports/random-source.js';
import type { SecretHasher } from './hmac.js';
import { randomToken } from './random.js';
import { secretMachine, type SecretContext, type SecretOutcome } from './secret-machine.js';

/** The record kind of link tokens (id: the token's HMAC). */
export const LINK_TOKEN_KIND = 'link_token';

export type LinkPurpose = 'activation' | 'password_reset';

/** A stored link token: id is the token's HMAC; the token itself is never stored. */
export interface StoredLinkToken extends PersistedMachineState {
  value: string;
  context: SecretContext & { [key: string]: Json };
  purpose: LinkPurpose;
  accountId: string;
}

/**
 * Single-use link tokens (activation, password reset): 32 random bytes as base64url, stored
 * under their HMAC (purpose `link:<purpose>`), so a token of one purpose is unknown to another.
 */
export function createLinkTokens(secrets: SecretHasher, random: RandomSource) {
  const idOf = (purpose: LinkPurpose, token: string) => secrets.hash(`link:${purpose}`, token);

  return {
    /** Creates a token record; returns the token in clear (for the link) and its record id. */
    async issue(uow: UnitOfWork, purpose: LinkPurpose, accountId: string, ttlMs: number) {
      const token = randomToken(random, 32);
      const id = await idOf(purpose, token);
      const { snapshot } = initialStep(secretMachine, {
        issuedAt: uow.now,
        expiresAt: uow.now + ttlMs,
        maxAttempts: 1,
      });
      const persisted = persistSnapshot(snapshot);
      const stored: StoredLinkToken = {
        value: persisted.value as string,
        context: persisted.context as StoredLinkToken['context'],
        purpose,
        accountId,
      };
      uow.create(LINK_TOKEN_KIND, id, { state: stored, indexes: { account: accountId, purpose }, nextDueAt: null });
      return { token, id, expiresAt: stored.context.expiresAt };
    },

    /**
     * Submits a token: `accepted` consumes it (in `uow`); an unknown token is `invalid`;
     * the holder of a real token learns `expired` or `used`.
     */
    async submit(
      uow: UnitOfWork,
      purpose: LinkPurpose,
      token: string,
    ): Promise<{ outcome: SecretOutcome; accountId: string | null; id: string }> {
      const id = await idOf(purpose, token);
      const record = await uow.load(LINK_TOKEN_KIND, id);
      if (!record) return { outcome: 'invalid', accountId: null, id };
      const stored = record.state as unknown as StoredLinkToken;
      const result = stepMachine(secretMachine, restoreSnapshot(secretMachine, stored), {
        type: 'submit',
        at: uow.now,
        matches: true,
      });
      const outcome =
        (result.effects.find((e) => e.type === 'outcome')?.params as { outcome: SecretOutcome } | undefined)?.outcome ??
        'invalid';
      // Used, or found expired (so a clock stepped back cannot revive it): stored with the command.
      const next = persistSnapshot(result.snapshot);
      if (next.value !== stored.value)
        saveLinkToken(uow, id, {
          ...stored,
          value: next.value as string,
          context: next.context as StoredLinkToken['context'],
        });
      return { outcome, accountId: stored.accountId, id };
    },

    /** Invalidates a token by record id (a newer one replaces it). No-op when missing or no longer live. */
    supersede: supersedeLinkToken,
  };
}

export type LinkTokens = ReturnType<typeof createLinkTokens>;

/**
 * Invalidates a link token by record id, in `uow`: it then answers `invalid`, as an unknown one
 * does. No-op when missing or no longer live (used, expired, superseded).
 */
export async function supersedeLinkToken(uow: UnitOfWork, id: string | null): Promise<void> {
  if (id === null) return;
  const record = await uow.load(LINK_TOKEN_KIND, id);
  if (!record) return;
  const stored = record.state as unknown as StoredLinkToken;
  if (stored.value !== 'issued') return;
  const result = stepMachine(secretMachine, restoreSnapshot(secretMachine, stored), { type: 'supersede', at: uow.now });
  const next = persistSnapshot(result.snapshot);
  saveLinkToken(uow, id, {
    ...stored,
    value: next.value as string,
    context: next.context as StoredLinkToken['context'],
  });
}

function saveLinkToken(uow: UnitOfWork, id: string, stored: StoredLinkToken): void {
  uow.put(LINK_TOKEN_KIND, id, {
    state: stored,
    indexes: { account: stored.accountId, purpose: stored.purpose },
    nextDueAt: null,
  });
}
