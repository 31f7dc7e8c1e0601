import type { DueHandler } from '../engine/timers.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { StoredRecord } from '../ports/record-store.js';
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

/** A stored step-up link. It ends when its step-up completes or when its flow's lifetime is over. */
export interface StepUpLink {
  sessionId: string;
  /** The step-up flow's own end: the sweep ends the link then (`runDueTimers`). */
  expiresAt: number;
  endedAt: number | null;
  endReason: 'completed' | 'expired' | null;
}

const linkOf = (record: StoredRecord | null): StepUpLink | null => {
  const state = record?.state as Partial<StepUpLink> | undefined;
  if (typeof state?.sessionId !== 'string') return null;
  // A link written before links had a lifetime (no expiresAt) stays live until its step-up completes.
  return {
    sessionId: state.sessionId,
    expiresAt: state.expiresAt ?? 0,
    endedAt: state.endedAt ?? null,
    endReason: state.endReason ?? null,
  };
};

function writeLink(uow: UnitOfWork, flowId: string, link: StepUpLink, create: boolean): void {
  const live = link.endedAt === null;
  const change = {
    state: { ...link },
    indexes: { state: live ? 'active' : 'ended' },
    nextDueAt: live ? link.expiresAt : null,
  };
  if (create) uow.create(STEP_UP_LINK_KIND, flowId, change);
  else uow.put(STEP_UP_LINK_KIND, flowId, change);
}

/**
 * Writes the link of a step-up flow to the caller's session, in the flow's creating commit; it is
 * due at `expiresAt` (the flow's end), so a step-up never finished does not leave a live link behind.
 */
export function linkStepUp(uow: UnitOfWork, flowId: string, sessionId: string, expiresAt: number): void {
  writeLink(uow, flowId, { sessionId, expiresAt, endedAt: null, endReason: null }, true);
}

/** The session a live step-up flow refreshes, or null (none, or its link already ended). */
export async function linkedSession(uow: UnitOfWork, flowId: string): Promise<string | null> {
  const link = linkOf(await uow.load(STEP_UP_LINK_KIND, flowId));
  return link && link.endedAt === null ? link.sessionId : null;
}

/** Ends the link of a step-up that just completed, in its commit (no due date left). */
export async function endStepUpLink(uow: UnitOfWork, flowId: string): Promise<void> {
  const link = linkOf(await uow.load(STEP_UP_LINK_KIND, flowId));
  if (link && link.endedAt === null)
    writeLink(uow, flowId, { ...link, endedAt: uow.now, endReason: 'completed' }, false);
}

/**
 * The sweep of step-up links (`runDueTimers`): a live link whose flow's lifetime is over ends
 * `expired`; anything else is stored as it is, which ends the claim. Late or repeated: harmless.
 */
export const onStepUpLinkDue: DueHandler = async (uow, record) => {
  const link = linkOf(record);
  if (link && link.endedAt === null && uow.now >= link.expiresAt) {
    writeLink(uow, record.id, { ...link, endedAt: uow.now, endReason: 'expired' }, false);
    return [{ kind: STEP_UP_LINK_KIND, id: record.id, event: 'expire', dueAt: link.expiresAt }];
  }
  const nextDueAt = link && link.endedAt === null ? link.expiresAt : null;
  uow.put(STEP_UP_LINK_KIND, record.id, { state: record.state, indexes: { ...record.indexes }, nextDueAt });
  return [];
};
