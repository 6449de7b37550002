import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/**
 * Distinct registrable domains of the `url` and `domain` indicators of website cases whose
 * verdict is fraud, sorted.
 */
export async function confirmedWebsiteDomains(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('case_indicators as ci', 'ci.case_id', 'c.id')
    .innerJoin('indicators as i', 'i.id', 'ci.indicator_id')
    .select('i.registrable_domain as domain')
    .distinct()
    .where('c.verdict', '=', 'fraud')
    .where('c.platform', '=', 'website')
    .where('i.type', 'in', ['url', 'domain'])
    .where('i.registrable_domain', 'is not', null)
    .orderBy('i.registrable_domain')
    .execute();
  return rows.flatMap((r) => (r.domain === null ? [] : [r.domain]));
}
