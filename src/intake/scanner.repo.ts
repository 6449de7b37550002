import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** One sighting of an ad, as the scanner's feed stores it. */
export interface AdSighting {
  platform: string;
  adId: string;
  caseId: string;
  reportId: string;
  source: string;
  advertiserName: string | null;
  advertiserId: string | null;
  payerName: string | null;
  landingUrl: string | null;
  disclosure: string | null;
  disclosureMissing: boolean;
  firstSeenAt: string;
  lastSeenAt: string;
}

/**
 * Records a sighting of an ad: the first makes its row; a later one counts, widens the seen
 * period (earliest first, latest last) and takes the sighting's advertiser, payer and
 * disclosure, so the compliance finding is the ad's state as last seen.
 * @returns the ad's case ID (the first sighting's) and its sightings so far.
 */
export async function recordAdSighting(
  db: Kysely<Database>,
  ad: AdSighting,
): Promise<{ caseId: string; sightings: number }> {
  await db
    .insertInto('scanner_ads')
    .values({
      platform: ad.platform,
      ad_id: ad.adId,
      case_id: ad.caseId,
      report_id: ad.reportId,
      source: ad.source,
      advertiser_name: ad.advertiserName,
      advertiser_id: ad.advertiserId,
      payer_name: ad.payerName,
      landing_url: ad.landingUrl,
      disclosure: ad.disclosure,
      disclosure_missing: ad.disclosureMissing ? 1 : 0,
      sightings: 1,
      first_seen_at: ad.firstSeenAt,
      last_seen_at: ad.lastSeenAt,
    })
    .onConflict((oc) =>
      oc.columns(['platform', 'ad_id']).doUpdateSet((eb) => ({
        sightings: eb('scanner_ads.sightings', '+', 1),
        first_seen_at: sql<string>`case when excluded.first_seen_at < scanner_ads.first_seen_at then excluded.first_seen_at else scanner_ads.first_seen_at end`,
        last_seen_at: sql<string>`case when excluded.last_seen_at > scanner_ads.last_seen_at then excluded.last_seen_at else scanner_ads.last_seen_at end`,
        advertiser_name: eb.ref('excluded.advertiser_name'),
        advertiser_id: eb.ref('excluded.advertiser_id'),
        payer_name: eb.ref('excluded.payer_name'),
        landing_url: eb.ref('excluded.landing_url'),
        disclosure: eb.ref('excluded.disclosure'),
        disclosure_missing: eb.ref('excluded.disclosure_missing'),
      })),
    )
    .execute();
  const row = await db
    .selectFrom('scanner_ads')
    .select(['case_id', 'sightings'])
    .where('platform', '=', ad.platform)
    .where('ad_id', '=', ad.adId)
    .executeTakeFirstOrThrow();
  return { caseId: row.case_id, sightings: Number(row.sightings) };
}

/** Ads found per platform and how many of them lack the disclosure, first seen in `[from, to)`. */
export async function adDisclosureCounts(
  db: Kysely<Database>,
  range: { from: string; to: string },
): Promise<Array<{ platform: string; ads: number; missingDisclosure: number }>> {
  const rows = await db
    .selectFrom('scanner_ads')
    .select((eb) => [
      'platform',
      eb.fn.countAll<string | number>().as('ads'),
      eb.fn.sum<string | number>('disclosure_missing').as('missing'),
    ])
    .where('first_seen_at', '>=', range.from)
    .where('first_seen_at', '<', range.to)
    .groupBy('platform')
    .orderBy('platform')
    .execute();
  return rows.map((r) => ({
    platform: r.platform,
    ads: Number(r.ads),
    missingDisclosure: Number(r.missing ?? 0),
  }));
}
