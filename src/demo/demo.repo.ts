/** Queries of the demo import's marker (`demo_imports`, store/schema-demo.ts). */
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

type Db = Kysely<Database>;

/** A demo import's marker: when it started and, once every step is done, finished. */
export interface DemoImportMarker {
  startedAt: string;
  finishedAt: string | null;
}

/** The marker of data set `name`, if an import of it ever started. */
export async function findDemoImport(db: Db, name: string): Promise<DemoImportMarker | undefined> {
  const row = await db
    .selectFrom('demo_imports')
    .select(['started_at', 'finished_at'])
    .where('name', '=', name)
    .executeTakeFirst();
  return row === undefined ? undefined : { startedAt: row.started_at, finishedAt: row.finished_at };
}

/** Records that the import of `name` started at `at`, unless a marker exists (another node's). */
export async function insertDemoImport(db: Db, name: string, at: string): Promise<void> {
  await db
    .insertInto('demo_imports')
    .values({ name, started_at: at, finished_at: null })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** Records that the import of `name` finished every step at `at`. */
export async function finishDemoImport(db: Db, name: string, at: string): Promise<void> {
  await db.updateTable('demo_imports').set({ finished_at: at }).where('name', '=', name).execute();
}
