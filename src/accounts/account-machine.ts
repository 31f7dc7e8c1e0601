import { setup } from 'xstate';
import { restoreSnapshot, stepMachine } from '../engine/machine-step.js';

/** The statuses of an account. */
export const ACCOUNT_STATUSES = ['pending_activation', 'active', 'disabled'] as const;
/** One of {@link ACCOUNT_STATUSES}. */
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** The account machine's context. */
export interface AccountStatusContext {
  /** The main administrator (`admin@company`) can never be disabled: an organisation always keeps one. */
  isMainAdmin: boolean;
}

/** The events of the account machine, each with the command's time. */
export type AccountStatusEvent =
  { type: 'activate'; at: number } | { type: 'disable'; at: number } | { type: 'enable'; at: number };

/**
 * The account lifecycle. A personal account starts `pending_activation` and cannot log in
 * until its activation link is followed; a business user starts `active` with a temporary
 * password. Disabling revokes sessions (the `revokeSessions` effect).
 */
export const accountStatusMachine = setup({
  types: {
    context: {} as AccountStatusContext,
    events: {} as AccountStatusEvent,
    input: {} as AccountStatusContext,
  },
  actions: {
    /** Effect: end every session of the account through the SessionRevoker port. */
    revokeSessions: () => {},
  },
  guards: {
    notMainAdmin: ({ context }) => !context.isMainAdmin,
  },
}).createMachine({
  id: 'account',
  /** The input as the starting context. */
  context: ({ input }) => ({ ...input }),
  initial: 'pending_activation',
  states: {
    pending_activation: { on: { activate: { target: 'active' } } },
    active: { on: { disable: { guard: 'notMainAdmin', target: 'disabled', actions: 'revokeSessions' } } },
    disabled: { on: { enable: { target: 'active' } } },
  },
});

/** The effects the account machine returns (named actions, carried out by the service). */
export type AccountStatusEffect = { type: 'revokeSessions'; params: undefined };

/** The answer of {@link stepAccountStatus}: whether the machine took the event, the status after it, its effects. */
export interface AccountStatusStep {
  accepted: boolean;
  status: AccountStatus;
  effects: AccountStatusEffect[];
}

/**
 * Steps an account's status (stored flat on the account record, not as a snapshot) through
 * the machine. Pure: the caller writes the new status and carries out the effects.
 */
export function stepAccountStatus(
  account: { status: AccountStatus; isMainAdmin: boolean },
  event: AccountStatusEvent,
): AccountStatusStep {
  const snapshot = restoreSnapshot(accountStatusMachine, {
    value: account.status,
    context: { isMainAdmin: account.isMainAdmin },
  });
  const result = stepMachine(accountStatusMachine, snapshot, event);
  return {
    accepted: result.accepted,
    status: result.snapshot.value as AccountStatus,
    effects: result.effects as AccountStatusEffect[],
  };
}
