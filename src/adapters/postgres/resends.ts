/**
 * How often a statement is re-sent after PostgreSQL aborted it whole because of a concurrent one:
 * both took the same history position of a record neither writes, they deadlocked, or (below) a
 * serialization failure.
 */
export const RESEND_LIMIT = 32;
export const DEADLOCK_DETECTED = '40P01';
/**
 * Under REPEATABLE READ or SERIALIZABLE (a server's or role's `default_transaction_isolation`)
 * PostgreSQL answers a concurrent update with this instead of waiting. Each statement of the
 * adapter is its own transaction, aborted whole, so it is sent again: then it reads the winner's
 * rows, and a version guard that misses makes the command re-run, as under READ COMMITTED.
 */
export const SERIALIZATION_FAILURE = '40001';
export const IN_FAILED_TRANSACTION = '25P02';

/**
 * A statement PostgreSQL still aborted with `40001` after {@link RESEND_LIMIT} sends, outside a
 * host's transaction: `commit` reads it as a lost race; every other method throws it, with the
 * last `40001` as its `cause` (and its `code`, so a host that checks codes sees the same).
 */
export class ResendsExhausted extends Error {
  override readonly name = 'ResendsExhausted';
  readonly code = SERIALIZATION_FAILURE;
  constructor(last: unknown) {
    super(`PostgreSQL aborted the statement ${RESEND_LIMIT} times: ${(last as Error)?.message ?? String(last)}`, {
      cause: last,
    });
  }
}
