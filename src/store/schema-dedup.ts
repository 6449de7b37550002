/**
 * Tables of near-duplicate merging, case split/merge history and keyword search (issue 5).
 * All are derived from `reports` at intake and rebuilt for the cases a split or merge touches.
 */
export interface DedupTables {
  dedup_texts: DedupTextsTable;
  dedup_bands: DedupBandsTable;
  search_postings: SearchPostingsTable;
  case_merges: CaseMergesTable;
}

/** One distinct normalised message text (near-duplicate form) and the case it belongs to. */
export interface DedupTextsTable {
  /** First 32 hex characters of SHA-256 of `text`. */
  id: string;
  case_id: string;
  /** The message after `normaliseText` with short links as one token (triage/near-duplicate.ts). */
  text: string;
  created_at: string;
}

/** LSH band keys of each stored text (`nd3:<band>:<hex>`), the near-duplicate candidates index. */
export interface DedupBandsTable {
  band_key: string;
  text_id: string;
  case_id: string;
}

/** Search index: one row per term (character n-gram or token) and case (search/search-terms.ts). */
export interface SearchPostingsTable {
  term: string;
  case_id: string;
}

/** Analyst merges and splits: reports moved from one case to another. */
export interface CaseMergesTable {
  /** `M` + 12 Crockford base32 characters. */
  id: string;
  /** `merge` (every report of `from_case_id` moved) or `split` (some reports moved to a new case). */
  kind: string;
  from_case_id: string;
  into_case_id: string;
  /** Reports moved. */
  report_count: number;
  actor: string;
  note: string | null;
  at: string;
}
