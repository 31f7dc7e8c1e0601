import type { UnitOfWork } from '../engine/unit-of-work.js';
import { addHit, checkRate, rateKey } from '../security/rate-limiter.js';
import { RECOVERY_CASE_KIND } from './case-record.js';
import type { RecoveryPolicy } from './policy.js';
import { FINAL_RECOVERY_STATUSES, type RecoveryStatus } from './recovery-machine.js';

// Issue 15, finding 1: open-and-cancel cycles mailed and texted the owner on every cycle. The
// limits count per login, whether or not an account has it, so the answers stay the same for
// both and nobody learns from them that the login exists.

/** The cases opened for one login, newest last (record id: the login). */
export const RECOVERY_LOGIN_KIND = 'recovery_login';
/** How many of a login's newest case ids are kept: more than any cap a policy allows. */
const KEPT = 100;

interface LoginCases {
  caseIds: string[];
}

/** What a new request for a login turns into. */
export type OpenDecision =
  /**
   * A new case: its own ticket, the notices, one hit on the login's window. `lapsed`: the cases
   * past their evidence deadline that no longer held the login; the opening commit expires them.
   */
  | { kind: 'open'; lapsed: string[] }
  /**
   * The login already has its open cases: answer with the newest; only the requester is told.
   * `retryAfter` (for a request told to wait) is one window on: it depends on nothing of the
   * case, so a stranger cannot read from it how far the case has come.
   */
  | { kind: 'join'; caseId: string; retryAfter: number }
  /** The window is used up and no case is open: answer with the newest case; nothing is sent or written. `retryAfter`: when the window frees a slot. */
  | { kind: 'hold'; caseId: string; retryAfter: number };

/** What `decideOpen` reads of a stored case. */
interface StoredCase {
  value?: string;
  context?: { evidenceDueAt?: number | null };
}

/**
 * A case waiting for evidence past its deadline has expired by rule, before the sweep records it
 * (evidence is refused from that instant too): it no longer holds the login.
 */
function lapsed(state: StoredCase, now: number): boolean {
  const due = state.context?.evidenceDueAt;
  return state.value === 'awaiting_evidence' && typeof due === 'number' && now >= due;
}

/** The rate-window key of a login's case openings. */
export const openWindowKey = (login: string) => rateKey('recovery.open', login);

async function caseIdsOf(uow: UnitOfWork, login: string): Promise<string[]> {
  return ((await uow.load(RECOVERY_LOGIN_KIND, login))?.state as LoginCases | undefined)?.caseIds ?? [];
}

/**
 * Decides, before any ticket is opened, whether a request for `login` opens a case, joins an
 * open one (`policy.maxOpenCasesPerAccount`) or is held back (`policy.opensPerWindow` per
 * `policy.openWindow`). Reads only.
 */
export async function decideOpen(uow: UnitOfWork, login: string, policy: RecoveryPolicy): Promise<OpenDecision> {
  const caseIds = await caseIdsOf(uow, login);
  const open: string[] = [];
  const lapsedIds: string[] = [];
  for (const id of caseIds) {
    const state = (await uow.load(RECOVERY_CASE_KIND, id))?.state as StoredCase | undefined;
    if (state?.value === undefined || FINAL_RECOVERY_STATUSES.has(state.value as RecoveryStatus)) continue;
    if (lapsed(state, uow.now)) lapsedIds.push(id);
    else open.push(id);
  }
  const newestOpen = open[open.length - 1];
  if (newestOpen !== undefined && open.length >= policy.maxOpenCasesPerAccount)
    return { kind: 'join', caseId: newestOpen, retryAfter: uow.now + policy.openWindow };
  const window = { limit: policy.opensPerWindow, windowMs: policy.openWindow };
  const latest = caseIds[caseIds.length - 1];
  const slot = latest === undefined ? null : await checkRate(uow, openWindowKey(login), window);
  if (slot === null || slot.allowed) return { kind: 'open', lapsed: lapsedIds };
  return { kind: 'hold', caseId: latest!, retryAfter: slot.availableAt };
}

/** Counts one opening of `login` in the caller's unit of work, with the case it opens. */
export async function countOpen(uow: UnitOfWork, login: string, caseId: string, policy: RecoveryPolicy): Promise<void> {
  const caseIds = [...(await caseIdsOf(uow, login)), caseId].slice(-KEPT);
  uow.put(RECOVERY_LOGIN_KIND, login, { state: { caseIds }, nextDueAt: null });
  await addHit(uow, openWindowKey(login), policy.openWindow);
}
