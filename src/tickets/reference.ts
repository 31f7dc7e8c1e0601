import { commonErrors } from '../errors.js';

// `[#` digits `]`, no leading zero: only what formatTicketReference writes. At most 16 digits,
// so the number can be checked as a safe integer without scanning an unbounded run of digits.
const REFERENCE = /\[#([1-9][0-9]{0,15})\]/g;

/** Formats a ticket number as the reference put in mail subjects: `12345` → `[#12345]`. */
export function formatTicketReference(ticketNumber: number): string {
  if (!Number.isSafeInteger(ticketNumber) || ticketNumber <= 0) {
    throw commonErrors.raise('INVALID_INPUT', { ticketNumber }, 'A ticket number is a positive safe integer.');
  }
  return `[#${ticketNumber}]`;
}

/**
 * Finds the first ticket reference `[#12345]` anywhere in a mail subject, as in
 * `Re: [#10042] Printer on fire` or `AW: RE: [#7]`. A bare `#123`, `[#12a]`,
 * `[#0]`, `[#007]` or a number beyond the safe integers is not a reference and
 * is skipped. Returns `null` when the subject holds no reference; throws `INVALID_INPUT`
 * when `subject` is not a string.
 */
export function parseTicketReference(subject: string): number | null {
  if (typeof subject !== 'string') {
    throw commonErrors.raise('INVALID_INPUT', { subject }, 'A mail subject is a string.');
  }
  for (const match of subject.matchAll(REFERENCE)) {
    const ticketNumber = Number(match[1]);
    if (Number.isSafeInteger(ticketNumber)) return ticketNumber;
  }
  return null;
}
