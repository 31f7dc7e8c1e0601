import type { AccountRepository } from '../accounts/account-repository.js';
import type { CoreDeps } from '../engine/deps.js';
import type { Locale } from '../messages/locales.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { LoginFlowContext, LoginLimits } from './login-machine.js';
import type { LoginPolicy } from './policy.js';
import type { LoginFactors } from '../factors/login-factors.js';

/** What the login module's parts share: the ports, the account gateway, the resolved policy. */
export interface LoginKit {
  readonly deps: CoreDeps;
  /** The one way to accounts (never `accounts/store.ts`). */
  readonly accounts: AccountRepository;
  readonly policy: LoginPolicy;
  /** The limits a new flow copies from the policy. */
  readonly limits: LoginLimits;
  /** The account's second factors beyond its phone; absent: the SMS code only. */
  readonly factors?: LoginFactors | undefined;
}

/** Builds the kit; `policy` must already be resolved. */
export function loginKit(
  deps: CoreDeps,
  accounts: AccountRepository,
  policy: LoginPolicy,
  factors?: LoginFactors,
): LoginKit {
  const { flowTtl, codeTtl, maxCodeAttempts, maxResends, resendCooldown } = policy;
  const limits = { flowTtl, codeTtl, maxCodeAttempts, maxResends, resendCooldown };
  return { deps, accounts, policy, limits, factors };
}

/** The lockout record a flow's guesses count in (a flow without a subject yet counts under itself). */
export const lockoutKeyOf = (ctx: LoginFlowContext): string => ctx.lockoutKey ?? `flow:${ctx.flowId}`;

/** The locale of the flow's account, else the desk's. */
export async function localeOf(kit: LoginKit, uow: UnitOfWork, ctx: LoginFlowContext): Promise<Locale> {
  if (ctx.accountId === null) return kit.deps.locale;
  return (await kit.accounts.findAccountById(ctx.accountId, uow))?.value.locale ?? kit.deps.locale;
}
