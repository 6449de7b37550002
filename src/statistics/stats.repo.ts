import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** An instant range `[from, to)` of ISO 8601 UTC timestamps. */
export interface InstantRange {
  readonly from: string;
  readonly to: string;
}

/** Cases decided in a range, counted by current verdict, platform and scam type. */
export interface DecisionCount {
  verdict: string;
  platform: string;
  scamType: string | null;
  count: number;
}

const DECIDED = ['fraud', 'high_risk', 'not_fraud'];

/** Reports received in the range (index `reports_received_stats_idx`). */
export async function countReports(db: Kysely<Database>, range: InstantRange): Promise<number> {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('received_at', '>=', range.from)
    .where('received_at', '<', range.to)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Reports received before `to` (the cumulative figure). */
export async function countReportsBefore(db: Kysely<Database>, to: string): Promise<number> {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('received_at', '<', to)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Reports received in the range by the platform of their case. */
export async function reportsByPlatform(
  db: Kysely<Database>,
  range: InstantRange,
): Promise<Array<{ platform: string; count: number }>> {
  const rows = await db
    .selectFrom('reports as r')
    .innerJoin('cases as c', 'c.id', 'r.case_id')
    .select(['c.platform', (eb) => eb.fn.countAll().as('n')])
    .where('r.received_at', '>=', range.from)
    .where('r.received_at', '<', range.to)
    .groupBy('c.platform')
    .execute();
  return rows.map((r) => ({ platform: r.platform, count: Number(r.n) }));
}

/** Cases first reported in the range (new cases). */
export async function countNewCases(db: Kysely<Database>, range: InstantRange): Promise<number> {
  const row = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('first_reported_at', '>=', range.from)
    .where('first_reported_at', '<', range.to)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Cases whose current verdict was decided in the range, by verdict, platform and scam type. */
export async function decisionCounts(
  db: Kysely<Database>,
  range: InstantRange,
): Promise<DecisionCount[]> {
  const rows = await db
    .selectFrom('cases')
    .select(['verdict', 'platform', 'scam_type', (eb) => eb.fn.countAll().as('n')])
    .where('decided_at', '>=', range.from)
    .where('decided_at', '<', range.to)
    .where('verdict', 'in', DECIDED)
    .groupBy(['verdict', 'platform', 'scam_type'])
    .execute();
  return rows.map((r) => ({
    verdict: r.verdict,
    platform: r.platform,
    scamType: r.scam_type,
    count: Number(r.n),
  }));
}

/** Cases with the current verdict `fraud` decided before `to` (the cumulative figure). */
export async function countFraudBefore(db: Kysely<Database>, to: string): Promise<number> {
  const row = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('decided_at', '<', to)
    .where('verdict', '=', 'fraud')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The earliest report's receipt time, or null for an empty store. */
export async function firstReportAt(db: Kysely<Database>): Promise<string | null> {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.min('received_at').as('first'))
    .executeTakeFirst();
  return row?.first ?? null;
}

/** Confirmed-fraud cases decided in the range per impersonated entity, with the entity's names. */
export async function impersonatedCounts(
  db: Kysely<Database>,
  range: InstantRange,
): Promise<
  Array<{ entityId: string; nameZh: string | null; nameEn: string | null; count: number }>
> {
  const rows = await db
    .selectFrom('cases')
    .select(['impersonated_entity_id', (eb) => eb.fn.countAll().as('n')])
    .where('decided_at', '>=', range.from)
    .where('decided_at', '<', range.to)
    .where('verdict', '=', 'fraud')
    .where('impersonated_entity_id', 'is not', null)
    .groupBy('impersonated_entity_id')
    .execute();
  const ids = rows.flatMap((r) =>
    r.impersonated_entity_id === null ? [] : [r.impersonated_entity_id],
  );
  const names =
    ids.length === 0
      ? []
      : await db
          .selectFrom('entities')
          .select(['id', 'name_zh', 'name_en'])
          .where('id', 'in', ids)
          .execute();
  const byId = new Map(names.map((n) => [n.id, n]));
  return rows.flatMap((r) =>
    r.impersonated_entity_id === null
      ? []
      : [
          {
            entityId: r.impersonated_entity_id,
            nameZh: byId.get(r.impersonated_entity_id)?.name_zh ?? null,
            nameEn: byId.get(r.impersonated_entity_id)?.name_en ?? null,
            count: Number(r.n),
          },
        ],
  );
}

/** Summaries (first 280 characters of the text) of confirmed-fraud cases decided in the range. */
export async function fraudSummaries(db: Kysely<Database>, range: InstantRange): Promise<string[]> {
  const rows = await db
    .selectFrom('cases')
    .select(['summary'])
    .where('decided_at', '>=', range.from)
    .where('decided_at', '<', range.to)
    .where('verdict', '=', 'fraud')
    .where('summary', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.flatMap((r) => (r.summary === null ? [] : [r.summary]));
}

/** Blocklist audit events in the range, with the entry's legal basis (transparency report). */
export async function blocklistEvents(
  db: Kysely<Database>,
  range: InstantRange,
): Promise<Array<{ entryId: string; type: string; at: string; legalBasis: string | null }>> {
  const rows = await db
    .selectFrom('events as e')
    .innerJoin('blocklist_entries as b', 'b.id', 'e.subject_id')
    .select(['e.subject_id', 'e.type', 'e.at', 'b.legal_basis'])
    .where('e.subject_type', '=', 'blocklist_entry')
    .where('e.at', '>=', range.from)
    .where('e.at', '<', range.to)
    .orderBy('e.seq')
    .execute();
  return rows.map((r) => ({
    entryId: r.subject_id,
    type: r.type,
    at: r.at,
    legalBasis: r.legal_basis,
  }));
}

/** The appeal-related events (appealed, reinstated, lifted) of the given entries before `to`. */
export async function appealHistory(
  db: Kysely<Database>,
  entryIds: readonly string[],
  to: string,
): Promise<Array<{ entryId: string; type: string; at: string }>> {
  if (entryIds.length === 0) return [];
  const rows = await db
    .selectFrom('events')
    .select(['subject_id', 'type', 'at'])
    .where('subject_type', '=', 'blocklist_entry')
    .where('subject_id', 'in', [...entryIds])
    .where('type', 'in', [
      'blocklist_entry.appealed',
      'blocklist_entry.reinstated',
      'blocklist_entry.lifted',
    ])
    .where('at', '<', to)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ entryId: r.subject_id, type: r.type, at: r.at }));
}

/** Active blocklist entries at the end of the period, by legal basis (state as of now). */
export async function activeEntriesByBasis(
  db: Kysely<Database>,
): Promise<Array<{ legalBasis: string | null; count: number }>> {
  const rows = await db
    .selectFrom('blocklist_entries')
    .select(['legal_basis', (eb) => eb.fn.countAll().as('n')])
    .where('state', '=', 'active')
    .groupBy('legal_basis')
    .execute();
  return rows.map((r) => ({ legalBasis: r.legal_basis, count: Number(r.n) }));
}
