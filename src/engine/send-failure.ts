/** The longest reason a failed send keeps (the outbox's `lastError`, a webhook's dead letter). */
export const MAX_FAILURE_REASON = 500;

/** What a failed send leaves on the message: a printable reason, and whether the sender called it final. */
export interface SendFailure {
  reason: string;
  final: boolean;
}

/**
 * Reads a sender's failure without trusting it: an error whose `message` or `retryable` getter
 * throws, a Proxy, a null-prototype object or a value `String()` cannot convert still gives a
 * reason (at most {@link MAX_FAILURE_REASON} characters, never ending in half a surrogate pair),
 * so the message is settled (retried, or dead at its last attempt) instead of left claimed.
 */
export function readSendFailure(error: unknown): SendFailure {
  return { reason: cap(attempt(() => reasonOf(error)) ?? 'unreadable error'), final: isFinalFailure(error) };
}

/** True when the sender marked the error as final (`retryable === false`, as the shipped adapters do). */
function isFinalFailure(error: unknown): boolean {
  return (
    attempt(
      () => typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === false,
    ) ?? false
  );
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : error;
  return typeof message === 'string' ? message : String(message);
}

function attempt<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

function cap(reason: string): string {
  if (reason.length <= MAX_FAILURE_REASON) return reason;
  const cut = reason.slice(0, MAX_FAILURE_REASON);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}
