import { defineErrorCodes } from '../errors.js';

/** Codes raised by the command engine and shared by every module. */
export const engineErrors = defineErrorCodes({
  INVALID_INPUT: 'The input does not match the expected shape.',
  VERSION_CONFLICT: 'The record kept changing under concurrent writers; the command was not applied.',
  TRANSITION_NOT_ALLOWED: 'The command is not allowed in the current state.',
  NOT_FOUND: 'No such record.',
  RATE_LIMITED: 'Too many requests; try again later.',
  NON_JSON_STATE: 'A snapshot holds a value that is not plain JSON.',
  CONFIGURATION_INVALID: 'The helpdesk configuration is invalid.',
});
