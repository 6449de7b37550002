import type { Kysely } from 'kysely';
import { reportSourceOf } from '../identity/index.js';
import { authorize, type Actor } from '../policy/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest, forbidden } from '../shared/errors.js';
import type { Database } from '../store/index.js';
import { isPlatform } from '../vocabulary/index.js';
import {
  submitReportBatch,
  type BatchReportInput,
  type BatchResult,
  type BatchSource,
} from './batch.service.js';
import type { IntakeResult } from './intake.service.js';
import { recordAdSighting } from './scanner.repo.js';

/** Longest ad ID, advertiser/payer name or disclosure, characters. */
export const AD_FIELD_MAX_CHARS = 500;

/** One ad found in an ad library, as the scanner sends it. */
export interface ScannedAd {
  /** The ad library's own ID of the ad. */
  adId: string;
  /** A Platform (facebook, instagram, google, youtube, tiktok, …). */
  platform: string;
  advertiserName?: string | undefined;
  advertiserId?: string | undefined;
  payerName?: string | undefined;
  adText?: string | undefined;
  landingUrl?: string | undefined;
  /** ISO 8601. */
  firstSeenAt: string;
  /** ISO 8601, not before firstSeenAt. */
  lastSeenAt: string;
  /**
   * Who commissioned and who paid for the ad as the platform shows it (the ad real-name rule
   * of the Fraud Crime Hazard Prevention Act); `null` or blank (the platform showed none): a
   * compliance finding. Required: a scanner that did not read it cannot say it was missing.
   */
  disclosure: string | null;
}

/**
 * Checks what intake does not: the ad's ID, platform and the times it was seen.
 * @throws AppError 400 `invalid_ad_id`, `invalid_platform`, `invalid_seen_at`.
 */
/** Longest adId: with the platform and `:` it fits the 200 characters of an externalId. */
export const AD_ID_MAX_CHARS = 150;

function checkAd(ad: ScannedAd): void {
  // `<platform>:<adId>` is the report's externalId, at most 200 characters.
  if (ad.adId.trim() === '' || ad.adId.length > AD_ID_MAX_CHARS) {
    throw badRequest('invalid_ad_id', `An adId is 1 to ${AD_ID_MAX_CHARS} characters.`, 'adId');
  }
  for (const field of ['advertiserId', 'payerName', 'disclosure'] as const) {
    if ((ad[field]?.length ?? 0) > AD_FIELD_MAX_CHARS) {
      throw badRequest('field_too_long', `${field} is at most 500 characters.`, field);
    }
  }
  if (!isPlatform(ad.platform))
    throw badRequest('invalid_platform', 'Unknown platform.', 'platform');
  const first = Date.parse(ad.firstSeenAt);
  const last = Date.parse(ad.lastSeenAt);
  if (Number.isNaN(first) || Number.isNaN(last) || last < first) {
    throw badRequest(
      'invalid_seen_at',
      'firstSeenAt and lastSeenAt are ISO 8601 times, the last not before the first.',
      'lastSeenAt',
    );
  }
}

/** A field as stored: trimmed, blank as null. */
function optional(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? null : trimmed;
}

/**
 * The ad scanner's feed: each ad becomes a report of the `scanner` source through the same
 * intake as every report (so triage scores it and an ad of known content joins its case), with
 * the external ID `<platform>:<adId>`, so the ad is one report and one case however often it is
 * seen; every sighting (the first included) is recorded in `scanner_ads` in the same
 * transaction: a repeated sighting is answered `duplicate` and moves the ad's `lastSeenAt`. An
 * ad whose disclosure (who commissioned and paid for it) is absent is flagged as a platform
 * compliance finding, counted per platform in the statistics. Each ad is stored or refused
 * alone, as in submitReportBatch.
 * @throws AppError 403 `forbidden` unless `source` is a `scanner`; 413 `batch_too_large`.
 */
export async function submitScannerFeed(
  deps: ServiceDeps,
  source: BatchSource,
  ads: readonly ScannedAd[],
): Promise<BatchResult> {
  if (source.kind !== 'scanner') {
    throw forbidden('Only an API key issued for a scanner sends the ad feed.');
  }
  type Item = BatchReportInput & { ad: ScannedAd };
  const items: Item[] = ads.map((ad) => ({
    ad,
    externalId: `${ad.platform}:${ad.adId}`,
    url: optional(ad.landingUrl) ?? undefined,
    text: optional(ad.adText) ?? undefined,
    title: optional(ad.advertiserName) ?? undefined,
    platform: ad.platform,
  }));
  const onStored = async (
    trx: Kysely<Database>,
    item: Item,
    result: IntakeResult,
  ): Promise<void> => {
    const { ad } = item;
    const disclosure = optional(ad.disclosure);
    await recordAdSighting(trx, {
      platform: ad.platform,
      adId: ad.adId,
      caseId: result.caseId,
      reportId: result.reportId,
      source: source.name,
      advertiserName: optional(ad.advertiserName),
      advertiserId: optional(ad.advertiserId),
      payerName: optional(ad.payerName),
      landingUrl: optional(ad.landingUrl),
      disclosure,
      disclosureMissing: disclosure === null,
      firstSeenAt: new Date(Date.parse(ad.firstSeenAt)).toISOString(),
      lastSeenAt: new Date(Date.parse(ad.lastSeenAt)).toISOString(),
    });
  };
  return submitReportBatch(deps, source, items, 'api', onStored, (item) => checkAd(item.ad));
}

/**
 * `POST /api/v1/scanner/ads` for `actor`: authorised here (`source_report.batch`), the source
 * from the actor's credential only (a `scanner` key); then as submitScannerFeed.
 * @throws AppError 401/403 (the permission; a credential not issued for a scanner), 413.
 */
export async function sendScannerFeed(
  deps: ServiceDeps,
  actor: Actor,
  ads: readonly ScannedAd[],
): Promise<BatchResult> {
  authorize(actor, 'source_report.batch');
  return submitScannerFeed(deps, await reportSourceOf(deps, actor), ads);
}
