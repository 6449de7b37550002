import { sql, type Kysely } from 'kysely';
import { REDACTION_MARK_PATTERN } from '../indicators/index.js';
import type { Database } from '../store/index.js';

/** An instant range `[from, to)` of ISO 8601 UTC timestamps. */
export interface InstantRange {
  readonly from: string;
  readonly to: string;
}

/** The decided verdicts counted by statistics. */
export const DECIDED_VERDICTS = ['fraud', 'high_risk', 'not_fraud'] as const;
export type CountedVerdict = (typeof DECIDED_VERDICTS)[number];

/**
 * The facts counted per period: `report` (reports received, by the report's platform, else its
 * case's), `new_case` (cases first reported, by platform), `decided_platform` and `decided_type`
 * (cases whose current verdict was given in the period, by verdict and platform / scam type).
 */
export const COUNTED_FACTS = ['report', 'new_case', 'decided_platform', 'decided_type'] as const;
export type CountedFact = (typeof COUNTED_FACTS)[number];

/**
 * One count of a period: `verdict` is a CountedVerdict for `decided_*` facts and `''` otherwise;
 * `dimension` is a platform, or a scam type for `decided_type` (`''`: untyped, or a report
 * without a case). Only non-zero counts are returned.
 */
export interface FactCount {
  fact: CountedFact;
  verdict: string;
  dimension: string;
  count: number;
}

/**
 * How a period's counts are read: `daily` sums the trigger-kept daily table
 * `stats_daily_counts` (migration 0013) for the whole UTC days of the range and counts the
 * partial days at its ends from the base tables; `direct` counts everything from the base tables
 * (GROUP BY). Both give the same counts; `direct` is the reference and the baseline of
 * bench/stats.ts.
 */
export type CountPath = 'daily' | 'direct';

const DAY_MS = 86_400_000;

function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function instant(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`Not an ISO 8601 instant: ${value}`);
  return ms;
}

function addCount(totals: Map<string, FactCount>, row: FactCount): void {
  const key = `${row.fact}\u0000${row.verdict}\u0000${row.dimension}`;
  const seen = totals.get(key);
  if (seen === undefined) totals.set(key, { ...row });
  else seen.count += row.count;
}

/** The cases whose current verdict is one of `verdicts` and was given in `range`. */
function casesDecidedIn(
  db: Kysely<Database>,
  range: InstantRange,
  verdicts: readonly CountedVerdict[],
) {
  return db
    .selectFrom('cases')
    .where('verdict', 'in', verdicts)
    .where('decided_at', '>=', range.from)
    .where('decided_at', '<', range.to);
}

/** The counted facts of `[from, to)` from the base tables, one GROUP BY per fact. */
async function directCounts(
  db: Kysely<Database>,
  range: InstantRange,
  facts: ReadonlySet<CountedFact>,
): Promise<FactCount[]> {
  const [reports, newCases, byPlatform, byType] = await Promise.all([
    facts.has('report')
      ? db
          .selectFrom('reports as r')
          .leftJoin('cases as c', 'c.id', 'r.case_id')
          .select((eb) => [
            eb.fn.coalesce('r.platform', 'c.platform', sql.lit('')).as('dimension'),
            eb.fn.countAll().as('n'),
          ])
          .where('r.received_at', '>=', range.from)
          .where('r.received_at', '<', range.to)
          .groupBy(sql`coalesce(r.platform, c.platform, '')`)
          .execute()
      : [],
    facts.has('new_case')
      ? db
          .selectFrom('cases')
          .select((eb) => ['platform as dimension', eb.fn.countAll().as('n')])
          .where('first_reported_at', '>=', range.from)
          .where('first_reported_at', '<', range.to)
          .groupBy('platform')
          .execute()
      : [],
    facts.has('decided_platform')
      ? casesDecidedIn(db, range, DECIDED_VERDICTS)
          .select((eb) => ['verdict', 'platform as dimension', eb.fn.countAll().as('n')])
          .groupBy(['verdict', 'platform'])
          .execute()
      : [],
    facts.has('decided_type')
      ? casesDecidedIn(db, range, DECIDED_VERDICTS)
          .select((eb) => [
            'verdict',
            eb.fn.coalesce('scam_type', sql.lit('')).as('dimension'),
            eb.fn.countAll().as('n'),
          ])
          .groupBy(['verdict', sql`coalesce(scam_type, '')`])
          .execute()
      : [],
  ]);
  const tag = (fact: CountedFact, rows: ReadonlyArray<{ dimension: string; n: unknown }>) =>
    rows.map((r) => ({
      fact,
      verdict: 'verdict' in r && typeof r.verdict === 'string' ? r.verdict : '',
      dimension: r.dimension,
      count: Number(r.n),
    }));
  return [
    ...tag('report', reports),
    ...tag('new_case', newCases),
    ...tag('decided_platform', byPlatform),
    ...tag('decided_type', byType),
  ];
}

/** Sums of `stats_daily_counts` over the UTC days `[fromDay, toDay)` (`''`: from the start). */
async function dailyCounts(
  db: Kysely<Database>,
  fromDay: string,
  toDay: string,
  facts: ReadonlySet<CountedFact>,
): Promise<FactCount[]> {
  const rows = await db
    .selectFrom('stats_daily_counts')
    .select((eb) => ['fact', 'verdict', 'dimension', eb.fn.sum<number | string>('count').as('n')])
    .where('fact', 'in', [...facts])
    .where('day', '>=', fromDay)
    .where('day', '<', toDay)
    .groupBy(['fact', 'verdict', 'dimension'])
    .execute();
  return rows.flatMap((r) => {
    const fact = COUNTED_FACTS.find((f) => f === r.fact);
    return fact === undefined
      ? []
      : [{ fact, verdict: r.verdict, dimension: r.dimension, count: Number(r.n) }];
  });
}

/**
 * The counts of the facts `facts` (default all) in `[from, to)`, ISO 8601 UTC instants as
 * stored (`toISOString` form); `from` may be `''` for "since the first record". Sums equal
 * counts of the same key; zero counts are left out. See CountPath for `path` (default `daily`).
 */
export async function factCounts(
  db: Kysely<Database>,
  range: InstantRange,
  options: { path?: CountPath; facts?: readonly CountedFact[] } = {},
): Promise<FactCount[]> {
  const facts = new Set(options.facts ?? COUNTED_FACTS);
  const parts: Array<Promise<FactCount[]>> = [];
  const toMs = instant(range.to);
  const toDayMs = Math.floor(toMs / DAY_MS) * DAY_MS;
  const fromMs = range.from === '' ? null : instant(range.from);
  const fromDayMs = fromMs === null ? null : Math.ceil(fromMs / DAY_MS) * DAY_MS;
  if (options.path === 'direct' || (fromDayMs !== null && fromDayMs >= toDayMs)) {
    parts.push(directCounts(db, range, facts));
  } else {
    // Whole UTC days from the daily table, the partial days at either end from the base tables.
    parts.push(
      dailyCounts(db, fromDayMs === null ? '' : utcDate(fromDayMs), utcDate(toDayMs), facts),
    );
    if (fromMs !== null && fromDayMs !== null && fromDayMs > fromMs) {
      parts.push(
        directCounts(db, { from: range.from, to: new Date(fromDayMs).toISOString() }, facts),
      );
    }
    if (toMs > toDayMs) {
      parts.push(directCounts(db, { from: new Date(toDayMs).toISOString(), to: range.to }, facts));
    }
  }
  const totals = new Map<string, FactCount>();
  for (const rows of await Promise.all(parts)) for (const row of rows) addCount(totals, row);
  return [...totals.values()].filter((r) => r.count !== 0);
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
  const rows = await casesDecidedIn(db, range, ['fraud'])
    .select(['impersonated_entity_id', (eb) => eb.fn.countAll().as('n')])
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

/**
 * Public summaries (first 280 characters of the text, personal data redacted) of confirmed-fraud
 * cases decided in the range, with the redaction marks blanked so they never count as words.
 */
export async function fraudSummaries(db: Kysely<Database>, range: InstantRange): Promise<string[]> {
  const rows = await casesDecidedIn(db, range, ['fraud'])
    .select((eb) => [eb.fn.coalesce('public_summary', 'summary').as('summary')])
    .where('summary', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.flatMap((r) =>
    r.summary === null ? [] : [r.summary.replace(REDACTION_MARK_PATTERN, ' ')],
  );
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

/** Reports received in `[from, to)` per source kind (SOURCE_KINDS), from the reports table. */
export async function reportsBySourceKind(
  db: Kysely<Database>,
  range: InstantRange,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('reports')
    .select((eb) => ['source_kind', eb.fn.countAll<string | number>().as('n')])
    .where('received_at', '>=', range.from)
    .where('received_at', '<', range.to)
    .groupBy('source_kind')
    .execute();
  return new Map(rows.map((r) => [r.source_kind, Number(r.n)]));
}
