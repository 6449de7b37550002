import { SqliteAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * The lookup index holds near-duplicate texts too (issue 14): a change of `dedup_texts` (a text
 * stored, moved to another case, or cleared by a re-index) now writes its case's ID into
 * `lookup_changes` by trigger, as migration 0022 does for the other tables a check reads. The
 * text's LSH bands (`dedup_bands`) are written with their text, in the same transaction, so the
 * text's row announces them; watching each band row would add twenty change rows per message.
 * PostgreSQL reuses 0022's trigger function for a `case_id` column (it also sends the NOTIFY).
 */
export const lookupNearDuplicates: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
      await sql
        .raw(
          'CREATE TRIGGER lookup_changes_dedup_texts AFTER INSERT OR UPDATE OF case_id OR DELETE ' +
            'ON dedup_texts FOR EACH ROW EXECUTE FUNCTION scamnet_lookup_change_case_id()',
        )
        .execute(db);
      return;
    }
    const note = (row: 'NEW' | 'OLD') =>
      `INSERT INTO lookup_changes (case_id) SELECT ${row}.case_id WHERE ${row}.case_id IS NOT NULL;`;
    await sql
      .raw(
        `CREATE TRIGGER lookup_changes_dedup_texts_insert AFTER INSERT ON dedup_texts BEGIN ${note('NEW')} END`,
      )
      .execute(db);
    await sql
      .raw(
        'CREATE TRIGGER lookup_changes_dedup_texts_update AFTER UPDATE OF case_id ON dedup_texts BEGIN ' +
          `${note('NEW')} INSERT INTO lookup_changes (case_id) SELECT OLD.case_id ` +
          'WHERE OLD.case_id IS NOT NEW.case_id; END',
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER lookup_changes_dedup_texts_delete AFTER DELETE ON dedup_texts BEGIN ${note('OLD')} END`,
      )
      .execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
      await sql.raw('DROP TRIGGER lookup_changes_dedup_texts ON dedup_texts').execute(db);
      return;
    }
    for (const op of ['insert', 'update', 'delete']) {
      await sql.raw(`DROP TRIGGER lookup_changes_dedup_texts_${op}`).execute(db);
    }
  },
};
