import type { UnitOfWork } from '../engine/unit-of-work.js';
import { RATE_WINDOW_KIND } from './store.js';

/**
 * A sliding-window counter stored as a record (`rate_window`, id `key`). Returns true and
 * records the hit when fewer than `limit` hits fall in the last `windowMs`; returns false
 * (recording nothing) otherwise. Runs inside the caller's command, so concurrent requests
 * cannot both take the last slot.
 */
export async function takeFromWindow(uow: UnitOfWork, key: string, limit: number, windowMs: number): Promise<boolean> {
  const record = await uow.load(RATE_WINDOW_KIND, key);
  const since = uow.now - windowMs;
  const hits = ((record?.state as { hits?: number[] } | undefined)?.hits ?? []).filter((at) => at > since);
  if (hits.length >= limit) return false;
  hits.push(uow.now);
  uow.put(RATE_WINDOW_KIND, key, { state: { hits }, nextDueAt: null });
  return true;
}

function hitsOf(record: { state: unknown } | null, since: number): number[] {
  return ((record?.state as { hits?: number[] } | undefined)?.hits ?? []).filter((at) => at > since);
}

/**
 * The hits of `key` within the last `windowMs`. The record is loaded into `uow`, so a later
 * {@link addHit} or {@link clearHits} in the same command is guarded by what was read here.
 */
export async function recentHits(uow: UnitOfWork, key: string, windowMs: number): Promise<number[]> {
  return hitsOf(await uow.load(RATE_WINDOW_KIND, key), uow.now - windowMs);
}

/** Records one hit at `now` (a counter of events, not a limit: it always records). */
export async function addHit(uow: UnitOfWork, key: string, windowMs: number): Promise<void> {
  const hits = await recentHits(uow, key, windowMs);
  uow.put(RATE_WINDOW_KIND, key, { state: { hits: [...hits, uow.now] }, nextDueAt: null });
}

/** Forgets every hit of `key`; writes nothing when there is none. */
export async function clearHits(uow: UnitOfWork, key: string): Promise<void> {
  const record = await uow.load(RATE_WINDOW_KIND, key);
  if (hitsOf(record, -Infinity).length > 0) uow.put(RATE_WINDOW_KIND, key, { state: { hits: [] }, nextDueAt: null });
}
