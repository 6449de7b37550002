import type { Kysely, Selectable } from 'kysely';
import type { Database, SharedSecretsTable } from '../store/index.js';

export type SharedSecretRow = Selectable<SharedSecretsTable>;

/** The shared secret `name`, or undefined when no node has recorded it yet. */
export async function findSharedSecret(
  db: Kysely<Database>,
  name: string,
): Promise<SharedSecretRow | undefined> {
  return db.selectFrom('shared_secrets').selectAll().where('name', '=', name).executeTakeFirst();
}

/**
 * Records shared secret `row` unless a node recorded `row.name` first (then nothing changes:
 * read it again to see what holds).
 */
export async function recordSharedSecretIfAbsent(
  db: Kysely<Database>,
  row: SharedSecretRow,
): Promise<void> {
  await db
    .insertInto('shared_secrets')
    .values(row)
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** Forgets the stored value of shared secret `name`, keeping its fingerprint (nodes configure it now). */
export async function clearSharedSecretValue(db: Kysely<Database>, name: string): Promise<void> {
  await db.updateTable('shared_secrets').set({ value: null }).where('name', '=', name).execute();
}

/**
 * Replaces the fingerprint of shared secret `name` by `to` if it still is `from` (another node
 * may have replaced it first: then nothing changes).
 */
export async function replaceSharedSecretFingerprint(
  db: Kysely<Database>,
  change: { name: string; from: string; to: string },
): Promise<void> {
  await db
    .updateTable('shared_secrets')
    .set({ fingerprint: change.to })
    .where('name', '=', change.name)
    .where('fingerprint', '=', change.from)
    .execute();
}
