import { assign, setup } from 'xstate';
import { contextFromInput } from '../engine/machine-step.js';
import type {
  CodeOutcome,
  FactorChoice,
  LoginEvent,
  LoginFlowContext,
  LoginMachineInput,
  PasswordVerdict,
  SmsSlot,
} from './flow-types.js';
import type { LoginErrorCode } from './error-codes.js';

export * from './flow-types.js';

const verdictOf = (event: LoginEvent) => (event.type === 'password' ? event.verdict : null);
const codeOf = (event: LoginEvent) => (event.type === 'code' ? event.outcome : null);

/** Until when the event says the subject is locked out, or null. */
function lockOf(event: LoginEvent): number | null {
  if (event.type === 'phone' || event.type === 'stepUp') return event.lockedUntil;
  const verdict = verdictOf(event) ?? codeOf(event);
  return verdict?.result === 'locked' ? verdict.retryAfter : null;
}
const fail = (code: LoginErrorCode) => ({ type: 'fail', params: { code } }) as const;

/** The SMS budget fact an event carries, if any. */
function smsOf(event: LoginEvent): SmsSlot | null {
  if (
    event.type === 'phone' ||
    event.type === 'stepUp' ||
    event.type === 'resend' ||
    event.type === 'enrol' ||
    event.type === 'chooseFactor'
  )
    return event.sms;
  if (event.type === 'password' && event.verdict.result === 'ok') return event.verdict.sms;
  return null;
}

/** An app or backup codes: nothing is sent, the user reads the code from what they hold. */
const codeFromHolder = (factor: FactorChoice | null | undefined) =>
  factor?.type === 'totp' || factor?.type === 'backup_codes';

/** The factor an event picks from the offered ones, or null. */
function chosenOf(context: LoginFlowContext, event: LoginEvent): FactorChoice | null {
  if (event.type === 'stepUp') return event.factor ?? null;
  if (event.type !== 'chooseFactor') return null;
  return (context.factors ?? []).find((factor) => factor.id === event.factorId) ?? null;
}

/**
 * The `sendCode` effect; `deliver` is false when the recipient's budget is spent (nothing is
 * issued or sent), and for an app or backup codes, which have nothing to send.
 */
const sendCode = {
  type: 'sendCode',
  /** Reads `deliver` from the event: false when the budget is spent or the factor sends nothing. */
  params: ({ context, event }: { context: LoginFlowContext; event: LoginEvent }) => ({
    deliver: (smsOf(event)?.allowed ?? false) && !codeFromHolder(chosenOf(context, event) ?? context.factor),
  }),
} as const;

/** Prepended to every user event of a live state: a step after the lifetime ends the flow `expired`. */
const expiry = { guard: 'flowExpired', target: 'expired', actions: ['touch', 'markEnded'] } as const;

/**
 * The login flow. Pure: it never sees a password or a code, only the verdicts the service
 * computed (`password.verdict`, `code.outcome`) and facts such as whether an SMS may be sent
 * now (`sms`). Time is in the events (`at`); the flow's lifetime is the context field
 * `expiresAt`, checked by the `flowExpired` guard on every step and fired by the sweep as
 * `expire`, so no xstate `after` timer has to survive a restart. Effects are named actions the
 * service turns into records and messages: `sendCode`, `revokeCode`, `authenticated`,
 * `lockedOut`. A step the machine has no transition for is refused (`STEP_NOT_ALLOWED`).
 */
export const loginMachine = setup({
  types: {
    context: {} as LoginFlowContext,
    events: {} as LoginEvent,
    input: {} as LoginMachineInput,
  },
  actions: {
    /**
     * Effect: issue a code (replacing any earlier one) and queue the SMS, taking a slot of the
     * number's budget. With `deliver: false` (budget spent) nothing is issued or sent.
     */
    sendCode: (_, _params: { deliver: boolean }) => {},
    /** Effect: invalidate the live code of this flow. */
    revokeCode: () => {},
    /** Effect: build the login result and reset the lockout count. */
    authenticated: () => {},
    /** Effect: the lockout record already holds the lock; audit it. */
    lockedOut: () => {},
    fail: assign((_, params: { code: LoginErrorCode }) => ({ error: { code: params.code } })),
    touch: assign({ updatedAt: ({ event }) => event.at, error: null }),
    markEnded: assign({ endedAt: ({ event }) => event.at, updatedAt: ({ event }) => event.at }),
    setSubject: assign(({ event }) =>
      event.type === 'identify'
        ? { subjectKnown: event.subjectKnown, accountId: event.accountId, lockoutKey: event.lockoutKey }
        : {},
    ),
    acceptPassword: assign(({ event }) => {
      const verdict = verdictOf(event);
      if (verdict?.result !== 'ok') return {};
      return {
        passwordVerified: true,
        codeRequired: verdict.codeRequired,
        newPasswordRequired: verdict.temporary,
        organizationId: verdict.organizationId,
        phone: verdict.codeRequired ? verdict.phone : null,
        maskedPhone: verdict.codeRequired ? verdict.maskedPhone : null,
        factors: verdict.codeRequired ? (verdict.factors ?? []) : [],
        credentialEpoch: verdict.credentialEpoch ?? 0,
        ...(verdict.deviceClaim ? { deviceClaim: { ...verdict.deviceClaim } } : {}),
      };
    }),
    /** The chosen factor becomes the flow's code step; a code sent to another address uses it. */
    chooseFactor: assign(({ context, event }) => {
      const factor = chosenOf(context, event);
      return factor ? { factor } : {};
    }),
    startPhone: assign(({ event }) =>
      event.type === 'phone'
        ? {
            kind: 'phone' as const,
            subjectKnown: event.subjectKnown,
            lockoutKey: event.lockoutKey,
            organizationId: event.organizationId,
            phone: event.phone,
            maskedPhone: event.maskedPhone,
            codeRequired: true,
          }
        : {},
    ),
    startStepUp: assign(({ event }) =>
      event.type === 'stepUp'
        ? {
            kind: 'step_up' as const,
            subjectKnown: true,
            accountId: event.accountId,
            lockoutKey: event.lockoutKey,
            organizationId: event.organizationId,
            phone: event.phone,
            maskedPhone: event.maskedPhone,
            passwordVerified: true,
            codeRequired: true,
            factor: event.factor ?? null,
          }
        : {},
    ),
    /** The phone being enrolled gets the code; it becomes the account's phone when the login completes. */
    startEnrolment: assign(({ event }) =>
      event.type === 'enrol'
        ? { phone: event.phone, maskedPhone: event.maskedPhone, codeRequired: true, enrolling: true }
        : {},
    ),
    /**
     * Entering the code step: a code goes out now if the number's budget allows; otherwise
     * the view says `SMS_LIMIT` and when a resend can help.
     */
    openCodeStep: assign(({ context, event }) => {
      // An app or backup codes: the code step lasts as long as the flow, and there is nothing to resend.
      if (codeFromHolder(chosenOf(context, event)))
        return { codeExpiresAt: context.expiresAt, resendAvailableAt: null };
      const sms = smsOf(event) ?? ({ allowed: true } as const);
      if (!sms.allowed) {
        return {
          codeExpiresAt: null,
          resendAvailableAt: sms.availableAt,
          error: { code: 'SMS_LIMIT' as const, retryAfter: sms.availableAt },
        };
      }
      return {
        codeExpiresAt: event.at + context.limits.codeTtl,
        resendAvailableAt: event.at + context.limits.resendCooldown,
      };
    }),
    resent: assign(({ context, event }) => ({
      codeExpiresAt: event.at + context.limits.codeTtl,
      resendAvailableAt: event.at + context.limits.resendCooldown,
      resendsLeft: context.resendsLeft - 1,
    })),
    wrongCode: assign(({ context }) => ({
      codeAttemptsLeft: Math.max(0, context.codeAttemptsLeft - 1),
      error: { code: 'WRONG_CODE' as const },
    })),
    acceptCode: assign({ codeVerified: true }),
    acceptNewPassword: assign({ passwordChanged: true }),
    markAuthenticated: assign({ authenticatedAt: ({ event }) => event.at, endedAt: ({ event }) => event.at }),
    markLocked: assign(({ event }) => ({
      endedAt: event.at,
      error: { code: 'LOCKED' as const, retryAfter: lockOf(event) ?? event.at },
    })),
    failResendTooSoon: assign(({ context }) => ({
      error: { code: 'RESEND_TOO_SOON' as const, retryAfter: context.resendAvailableAt ?? 0 },
    })),
    failSmsLimit: assign(({ context, event }) => {
      if (event.type !== 'resend' || event.sms.allowed) return {};
      return {
        resendAvailableAt: Math.max(context.resendAvailableAt ?? 0, event.sms.availableAt),
        error: { code: 'SMS_LIMIT' as const, retryAfter: event.sms.availableAt },
      };
    }),
    /** The password (or temporary password) this flow proved is no longer the account's. */
    failCredentialsChanged: assign(({ context }) => ({
      error: {
        code: context.newPasswordRequired ? ('TEMPORARY_PASSWORD_EXPIRED' as const) : ('WRONG_PASSWORD' as const),
      },
    })),
    failPasswordRejected: assign(({ event }) =>
      event.type === 'newPassword' && event.outcome.result === 'rejected'
        ? { error: { code: 'PASSWORD_REJECTED' as const, reason: event.outcome.reason } }
        : {},
    ),
  },
  guards: {
    flowExpired: ({ context, event }) => event.at >= context.expiresAt,
    lockedOut: ({ event }) => lockOf(event) !== null,
    wrongPassword: ({ event }) => verdictOf(event)?.result === 'wrong',
    notActivated: ({ event }) => verdictOf(event)?.result === 'not_activated',
    accountDisabled: ({ event }) => verdictOf(event)?.result === 'disabled',
    temporaryPasswordExpired: ({ event }) => verdictOf(event)?.result === 'temporary_expired',
    phoneRequired: ({ event }) => verdictOf(event)?.result === 'phone_required',
    /** Right password of an account whose factor a recovery removed: enrol a new phone first. */
    passwordThenEnrolment: ({ context, event }) => {
      const v = verdictOf(event);
      return context.subjectKnown && v?.result === 'ok' && v.enrolmentRequired === true;
    },
    /** Right password, a second factor required, and more than the phone to choose from. */
    passwordThenFactor: ({ context, event }) => {
      const v = verdictOf(event);
      return context.subjectKnown && v?.result === 'ok' && v.codeRequired && (v.factors?.length ?? 0) > 0;
    },
    /** The chosen factor is one the flow offered. */
    factorOffered: ({ context, event }) => chosenOf(context, event) !== null,
    /** An app or backup codes: there is no code to resend. */
    nothingToResend: ({ context }) => codeFromHolder(context.factor),
    /** Right password, and the organisation (or a phone on record) asks for the SMS code. */
    passwordThenCode: ({ context, event }) => {
      const v = verdictOf(event);
      return context.subjectKnown && v?.result === 'ok' && v.codeRequired && v.phone !== null;
    },
    /** Right temporary password and no SMS code required: only a new password leads on. */
    passwordThenNewPassword: ({ context, event }) => {
      const v = verdictOf(event);
      return context.subjectKnown && v?.result === 'ok' && !v.codeRequired && v.temporary;
    },
    /** Right password, no SMS code required (switched off by the main administrator, or no phone on a personal account). */
    passwordSuffices: ({ context, event }) => {
      const v = verdictOf(event);
      return context.subjectKnown && v?.result === 'ok' && !v.codeRequired && !v.temporary;
    },
    codeThenNewPassword: ({ context, event }) =>
      context.subjectKnown && codeOf(event)?.result === 'accepted' && context.newPasswordRequired,
    codeAccepted: ({ context, event }) =>
      context.subjectKnown && codeOf(event)?.result === 'accepted' && !context.newPasswordRequired,
    codeExpired: ({ context, event }) => context.subjectKnown && codeOf(event)?.result === 'expired',
    lastCodeAttempt: ({ context }) => context.codeAttemptsLeft <= 1,
    resendTooSoon: ({ context, event }) => context.resendAvailableAt !== null && event.at < context.resendAvailableAt,
    noResendsLeft: ({ context }) => context.resendsLeft <= 0,
    smsLimitReached: ({ event }) => event.type === 'resend' && !event.sms.allowed,
    newPasswordRejected: ({ event }) => event.type === 'newPassword' && event.outcome.result === 'rejected',
    /**
     * A reset, a password change, a reissued temporary password or a recovery came after the
     * password step: found by the code step, the new-password step, or a step that would send a code.
     */
    credentialsChanged: ({ event }) =>
      codeOf(event)?.result === 'stale' ||
      (event.type === 'newPassword' && event.outcome.result === 'stale') ||
      ((event.type === 'resend' || event.type === 'chooseFactor' || event.type === 'enrol') && event.stale === true),
    /** Every factor the flow requires is done: the password, and the code when required. */
    newPasswordCompletes: ({ context, event }) =>
      event.type === 'newPassword' &&
      event.outcome.result === 'changed' &&
      context.subjectKnown &&
      context.passwordVerified &&
      (!context.codeRequired || context.codeVerified),
  },
}).createMachine({
  id: 'login',
  /** A fresh flow at `awaiting_identifier`, from the input; the subject stays unknown until `identify`. */
  context: contextFromInput((input: LoginMachineInput): LoginFlowContext => ({
    flowId: input.flowId,
    kind: 'password',
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    expiresAt: input.createdAt + input.limits.flowTtl,
    limits: input.limits,
    subjectKnown: false,
    accountId: null,
    lockoutKey: null,
    clientKey: input.clientKey ?? null,
    ...(input.deviceClaim ? { deviceClaim: { ...input.deviceClaim } } : {}),
    organizationId: null,
    phone: null,
    maskedPhone: null,
    codeRequired: false,
    newPasswordRequired: false,
    passwordVerified: false,
    codeVerified: false,
    passwordChanged: false,
    enrolling: false,
    codeExpiresAt: null,
    codeAttemptsLeft: input.limits.maxCodeAttempts,
    resendsLeft: input.limits.maxResends,
    resendAvailableAt: null,
    error: null,
    authenticatedAt: null,
    endedAt: null,
  })),
  initial: 'awaiting_identifier',
  states: {
    awaiting_identifier: {
      on: {
        identify: [expiry, { target: 'awaiting_password', actions: ['touch', 'setSubject'] }],
        phone: [
          expiry,
          { guard: 'lockedOut', target: 'locked', actions: ['touch', 'startPhone', 'markLocked', 'lockedOut'] },
          { target: 'awaiting_code', actions: ['touch', 'startPhone', 'openCodeStep', sendCode] },
        ],
        stepUp: [
          expiry,
          { guard: 'lockedOut', target: 'locked', actions: ['touch', 'startStepUp', 'markLocked', 'lockedOut'] },
          { target: 'awaiting_code', actions: ['touch', 'startStepUp', 'openCodeStep', sendCode] },
        ],
        expire: expiry,
      },
    },
    awaiting_password: {
      on: {
        password: [
          expiry,
          { guard: 'lockedOut', target: 'locked', actions: ['touch', 'markLocked', 'lockedOut'] },
          { guard: 'wrongPassword', actions: ['touch', fail('WRONG_PASSWORD')] },
          { guard: 'notActivated', target: 'failed', actions: ['touch', 'markEnded', fail('ACCOUNT_NOT_ACTIVATED')] },
          { guard: 'accountDisabled', target: 'failed', actions: ['touch', 'markEnded', fail('ACCOUNT_DISABLED')] },
          {
            guard: 'temporaryPasswordExpired',
            target: 'failed',
            actions: ['touch', 'markEnded', fail('TEMPORARY_PASSWORD_EXPIRED')],
          },
          { guard: 'phoneRequired', target: 'failed', actions: ['touch', 'markEnded', fail('PHONE_REQUIRED')] },
          { guard: 'passwordThenEnrolment', target: 'awaiting_enrolment', actions: ['touch', 'acceptPassword'] },
          { guard: 'passwordThenFactor', target: 'awaiting_factor', actions: ['touch', 'acceptPassword'] },
          {
            guard: 'passwordThenCode',
            target: 'awaiting_code',
            actions: ['touch', 'acceptPassword', 'openCodeStep', sendCode],
          },
          { guard: 'passwordThenNewPassword', target: 'awaiting_new_password', actions: ['touch', 'acceptPassword'] },
          {
            guard: 'passwordSuffices',
            target: 'authenticated',
            actions: ['touch', 'acceptPassword', 'markAuthenticated', 'authenticated'],
          },
          // Anything else (an `ok` verdict for an unknown subject cannot come from the service) is a wrong password.
          { actions: ['touch', fail('WRONG_PASSWORD')] },
        ],
        expire: expiry,
      },
    },
    awaiting_code: {
      on: {
        code: [
          expiry,
          { guard: 'lockedOut', target: 'locked', actions: ['touch', 'markLocked', 'revokeCode', 'lockedOut'] },
          {
            guard: 'credentialsChanged',
            target: 'failed',
            actions: ['touch', 'markEnded', 'failCredentialsChanged', 'revokeCode'],
          },
          { guard: 'codeThenNewPassword', target: 'awaiting_new_password', actions: ['touch', 'acceptCode'] },
          {
            guard: 'codeAccepted',
            target: 'authenticated',
            actions: ['touch', 'acceptCode', 'markAuthenticated', 'authenticated'],
          },
          { guard: 'codeExpired', actions: ['touch', fail('CODE_EXPIRED')] },
          {
            guard: 'lastCodeAttempt',
            target: 'failed',
            actions: ['touch', 'wrongCode', 'markEnded', fail('TOO_MANY_ATTEMPTS'), 'revokeCode'],
          },
          { actions: ['touch', 'wrongCode'] },
        ],
        resend: [
          expiry,
          {
            guard: 'credentialsChanged',
            target: 'failed',
            actions: ['touch', 'markEnded', 'failCredentialsChanged', 'revokeCode'],
          },
          { guard: 'nothingToResend', actions: ['touch', fail('RESEND_LIMIT')] },
          // None left is said at once: a RESEND_TOO_SOON would promise a resend that cannot come.
          { guard: 'noResendsLeft', actions: ['touch', fail('RESEND_LIMIT')] },
          { guard: 'resendTooSoon', actions: ['touch', 'failResendTooSoon'] },
          { guard: 'smsLimitReached', actions: ['touch', 'failSmsLimit'] },
          { actions: ['touch', 'resent', sendCode] },
        ],
        expire: expiry,
      },
    },
    awaiting_factor: {
      on: {
        chooseFactor: [
          expiry,
          { guard: 'credentialsChanged', target: 'failed', actions: ['touch', 'markEnded', 'failCredentialsChanged'] },
          {
            guard: 'factorOffered',
            target: 'awaiting_code',
            actions: ['touch', 'chooseFactor', 'openCodeStep', sendCode],
          },
        ],
        expire: expiry,
      },
    },
    awaiting_new_password: {
      on: {
        newPassword: [
          expiry,
          {
            guard: 'credentialsChanged',
            target: 'failed',
            actions: ['touch', 'markEnded', 'failCredentialsChanged'],
          },
          { guard: 'newPasswordRejected', actions: ['touch', 'failPasswordRejected'] },
          {
            guard: 'newPasswordCompletes',
            target: 'authenticated',
            actions: ['touch', 'acceptNewPassword', 'markAuthenticated', 'authenticated'],
          },
        ],
        expire: expiry,
      },
    },
    awaiting_enrolment: {
      on: {
        enrol: [
          expiry,
          { guard: 'credentialsChanged', target: 'failed', actions: ['touch', 'markEnded', 'failCredentialsChanged'] },
          { target: 'awaiting_code', actions: ['touch', 'startEnrolment', 'openCodeStep', sendCode] },
        ],
        expire: expiry,
      },
    },
    authenticated: { type: 'final' },
    failed: { type: 'final' },
    expired: { type: 'final' },
    locked: { type: 'final' },
  },
});

/**
 * Builds machine events, so a driver of the pure machine (a benchmark, a model test) does not
 * spell out the event shapes: `loginEvents.identify(at, { ... })`, `loginEvents.password(at, verdict)`.
 */
export const loginEvents = {
  /** The identifier step's lookup: whether the subject is known, its account and its lockout key. */
  identify: (at: number, subject: { subjectKnown: boolean; accountId: string | null; lockoutKey: string }) =>
    ({ type: 'identify', at, ...subject }) satisfies LoginEvent,
  /** The password step, with what the service found out about the password. */
  password: (at: number, verdict: PasswordVerdict) => ({ type: 'password', at, verdict }) satisfies LoginEvent,
  /** An `ok` password verdict that asks for the SMS code (the common business login). */
  passwordOk: (
    at: number,
    options: {
      temporary?: boolean;
      codeRequired?: boolean;
      phone?: string | null;
      organizationId?: string | null;
    } = {},
  ) =>
    ({
      type: 'password',
      at,
      verdict: {
        result: 'ok',
        temporary: options.temporary ?? false,
        codeRequired: options.codeRequired ?? true,
        organizationId: options.organizationId ?? null,
        phone: options.phone === undefined ? '+36301234567' : options.phone,
        maskedPhone: '+36 30 *** **67',
        sms: { allowed: true },
      },
    }) satisfies LoginEvent,
  /** The code step, with what the service found out about the code. */
  code: (at: number, outcome: CodeOutcome) => ({ type: 'code', at, outcome }) satisfies LoginEvent,
  /** A resend request; `sms` defaults to a free sending slot. */
  resend: (at: number, sms: SmsSlot = { allowed: true }) => ({ type: 'resend', at, sms }) satisfies LoginEvent,
  /** The new-password step: `changed`, or `rejected` with the reason. */
  newPassword: (
    at: number,
    outcome: { result: 'changed' } | { result: 'rejected'; reason: string } | { result: 'stale' },
  ) => ({ type: 'newPassword', at, outcome }) satisfies LoginEvent,
  /** The phone a recovered account enrols at the `awaiting_enrolment` step. */
  enrol: (at: number, phone = '+36301234567', sms: SmsSlot = { allowed: true }) =>
    ({ type: 'enrol', at, phone, maskedPhone: '+36 30 *** **67', sms }) satisfies LoginEvent,
  /** The lifetime check: a live flow past its `expiresAt` ends `expired`. */
  expire: (at: number) => ({ type: 'expire', at }) satisfies LoginEvent,
  /** The factor picked at `awaiting_factor`. */
  chooseFactor: (at: number, factorId: string, sms: SmsSlot = { allowed: true }) =>
    ({ type: 'chooseFactor', at, factorId, sms }) satisfies LoginEvent,
};
