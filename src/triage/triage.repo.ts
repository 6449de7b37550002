/** Queries of triage: what it reads of reports, accounts, the entity registry and routing rules. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, EntitiesTable, RoutingRulesTable } from '../store/index.js';

type Db = Kysely<Database>;

/** The title and text of the first 50 reports of case `caseId`, oldest first. */
export async function reportTextsOf(
  db: Db,
  caseId: string,
): Promise<Array<{ text: string | null; title: string | null }>> {
  return db
    .selectFrom('reports')
    .select(['text', 'title'])
    .where('case_id', '=', caseId)
    .orderBy('received_at')
    .limit(50)
    .execute();
}

/**
 * True when entity `entityId` has an enabled verifier account or an unrevoked verifier API key
 * scoped to it: a case routed to it is in its portal queue, so the party has been asked.
 */
export async function partyHasPortal(db: Db, entityId: string): Promise<boolean> {
  const [user, key] = await Promise.all([
    db
      .selectFrom('user_entities as ue')
      .innerJoin('users as u', 'u.id', 'ue.user_id')
      .select('u.id')
      .where('ue.entity_id', '=', entityId)
      .where('u.role', '=', 'verifier')
      .where('u.disabled_at', 'is', null)
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('api_key_entities as ke')
      .innerJoin('api_keys as k', 'k.id', 'ke.api_key_id')
      .select('k.id')
      .where('ke.entity_id', '=', entityId)
      .where('k.role', '=', 'verifier')
      .where('k.revoked_at', 'is', null)
      .limit(1)
      .executeTakeFirst(),
  ]);
  return user !== undefined || key !== undefined;
}

/** Every enabled entity of the registry (aliases and domains as stored: JSON arrays), by ID. */
export async function listEnabledEntities(db: Db): Promise<Array<Selectable<EntitiesTable>>> {
  return db
    .selectFrom('entities')
    .selectAll()
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .execute();
}

/** Every routing rule, in the order they are tried (priority, then ID). */
export async function listRoutingRuleRows(db: Db): Promise<Array<Selectable<RoutingRulesTable>>> {
  return db.selectFrom('routing_rules').selectAll().orderBy('priority').orderBy('id').execute();
}
