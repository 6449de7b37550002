import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/**
 * IDs of cases holding a public `url` or `domain` indicator whose expression is one of
 * `expressions` (links reporters gave only as personal data are never matched).
 */
export async function caseIdsByExpressions(
  db: Kysely<Database>,
  expressions: readonly string[],
): Promise<string[]> {
  if (expressions.length === 0) return [];
  const rows = await db
    .selectFrom('indicators as i')
    .innerJoin('case_indicators as ci', 'ci.indicator_id', 'i.id')
    .select('ci.case_id')
    .distinct()
    .where('i.expression', 'in', expressions)
    .where('ci.personal', '=', 0)
    .execute();
  return rows.map((r) => r.case_id);
}

/**
 * IDs of cases holding any of the typed indicators as a public indicator: a phone number or
 * account a reporter gave only as their own finds nothing (case_indicators.personal).
 */
export async function caseIdsByIndicators(
  db: Kysely<Database>,
  indicators: ReadonlyArray<{ type: string; value: string }>,
): Promise<string[]> {
  if (indicators.length === 0) return [];
  const rows = await db
    .selectFrom('indicators as i')
    .innerJoin('case_indicators as ci', 'ci.indicator_id', 'i.id')
    .select('ci.case_id')
    .distinct()
    .where((eb) =>
      eb.or(
        indicators.map((i) => eb.and([eb('i.type', '=', i.type), eb('i.value', '=', i.value)])),
      ),
    )
    .where('ci.personal', '=', 0)
    .execute();
  return rows.map((r) => r.case_id);
}

/** IDs of cases holding any of the merge `keys`. */
export async function caseIdsByKeys(
  db: Kysely<Database>,
  keys: readonly string[],
): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('case_keys')
    .select('case_id')
    .distinct()
    .where('key', 'in', keys)
    .execute();
  return rows.map((r) => r.case_id);
}
