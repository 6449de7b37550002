import type { Kysely, Selectable } from 'kysely';
import type { Database, EntitiesTable, RoutingRulesTable } from '../store/index.js';

export type EntityRow = Selectable<EntitiesTable>;
export type RuleRow = Selectable<RoutingRulesTable>;

/** Every entity, enabled ones first then by ID; disabled ones only when asked. */
export async function listEntityRows(
  db: Kysely<Database>,
  includeDisabled: boolean,
): Promise<EntityRow[]> {
  let query = db.selectFrom('entities').selectAll().orderBy('id');
  if (!includeDisabled) query = query.where('disabled_at', 'is', null);
  return query.execute();
}

export async function findEntityRow(
  db: Kysely<Database>,
  id: string,
): Promise<EntityRow | undefined> {
  return db.selectFrom('entities').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertEntityRow(db: Kysely<Database>, row: EntityRow): Promise<void> {
  await db.insertInto('entities').values(row).execute();
}

export async function updateEntityRow(db: Kysely<Database>, row: EntityRow): Promise<void> {
  const { id, ...rest } = row;
  await db.updateTable('entities').set(rest).where('id', '=', id).execute();
}

/** Every routing rule in evaluation order. */
export async function listRuleRows(db: Kysely<Database>): Promise<RuleRow[]> {
  return db.selectFrom('routing_rules').selectAll().orderBy('priority').orderBy('id').execute();
}

/** Replaces the whole rule set (caller's transaction). */
export async function replaceRuleRows(
  db: Kysely<Database>,
  rules: ReadonlyArray<Omit<RuleRow, 'id'>>,
): Promise<void> {
  await db.deleteFrom('routing_rules').execute();
  if (rules.length > 0)
    await db
      .insertInto('routing_rules')
      .values([...rules])
      .execute();
}
