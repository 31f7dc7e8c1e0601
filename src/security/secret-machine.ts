import { assign, setup } from 'xstate';

/**
 * What a single-use secret (an activation or reset link token, or a one-time code) says about
 * one submission. `accepted` consumes it.
 */
export type SecretOutcome = 'accepted' | 'invalid' | 'expired' | 'used' | 'too_many_attempts';

/** The rule-relevant part of a stored secret. */
export interface SecretContext {
  issuedAt: number;
  /** Valid while `at < expiresAt`. */
  expiresAt: number;
  failedAttempts: number;
  /** Wrong submissions before the secret is burned (link tokens are looked up by MAC and never fail). */
  maxAttempts: number;
  usedAt: number | null;
  /** When a newer secret of the same purpose replaced this one. */
  supersededAt: number | null;
}

export type SecretEvent =
  /** `matches`: the submitted secret's MAC equals the stored one (compared in constant time by the caller). */
  { type: 'submit'; at: number; matches: boolean } | { type: 'supersede'; at: number };

export type SecretState = 'issued' | 'used' | 'superseded' | 'burned' | 'expired';

const outcome = (value: SecretOutcome) => ({ type: 'outcome', params: { outcome: value } }) as const;

/**
 * The lifecycle of a single-use secret; `used`, `superseded` and `burned` are terminal in
 * practice (no transition leaves them) but not xstate `final` states: a final root state
 * would stop the machine answering later submissions, and a later submission must still get
 * its answer (`used`, `invalid`, ...). Expiry is not a state: a secret is expired when
 * `at >= expiresAt`, checked by guards at the moment of use, so no timer has to fire.
 * A submission at or after `expiresAt` moves the secret to `expired` (stored by the caller), so
 * the answer stands: a clock stepped back afterwards (an NTP correction) does not revive it.
 * Only the holder of the right secret learns that it expired or was used; any other
 * submission is `invalid`, so answers reveal nothing about the account behind it.
 * Every submission yields exactly one `outcome` effect.
 */
export const secretMachine = setup({
  types: {
    context: {} as SecretContext,
    events: {} as SecretEvent,
    input: {} as Omit<SecretContext, 'failedAttempts' | 'usedAt' | 'supersededAt'>,
  },
  actions: {
    /** Effect: the answer to this submission (read by the service, not executed by xstate). */
    outcome: (_, _params: { outcome: SecretOutcome }) => {},
    countFailure: assign({ failedAttempts: ({ context }) => context.failedAttempts + 1 }),
    markUsed: assign({ usedAt: ({ event }) => event.at }),
    markSuperseded: assign({ supersededAt: ({ event }) => event.at }),
  },
  guards: {
    matches: ({ event }) => event.type === 'submit' && event.matches,
    matchesWhileValid: ({ context, event }) => event.type === 'submit' && event.matches && event.at < context.expiresAt,
    expired: ({ context, event }) => event.at >= context.expiresAt,
    lastAttempt: ({ context }) => context.failedAttempts + 1 >= context.maxAttempts,
  },
}).createMachine({
  id: 'secret',
  /** A new secret: no failed attempts, not used, not superseded. */
  context: ({ input }) => ({ ...input, failedAttempts: 0, usedAt: null, supersededAt: null }),
  initial: 'issued',
  states: {
    issued: {
      on: {
        submit: [
          { guard: 'matchesWhileValid', target: 'used', actions: ['markUsed', outcome('accepted')] },
          { guard: 'matches', target: 'expired', actions: outcome('expired') },
          // A wrong code after expiry does not count: the code is dead anyway.
          { guard: 'expired', target: 'expired', actions: outcome('invalid') },
          { guard: 'lastAttempt', target: 'burned', actions: ['countFailure', outcome('invalid')] },
          { actions: ['countFailure', outcome('invalid')] },
        ],
        supersede: { target: 'superseded', actions: 'markSuperseded' },
      },
    },
    used: {
      on: { submit: [{ guard: 'matches', actions: outcome('used') }, { actions: outcome('invalid') }] },
    },
    superseded: {
      on: { submit: { actions: outcome('invalid') } },
    },
    expired: {
      on: { submit: [{ guard: 'matches', actions: outcome('expired') }, { actions: outcome('invalid') }] },
    },
    burned: {
      on: { submit: [{ guard: 'matches', actions: outcome('too_many_attempts') }, { actions: outcome('invalid') }] },
    },
  },
});
