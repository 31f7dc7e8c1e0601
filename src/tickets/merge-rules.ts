import { ticketErrors } from './error-codes.js';
import type { LoadedTicket } from './records.js';

/** MERGE_NOT_ALLOWED with its reason (`self`, `target_merged`, `target_closed`, `cycle`). */
export function mergeRefused(reason: string, details: Record<string, unknown>, message: string) {
  return ticketErrors.raise('MERGE_NOT_ALLOWED', { reason, ...details }, message);
}

/**
 * What a merge of `source` into `target` needs besides access: the target must not itself be
 * merged away or closed, and the two must not already be merged with each other.
 */
export function requireMergeable(source: LoadedTicket, target: LoadedTicket): void {
  const s = source.snapshot.context;
  const t = target.snapshot.context;
  if (t.mergedInto !== null)
    throw mergeRefused(
      'target_merged',
      { targetId: t.id },
      `Ticket #${t.number} was itself merged into another ticket.`,
    );
  if (target.snapshot.value === 'closed')
    throw mergeRefused('target_closed', { targetId: t.id }, `Ticket #${t.number} is closed.`);
  if (t.mergedFrom.includes(s.id) || s.mergedFrom.includes(t.id))
    throw mergeRefused('cycle', {}, 'These tickets are already merged with each other.');
}
