export type { SqlClient } from './client.js';
export { createPostgresStorage, PostgresStorage, type PostgresStorageOptions } from './postgres-storage.js';
export {
  migrate,
  readSchemaVersion,
  MIGRATIONS,
  SCHEMA_VERSION,
  type Migration,
  type MigrateOptions,
  type MigrateResult,
} from './migrations.js';
export { postgresErrors } from './error-codes.js';
