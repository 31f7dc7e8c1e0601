/**
 * The budgets of login SMS (rolling 24 h, against SMS pumping), as pure functions over a record
 * (kind `login_sms_window`). Ids: `phone-login:<e164>` (anonymous phone-number logins, 10),
 * `account:<id>` (codes after a verified password, step-up, enrolment, 10) and `number:<e164>`
 * (every login SMS to the number, 30). Known and unknown numbers are counted alike in the
 * phone-login bucket, so the budget itself says nothing about whether a number is registered.
 */

export const SMS_WINDOW_KIND = 'login_sms_window';

export interface SmsWindowState {
  /** Send times within the window, oldest first. */
  hits: number[];
}

/** Whether one more SMS may go out now; if not, when the oldest send leaves the window. */
export type SmsSlot = { allowed: true } | { allowed: false; availableAt: number };

export function smsSlot(state: SmsWindowState | null, now: number, limit: number, windowMs: number): SmsSlot {
  const hits = recentHits(state, now, windowMs);
  if (hits.length < limit) return { allowed: true };
  // The window frees a slot when the (length - limit + 1)-th oldest send ages out.
  const freeing = hits[hits.length - limit] ?? now;
  return { allowed: false, availableAt: freeing + windowMs };
}

/** The window after one more send at `now`. */
export function takeSms(state: SmsWindowState | null, now: number, windowMs: number): SmsWindowState {
  return { hits: [...recentHits(state, now, windowMs), now] };
}

function recentHits(state: SmsWindowState | null, now: number, windowMs: number): number[] {
  const since = now - windowMs;
  return (state?.hits ?? []).filter((at) => at > since);
}
