// Moved to `case-record.ts`. Kept while `src/helpdesk.ts` imports RECOVERY_CASE_KIND from here;
// delete this file once it imports from `./recovery/case-record.js`.
export {
  RECOVERY_CASE_KIND,
  toCaseView,
  toRequesterView,
  type RecoveryCaseView,
  type RecoveryRequesterView,
  type SessionRevocation,
} from './case-record.js';
