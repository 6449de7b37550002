import { SqliteAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * The tables whose rows decide a lookup's answer, with the column naming the case a row belongs
 * to and the columns whose change matters (null: any change).
 */
const WATCHED = [
  { table: 'cases', caseColumn: 'id', columns: null },
  { table: 'case_indicators', caseColumn: 'case_id', columns: null },
  { table: 'case_keys', caseColumn: 'case_id', columns: null },
  { table: 'reports', caseColumn: 'case_id', columns: ['case_id', 'url', 'platform'] },
] as const;

type Watched = (typeof WATCHED)[number];

/** SQLite: one trigger per table and operation, writing the old and the new case's ID. */
async function sqliteTriggers(db: Kysely<unknown>, watched: Watched): Promise<void> {
  const { table, caseColumn, columns } = watched;
  const note = (row: 'NEW' | 'OLD') =>
    `INSERT INTO lookup_changes (case_id) SELECT ${row}.${caseColumn} WHERE ${row}.${caseColumn} IS NOT NULL;`;
  const of = columns === null ? '' : ` OF ${columns.join(', ')}`;
  await sql
    .raw(
      `CREATE TRIGGER lookup_changes_${table}_insert AFTER INSERT ON ${table} BEGIN ${note('NEW')} END`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER lookup_changes_${table}_update AFTER UPDATE${of} ON ${table} BEGIN ` +
        `${note('NEW')} INSERT INTO lookup_changes (case_id) SELECT OLD.${caseColumn} ` +
        `WHERE OLD.${caseColumn} IS NOT NEW.${caseColumn}; END`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER lookup_changes_${table}_delete AFTER DELETE ON ${table} BEGIN ${note('OLD')} END`,
    )
    .execute(db);
}

/**
 * PostgreSQL: a trigger function per case-ID column. It notes a case at most once in a row within
 * one transaction (the last case noted is kept in a transaction-local setting), and wakes the
 * other nodes with `pg_notify('scamnet_lookup', current_schema())`, delivered at commit (and once
 * per transaction: PostgreSQL folds equal notifications).
 */
async function postgresFunction(db: Kysely<unknown>, caseColumn: string): Promise<void> {
  await sql
    .raw(
      `CREATE FUNCTION scamnet_lookup_change_${caseColumn}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  new_case text;
  old_case text;
BEGIN
  IF TG_OP <> 'DELETE' THEN new_case := NEW.${caseColumn}; END IF;
  IF TG_OP <> 'INSERT' THEN old_case := OLD.${caseColumn}; END IF;
  IF new_case IS NOT NULL
     AND new_case IS DISTINCT FROM current_setting('scamnet.lookup_last_case', true) THEN
    INSERT INTO lookup_changes (case_id) VALUES (new_case);
    PERFORM set_config('scamnet.lookup_last_case', new_case, true);
  END IF;
  IF old_case IS NOT NULL AND old_case IS DISTINCT FROM new_case THEN
    INSERT INTO lookup_changes (case_id) VALUES (old_case);
    PERFORM set_config('scamnet.lookup_last_case', old_case, true);
  END IF;
  PERFORM pg_notify('scamnet_lookup', current_schema());
  RETURN NULL;
END $$`,
    )
    .execute(db);
}

async function postgresTrigger(db: Kysely<unknown>, watched: Watched): Promise<void> {
  const { table, caseColumn, columns } = watched;
  const update = columns === null ? 'UPDATE' : `UPDATE OF ${columns.join(', ')}`;
  await sql
    .raw(
      `CREATE TRIGGER lookup_changes_${table} AFTER INSERT OR ${update} OR DELETE ON ${table} ` +
        `FOR EACH ROW EXECUTE FUNCTION scamnet_lookup_change_${caseColumn}()`,
    )
    .execute(db);
}

/**
 * The lookup index's change table (issue 14): every insert, update or delete of a case, its
 * indicators, its merge keys or its reports' case/URL/platform writes the case's ID into
 * `lookup_changes`, by trigger, in the same transaction, so no code path can forget it. Each node
 * keeps its in-memory lookup index current by reading the rows after the last ID it applied
 * (search/lookup-index.ts); on PostgreSQL the trigger also sends a NOTIFY on channel
 * `scamnet_lookup` (payload: the schema) so other nodes read at once instead of at their next poll.
 */
export const lookupChanges: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    if (sqlite) {
      await db.schema
        .createTable('lookup_changes')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .execute();
      for (const watched of WATCHED) await sqliteTriggers(db, watched);
      return;
    }
    // PostgreSQL hands out IDs before commit, so a row can become visible after a higher one was
    // read: `tx` (the writing transaction) lets a reader re-read what transactions still running
    // at its last read wrote (search/lookup-index.repo.ts changesAfter).
    await db.schema
      .createTable('lookup_changes')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('tx', 'bigint', (c) => c.notNull().defaultTo(sql`txid_current()`))
      .execute();
    await db.schema
      .createIndex('lookup_changes_tx_idx')
      .on('lookup_changes')
      .column('tx')
      .execute();
    await postgresFunction(db, 'id');
    await postgresFunction(db, 'case_id');
    for (const watched of WATCHED) await postgresTrigger(db, watched);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    for (const { table } of WATCHED) {
      if (sqlite) {
        for (const op of ['insert', 'update', 'delete']) {
          await sql.raw(`DROP TRIGGER lookup_changes_${table}_${op}`).execute(db);
        }
      } else {
        await sql.raw(`DROP TRIGGER lookup_changes_${table} ON ${table}`).execute(db);
      }
    }
    if (!sqlite) {
      await sql.raw('DROP FUNCTION scamnet_lookup_change_id()').execute(db);
      await sql.raw('DROP FUNCTION scamnet_lookup_change_case_id()').execute(db);
    }
    await db.schema.dropTable('lookup_changes').execute();
  },
};
