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
