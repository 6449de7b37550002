/**
 * Transactions that PostgreSQL may abort for a conflict with another transaction, and running
 * them again.
 *
 * PostgreSQL aborts one of two transactions that wait on each other's row locks with SQLSTATE
 * 40P01 `deadlock_detected`, and a serializable transaction that cannot be ordered with 40001
 * `serialization_failure` (PostgreSQL manual, "Explicit Locking" §13.3.4 and Appendix A). Both
 * roll the whole transaction back, so running it again from the start is safe. scamnet's
 * statistics triggers (migration 0013) lock daily count rows, so a merge and concurrent intakes
 * can meet this. SQLite serialises writers and never raises these.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from './create-store.js';
import type { Database } from './schema.js';

/** SQLSTATEs after which the aborted transaction may be run again. */
export const TRANSIENT_CONFLICT_CODES: ReadonlySet<string> = new Set(['40P01', '40001']);

/** Whether `error` is PostgreSQL aborting a transaction for a conflict (40P01, 40001). */
export function isTransientConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code: unknown = Reflect.get(error, 'code');
  return typeof code === 'string' && TRANSIENT_CONFLICT_CODES.has(code);
}

/**
 * Runs `transaction` (which must start its own database transaction, so that an abort rolls all
 * of it back) and runs it again, up to `attempts` times in all, when PostgreSQL aborts it for a
 * conflict, after a short random pause (10–60 ms × attempt) so the two do not meet again.
 * @throws the last conflict error after `attempts` tries, or any other error at once.
 */
export async function retryOnConflict<T>(transaction: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (!isTransientConflict(error) || attempt >= attempts) throw error;
      const pause = (10 + Math.random() * 50) * attempt;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/**
 * Runs `read` in one snapshot of the store: a `repeatable read` transaction on PostgreSQL (every
 * statement sees the same committed state, PostgreSQL manual §13.2.2); one transaction on SQLite
 * (in WAL mode its first read fixes the snapshot until commit).
 */
export async function inSnapshot<T>(
  db: Kysely<Database>,
  dialect: Dialect,
  read: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const builder = db.transaction();
  return (dialect === 'postgres' ? builder.setIsolationLevel('repeatable read') : builder).execute(
    read,
  );
}

/**
 * PostgreSQL: the ID of the oldest transaction still running (txid_snapshot_xmin of the current
 * snapshot, PostgreSQL manual §9.27 "Transaction ID and Snapshot Information Functions"): a row a
 * transaction not yet visible writes with `txid_current()` as a column default gets an ID at
 * least this, whether that transaction had its ID before this call or takes one after. A reader
 * that reads this first and its rows next can later re-read every row with an ID at least this
 * and so miss none that commits out of order. Null on SQLite (writers are serialised).
 */
export async function transactionHorizon(
  db: Kysely<Database>,
  dialect: Dialect,
): Promise<bigint | null> {
  if (dialect === 'sqlite') return null;
  const result = await sql<{
    horizon: string;
  }>`select txid_snapshot_xmin(txid_current_snapshot())::text as horizon`.execute(db);
  const horizon = result.rows[0]?.horizon;
  return horizon === undefined ? null : BigInt(horizon);
}
