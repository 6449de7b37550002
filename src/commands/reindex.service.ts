import type { Kysely } from 'kysely';
import { hasFormsBefore, allIndicatorsOfCase, listCasesByCreation } from '../cases/index.js';
import {
  PUBLIC_FORM_VERSION,
  addCaseKeys,
  prepareStoredReport,
  refreshCasePublicForms,
  reportsOfCase,
} from '../intake/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import type { Database } from '../store/index.js';
import {
  NEAR_DUPLICATE_VERSION,
  clearNearDuplicates,
  hasBandsOtherThan,
  storeNearDuplicate,
} from '../triage/index.js';
import { clearCaseTerms, hasCaseTerms, indexCaseTerms } from '../search/index.js';
import { indicatorTerm } from '../shared/search-terms.js';

/** Cases rebuilt per transaction by default. */
export const REINDEX_BATCH = 200;

/** What `rebuildIndexes` did. */
export interface ReindexSummary {
  /** Cases whose indexes were rebuilt. */
  cases: number;
  /** Cases left alone (`onlyMissing` and already indexed). */
  skipped: number;
  /** Reports read. */
  reports: number;
  /** Reports intake would now refuse (kept, but nothing indexed for them). */
  unreadable: number;
}

export interface ReindexOptions {
  /**
   * Only cases not indexed as intake indexes them now: no search term yet (a store from before
   * the indexes existed), near-duplicate band keys of another NEAR_DUPLICATE_VERSION, or public
   * forms made with an older PUBLIC_FORM_VERSION. Resumes an interrupted run.
   */
  onlyMissing?: boolean;
  /** Cases per transaction (1–10,000). */
  batch?: number;
  /** Called after each batch with the cases seen so far. */
  onProgress?: (casesSeen: number) => void;
}

/** What rebuildCaseIndexes read. */
export interface CaseIndexesRebuilt {
  /** Reports of the case. */
  reports: number;
  /** Reports intake would now refuse (kept, nothing indexed for them). */
  unreadable: number;
  /** ISO 8601 times of the case's first and last report, or null when it has none. */
  firstReportedAt: string | null;
  lastReportedAt: string | null;
}

/**
 * Rebuilds, inside `trx`, what intake derives from a case's reports for the indexes: its
 * near-duplicate texts and bands and its search terms (report texts, titles and indicators),
 * its public forms (refreshCasePublicForms: public texts and summary, personal indicator
 * links), and the merge keys intake now derives from its reports that no case holds yet (a key
 * held stays with its case). Used by `rebuildIndexes` and by merges and splits. The case's
 * counts and times are not changed.
 */
export async function rebuildCaseIndexes(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'config'>,
  caseId: string,
): Promise<CaseIndexesRebuilt> {
  await refreshCasePublicForms(trx, deps.config, caseId);
  await clearNearDuplicates(trx, caseId);
  await clearCaseTerms(trx, caseId);
  const reports = await reportsOfCase(trx, caseId);
  const terms = new Set<string>();
  let unreadable = 0;
  for (const report of reports) {
    const prepared = prepareStoredReport(report, deps.config);
    if (prepared === null) {
      unreadable += 1;
      continue;
    }
    if (prepared.nearDuplicate !== null) {
      await storeNearDuplicate(trx, caseId, prepared.nearDuplicate, report.receivedAt);
    }
    // Merge keys as intake derives them now (e.g. text fingerprints after a normalisation
    // change), so a new copy of an old message joins its case; keys held stay where they are.
    await addCaseKeys(trx, caseId, prepared.keys, report.receivedAt);
    for (const term of prepared.searchTerms) terms.add(term);
  }
  for (const i of await allIndicatorsOfCase(trx, caseId)) terms.add(indicatorTerm(i.type, i.value));
  await indexCaseTerms(trx, caseId, [...terms]);
  return {
    reports: reports.length,
    unreadable,
    firstReportedAt: reports[0]?.receivedAt ?? null,
    lastReportedAt: reports[reports.length - 1]?.receivedAt ?? null,
  };
}

/**
 * Rebuilds the near-duplicate index (`dedup_texts`, `dedup_bands`), the search index
 * (`search_postings`), the missing merge keys (`case_keys`) and the public forms (public texts and summaries, personal indicator
 * links) of every case from its stored reports and indicators, exactly as intake derives them
 * (`prepareReport`), for stores created before those indexes existed or after the
 * near-duplicate parameters changed. Cases are visited oldest first (creation time, then ID) so a
 * text shared by several cases stays with the oldest, as at intake; each batch is one
 * transaction, so an interrupted run can be resumed (`onlyMissing`) and readers never see a case
 * half indexed. Case counts, times and triage are not changed and no event is recorded: the
 * indexes and public forms are derived data.
 * @throws RangeError when `batch` is not an integer in 1–10,000.
 */
export async function rebuildIndexes(
  deps: Pick<ServiceDeps, 'db' | 'config'>,
  options: ReindexOptions = {},
): Promise<ReindexSummary> {
  const batch = options.batch ?? REINDEX_BATCH;
  if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) {
    throw new RangeError('batch must be an integer from 1 to 10,000');
  }
  const summary: ReindexSummary = { cases: 0, skipped: 0, reports: 0, unreadable: 0 };
  let after: { createdAt: string; id: string } | null = null;
  let seen = 0;
  for (;;) {
    const cases = await listCasesByCreation(deps.db, after, batch);
    const last = cases[cases.length - 1];
    if (last === undefined) break;
    after = last;
    await deps.db.transaction().execute(async (trx) => {
      for (const c of cases) {
        if (options.onlyMissing === true) {
          const indexed = await hasCaseTerms(trx, c.id);
          const stale = await hasBandsOtherThan(trx, c.id, NEAR_DUPLICATE_VERSION);
          const staleForms = await hasFormsBefore(trx, c.id, PUBLIC_FORM_VERSION);
          if (indexed && !stale && !staleForms) {
            summary.skipped += 1;
            continue;
          }
        }
        const done = await rebuildCaseIndexes(trx, deps, c.id);
        summary.cases += 1;
        summary.reports += done.reports;
        summary.unreadable += done.unreadable;
      }
    });
    seen += cases.length;
    options.onProgress?.(seen);
  }
  return summary;
}
