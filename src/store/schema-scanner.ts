/**
 * The ad scanner's sightings (migration 0026): one row per ad found in an ad library, keyed by
 * platform and the library's ad ID, with the case its first report made.
 */
export interface ScannerTables {
  scanner_ads: ScannerAdsTable;
}

export interface ScannerAdsTable {
  platform: string;
  /** The ad library's own ID of the ad. */
  ad_id: string;
  case_id: string;
  /** The report the first sighting made. */
  report_id: string;
  /** The scanner source's name (its API key's). */
  source: string;
  advertiser_name: string | null;
  advertiser_id: string | null;
  payer_name: string | null;
  landing_url: string | null;
  /** Who commissioned and paid for the ad as the platform showed it (the ad real-name rule). */
  disclosure: string | null;
  /** 1 when the last sighting showed no disclosure: a platform compliance finding; else 0. */
  disclosure_missing: number;
  sightings: number;
  first_seen_at: string;
  last_seen_at: string;
}
