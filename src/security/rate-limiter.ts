import type { UnitOfWork } from '../engine/unit-of-work.js';

/**
 * One sliding-window limiter for everything the library counts: requests per account
 * (activation re-sends, reset requests, username reminders), wrong reset codes, and SMS per
 * number or account. One record kind, keyed `<purpose>:<subject>`, holding the hit times inside
 * the window. Every call runs inside the caller's command: the record is loaded into the unit of
 * work, so the commit is guarded by what was read and two concurrent requests cannot both take
 * the last slot.
 */
export const RATE_WINDOW_KIND = 'rate_window';

/** What a window record holds. */
export interface RateWindowState {
  /** Hit times within the window, oldest first. */
  hits: number[];
  /**
   * When the window is over: its last hit plus the window's length (for a cleared window, the
   * clearing). Retention deletes the record then, as an empty window does; absent on windows
   * written before it was kept, which retention leaves alone.
   */
  until?: number;
}

/** Whether one more hit fits now; if not, when the oldest hit leaves the window. */
export type RateSlot = { allowed: true } | { allowed: false; availableAt: number };

/** A window: at most `limit` hits within any `windowMs`. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** The record id of a window: what is counted, and for whom. */
export const rateKey = (purpose: string, subject: string): string => `${purpose}:${subject}`;

/**
 * The state a window record is written with: its hits, and when it is over, the later of its last
 * hit plus `windowMs` and the end an earlier write recorded (`previous`, the stored state).
 */
export function rateWindowState(
  hits: number[],
  windowMs: number,
  previous?: unknown,
): { hits: number[]; until: number } {
  const earlier = (previous as RateWindowState | undefined)?.until;
  return { hits, until: Math.max(Math.max(0, ...hits) + windowMs, typeof earlier === 'number' ? earlier : 0) };
}

function hitsIn(state: unknown, since: number): number[] {
  return ((state as RateWindowState | undefined)?.hits ?? []).filter((at) => at > since);
}

/** The hits of `key` within the last `windowMs` (the record is loaded into `uow`). */
export async function recentHits(uow: UnitOfWork, key: string, windowMs: number): Promise<number[]> {
  return hitsIn((await uow.load(RATE_WINDOW_KIND, key))?.state, uow.now - windowMs);
}

/** Whether one more hit fits in `window` now, without recording it. */
export async function checkRate(uow: UnitOfWork, key: string, window: RateWindow): Promise<RateSlot> {
  const hits = await recentHits(uow, key, window.windowMs);
  if (hits.length < window.limit) return { allowed: true };
  // The window frees a slot when the (length - limit + 1)-th oldest hit ages out.
  const freeing = hits[hits.length - window.limit] ?? uow.now;
  return { allowed: false, availableAt: freeing + window.windowMs };
}

/** Records one hit at `now` (a counter, not a limit: it always records). */
export async function addHit(uow: UnitOfWork, key: string, windowMs: number): Promise<void> {
  const state = (await uow.load(RATE_WINDOW_KIND, key))?.state as RateWindowState | undefined;
  const hits = hitsIn(state, uow.now - windowMs);
  uow.put(RATE_WINDOW_KIND, key, { state: rateWindowState([...hits, uow.now], windowMs, state), nextDueAt: null });
}

/** Records a hit when one more fits in `window` and returns true; returns false (recording nothing) otherwise. */
export async function takeRate(uow: UnitOfWork, key: string, window: RateWindow): Promise<boolean> {
  if (!(await checkRate(uow, key, window)).allowed) return false;
  await addHit(uow, key, window.windowMs);
  return true;
}

/** Forgets every hit of `key`; writes nothing when there is none. */
export async function clearHits(uow: UnitOfWork, key: string): Promise<void> {
  const record = await uow.load(RATE_WINDOW_KIND, key);
  if (hitsIn(record?.state, -Infinity).length > 0)
    uow.put(RATE_WINDOW_KIND, key, { state: { hits: [], until: uow.now }, nextDueAt: null });
}

/** The tighter of several slots: allowed only when every one is. */
export function combineSlots(slots: readonly RateSlot[]): RateSlot {
  let availableAt = 0;
  for (const slot of slots) if (!slot.allowed) availableAt = Math.max(availableAt, slot.availableAt);
  return availableAt === 0 ? { allowed: true } : { allowed: false, availableAt };
}
