/**
 * The subset of a PostgreSQL client the adapter needs. `pg.Pool`, `pg.Client`, a
 * `pg.PoolClient` and `PGlite` all fit as they are; the adapter imports none of them,
 * so the host chooses (and versions) its driver.
 *
 * The adapter sends exactly one statement per call and only `$n` parameters that are
 * strings, numbers or null, so the call behaves the same on every driver (it never
 * relies on a driver's JSON, array or bigint serialisation, nor on multi-statement strings).
 */
export interface SqlClient {
  /**
   * Must run one SQL statement with positional parameters (`$1`, `$2`, ...) and resolve with
   * its rows as plain objects keyed by column name. Must reject on any database error, keeping
   * the server's SQLSTATE in `code` (and, when the driver provides it, the violated `constraint`).
   * Calls may be concurrent: a pool runs them on different connections, a single connection queues them.
   */
  query(text: string, params?: unknown[]): Promise<{ rows: any[] }>;
}

/** What the drivers put on a database error; every field is optional. */
export interface SqlError {
  code?: string;
  constraint?: string;
  message?: string;
}

/** Reads the SQLSTATE (and constraint) of a driver error, or undefined for anything else. */
export function sqlErrorOf(error: unknown): SqlError | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { code, constraint, message } = error as Record<string, unknown>;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  return {
    code,
    ...(typeof constraint === 'string' ? { constraint } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}
