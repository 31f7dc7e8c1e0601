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
import { randomDigits } from './random.js';
import { secretMachine, type SecretContext, type SecretOutcome } from './secret-machine.js';

/** The record kind of one-time codes (id `<purpose>:<subject>`). */
export const ONE_TIME_CODE_KIND = 'one_time_code';

/** The purposes codes are issued for. The purpose is part of the HMAC, so a code never crosses purposes. */
export type CodePurpose = 'password_reset' | 'login' | (string & {});

/** A stored one-time code: the secret machine's snapshot plus what it is bound to. Never the code. */
export interface StoredCode extends PersistedMachineState {
  value: string;
  context: SecretContext & { [key: string]: Json };
  purpose: string;
  subject: string;
  /** HMAC-SHA-256 (pepper) of `subject:code` under purpose `otp:<purpose>`. */
  mac: string;
}

export interface IssueCodeOptions {
  purpose: CodePurpose;
  /** What the code is bound to: an account id, a login-flow id, an E.164 number. */
  subject: string;
  ttlMs: number;
  /** Default 6. */
  digits?: number;
  /** Wrong codes before the code is burned. Default 5. */
  maxAttempts?: number;
  /**
   * Carry the wrong-code count of the code this one replaces (docs/security.md: "a resend does
   * not restore them"). Default false: a fresh request starts fresh.
   */
  keepFailedAttempts?: boolean;
}

export interface CodeCheck {
  outcome: SecretOutcome;
  /** Wrong codes still allowed on the stored code (0 when there is none). Show it only to an identified user. */
  attemptsLeft: number;
  expiresAt: number | null;
  /** True when this submission was counted as a wrong try on a live code. */
  counted: boolean;
}

/**
 * One-time codes for password reset (purpose `password_reset`) and login (purpose `login`):
 * issued into a unit of work, stored only as an HMAC, valid until `expiresAt` (exclusive),
 * single use, burned after `maxAttempts` wrong tries. One live code per purpose and subject:
 * issuing replaces the previous one. Both calls run inside the caller's command, so the code's
 * consumption commits atomically with whatever the code unlocks — and of two racing
 * submissions of one code exactly one wins.
 */
export interface OneTimeCodes {
  /** Issues a code; returns it in clear exactly once (for the message), and stores its HMAC. */
  issue(uow: UnitOfWork, options: IssueCodeOptions): Promise<{ code: string; expiresAt: number }>;
  /**
   * Checks a submitted code and records the result in `uow` (a wrong try counts; a right one
   * consumes the code). Only the right code learns `expired`, `used` or `too_many_attempts`;
   * anything else is `invalid`.
   */
  verify(uow: UnitOfWork, options: { purpose: CodePurpose; subject: string; code: string }): Promise<CodeCheck>;
  /** Invalidates the live code of `purpose`/`subject`, if any. */
  revoke(uow: UnitOfWork, purpose: CodePurpose, subject: string): Promise<void>;
}

const codeId = (purpose: string, subject: string) => `${purpose}:${subject}`;

export function createOneTimeCodes(secrets: SecretHasher, random: RandomSource): OneTimeCodes {
  const macOf = (purpose: string, subject: string, code: string) =>
    secrets.hash(`otp:${purpose}`, `${subject}:${code}`);

  async function load(uow: UnitOfWork, purpose: string, subject: string): Promise<StoredCode | null> {
    const record = await uow.load(ONE_TIME_CODE_KIND, codeId(purpose, subject));
    return record ? (record.state as unknown as StoredCode) : null;
  }

  function save(uow: UnitOfWork, stored: StoredCode): void {
    uow.put(ONE_TIME_CODE_KIND, codeId(stored.purpose, stored.subject), { state: stored, nextDueAt: null });
  }

  return {
    async issue(uow, options) {
      const digits = options.digits ?? 6;
      const maxAttempts = options.maxAttempts ?? 5;
      const previous = await load(uow, options.purpose, options.subject);
      const code = randomDigits(random, digits);
      const { snapshot } = initialStep(secretMachine, {
        issuedAt: uow.now,
        expiresAt: uow.now + options.ttlMs,
        maxAttempts,
      });
      const carried = options.keepFailedAttempts && previous ? previous.context.failedAttempts : 0;
      const persisted = persistSnapshot(snapshot);
      const stored: StoredCode = {
        value: persisted.value as string,
        context: { ...(persisted.context as unknown as SecretContext), failedAttempts: carried },
        purpose: options.purpose,
        subject: options.subject,
        mac: await macOf(options.purpose, options.subject, code),
      };
      if (carried >= maxAttempts) stored.value = 'burned';
      save(uow, stored);
      return { code, expiresAt: stored.context.expiresAt };
    },

    async verify(uow, { purpose, subject, code }) {
      const stored = await load(uow, purpose, subject);
      if (!stored) {
        // Same work as a real check, so timing says little about whether a code exists.
        await macOf(purpose, subject, code);
        return { outcome: 'invalid', attemptsLeft: 0, expiresAt: null, counted: false };
      }
      const matches = await secrets.verify(`otp:${purpose}`, `${subject}:${code}`, stored.mac);
      const snapshot = restoreSnapshot(secretMachine, stored);
      const result = stepMachine(secretMachine, snapshot, { type: 'submit', at: uow.now, matches });
      const outcome =
        (result.effects.find((e) => e.type === 'outcome')?.params as { outcome: SecretOutcome } | undefined)?.outcome ??
        'invalid';
      const next = persistSnapshot(result.snapshot);
      const context = next.context as unknown as SecretContext;
      if (
        next.value !== stored.value ||
        context.failedAttempts !== stored.context.failedAttempts ||
        context.usedAt !== stored.context.usedAt
      ) {
        save(uow, { ...stored, value: next.value as string, context: context as StoredCode['context'] });
      }
      const attemptsLeft = next.value === 'issued' ? Math.max(0, context.maxAttempts - context.failedAttempts) : 0;
      const counted = context.failedAttempts > stored.context.failedAttempts;
      return { outcome, attemptsLeft, expiresAt: context.expiresAt, counted };
    },

    async revoke(uow, purpose, subject) {
      const stored = await load(uow, purpose, subject);
      if (!stored || stored.value !== 'issued') return;
      const result = stepMachine(secretMachine, restoreSnapshot(secretMachine, stored), {
        type: 'supersede',
        at: uow.now,
      });
      const next = persistSnapshot(result.snapshot);
      save(uow, { ...stored, value: next.value as string, context: next.context as StoredCode['context'] });
    },
  };
}
