import type { UnitOfWork } from '../engine/unit-of-work.js';
import {
  clientLockoutKey,
  deviceLockoutKey,
  isKnownClient,
  stepUpLockoutKey,
  type LockoutState,
} from '../security/lockout.js';
import { claimRemembered, type DeviceClaim } from '../sessions/devices.js';
import { linkedSession } from '../sessions/login-intent.js';
import { accountSubject, isLive, sessions } from '../sessions/session-record.js';
import { lockoutKeyOf, type LoginKit } from './login-kit.js';
import type { LoginFlowContext } from './login-machine.js';

/**
 * Who is guessing, besides the subject (account, identifier or number) a step's guesses count on:
 * the client whose own lockout record also counts them (docs/security.md, **Lockout**). The owner
 * shows up as a client that passes the subject's lock: a client key that completed a login on the
 * account, a live remembered device of the account, or, for a step-up, the live session of the
 * account it started from. Their own record still locks them after their own wrong guesses, so a
 * stolen device cookie or session gets no more guesses than a client key.
 */
export interface StepClient {
  /** The client's own lockout record. */
  key: string;
  /** Whether it passes the subject's lock (docs/security.md, "Lockout": the lockout never locks out the owner). */
  known: boolean;
}

/**
 * The lockout record of the step-ups on the subject of `subjectKey`: one for the account, shared
 * by all its live sessions. Only a live session reaches it, so strangers' guesses never lock the
 * owner's step-up; and one record, not one per session, because a new session is cheap for
 * whoever holds a remembered device and the password (a device login skips the second factor):
 * per session, every fresh login would have bought five fresh step-up guesses.
 */
export const stepUpClientKey = (subjectKey: string): string => stepUpLockoutKey(subjectKey);

/**
 * The id of the remembered device `claim` names when it is a live device of the flow's account,
 * else null: another account's, a forged, an ended or an expired one counts nothing, and an unknown
 * login costs the same read as a known one.
 */
export async function liveDeviceOf(
  uow: UnitOfWork,
  ctx: LoginFlowContext,
  claim: DeviceClaim | null | undefined,
): Promise<string | null> {
  if (!claim || ctx.kind !== 'password') return null;
  return (await claimRemembered(uow, claim, ctx.accountId)) ? claim.deviceId : null;
}

/** The session a step-up flow started from, when it is still live and the flow's account's; else null. */
async function liveStepUpSession(uow: UnitOfWork, ctx: LoginFlowContext): Promise<string | null> {
  if (ctx.kind !== 'step_up' || ctx.accountId === null) return null;
  const sessionId = await linkedSession(uow, ctx.flowId);
  if (sessionId === null) return null;
  const loaded = await sessions.find(uow, sessionId);
  if (!isLive(loaded, uow.now) || loaded.snapshot.context.subject !== accountSubject(ctx.accountId)) return null;
  return sessionId;
}

/**
 * The owner's own record of this step, or null: the live remembered device's (`claim`, a password
 * flow) or the live session's (a step-up flow). Such a client passes the subject's lock.
 */
export async function ownerRecordOf(
  kit: LoginKit,
  uow: UnitOfWork,
  ctx: LoginFlowContext,
  claim: DeviceClaim | null | undefined,
): Promise<string | null> {
  const subjectKey = lockoutKeyOf(ctx);
  const deviceId = await liveDeviceOf(uow, ctx, claim);
  if (deviceId !== null) return deviceLockoutKey(subjectKey, deviceId);
  const sessionId = await liveStepUpSession(uow, ctx);
  return sessionId === null ? null : stepUpClientKey(subjectKey);
}

/**
 * The client of a step: the owner's device or session when there is one (it speaks for the
 * client better than the host's key), else the host's client key, else none (the subject's
 * record alone decides).
 */
export async function stepClientOf(
  kit: LoginKit,
  uow: UnitOfWork,
  ctx: LoginFlowContext,
  subject: LockoutState,
  claim: DeviceClaim | null | undefined,
): Promise<StepClient | null> {
  const owner = await ownerRecordOf(kit, uow, ctx, claim);
  if (owner !== null) return { key: owner, known: true };
  if (ctx.clientKey === null) return null;
  return { key: clientLockoutKey(lockoutKeyOf(ctx), ctx.clientKey), known: isKnownClient(subject, ctx.clientKey) };
}
