import { defineErrorCodes } from '../errors.js';

/** Codes of `desk.privacy.*` besides INVALID_INPUT and CONFIGURATION_INVALID. */
export const privacyErrors = defineErrorCodes({
  PRIVACY_RECOVERY_WAITING:
    'The account has a recovery case in its waiting period; erase it after the case is cancelled or completed.',
  PRIVACY_STORE_MISSING:
    'Privacy export and erasure need a storage with the privacy capability, passed as options.storage.',
});
