import { defineErrorCodes } from '../errors.js';

/** Codes raised by `desk.tickets.*` (besides INVALID_INPUT and TRANSITION_NOT_ALLOWED from the engine). */
export const ticketErrors = defineErrorCodes({
  TICKET_NOT_FOUND: 'No ticket with that id or number.',
  MERGE_NOT_ALLOWED: 'These tickets cannot be merged.',
});
