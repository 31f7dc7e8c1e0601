import { defineErrorCodes } from '../../errors.js';

/** Codes raised by the PostgreSQL adapter. */
export const postgresErrors = defineErrorCodes({
  SCHEMA_VERSION_MISMATCH:
    'The database schema version does not match this helpdesk-core: run migrate() with this version of the library.',
});
