import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { SessionIssuer } from './issuer.js';

/**
 * What the host asked for on the call that may complete a login (`rememberDevice`, a device
 * label). Kept per unit of work, not in the flow: it belongs to this call only, and a re-run
 * of the command (version conflict) sets it again on its new unit of work.
 */
export interface LoginIntent {
  rememberDevice: boolean;
  deviceLabel: string | null;
}

const intents = new WeakMap<UnitOfWork, LoginIntent>();

/** Records the intent of the call running in `uow`. */
export function setLoginIntent(uow: UnitOfWork, intent: LoginIntent): void {
  intents.set(uow, intent);
}

/** The intent of the call running in `uow`; none asked: no device remembered, no label. */
export function loginIntentOf(uow: UnitOfWork): LoginIntent {
  return intents.get(uow) ?? { rememberDevice: false, deviceLabel: null };
}

/**
 * The login kit as the sessions module extends it: `src/login/login-kit.ts` builds the kit, and
 * the login service adds the issuer (absent when a login service is built without sessions).
 */
export interface WithSessions {
  readonly sessions?: SessionIssuer;
}

/** The step-up link record: which session a step-up flow (id = flow id) refreshes when it completes. */
export const STEP_UP_LINK_KIND = 'session_step_up';

/** Writes the link of a step-up flow to the caller's session, in the flow's creating commit. */
export function linkStepUp(uow: UnitOfWork, flowId: string, sessionId: string): void {
  uow.create(STEP_UP_LINK_KIND, flowId, { state: { sessionId }, nextDueAt: null });
}

/** The session a step-up flow refreshes, or null. */
export async function linkedSession(uow: UnitOfWork, flowId: string): Promise<string | null> {
  const record = await uow.load(STEP_UP_LINK_KIND, flowId);
  const state = record?.state as { sessionId?: unknown } | undefined;
  return typeof state?.sessionId === 'string' ? state.sessionId : null;
}
