import { reportSourceOf } from '../identity/index.js';
import { authorize, type Actor } from '../policy/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { AppError, badRequest, forbidden, isAppError } from '../shared/errors.js';
import type { Kysely } from 'kysely';
import { retryOnConflict, type Database } from '../store/index.js';
import { isPlatform, type SourceKind } from '../vocabulary/index.js';
import {
  REPORT_LIMITS,
  ingestPrepared,
  prepareReport,
  type IntakeResult,
} from './intake.service.js';
import { findReportByExternalId } from './intake.repo.js';

/** Most reports in one `POST /api/v1/reports/batch` (and one scanner feed call). */
export const REPORT_BATCH_MAX = 1_000;

/** Longest `externalId`, characters. */
export const EXTERNAL_ID_MAX_CHARS = 200;

/** One report of a batch, as a source sends it. */
export interface BatchReportInput {
  /** The source's own ID: the same ID from the same source is the same report. */
  externalId?: string | undefined;
  url?: string | undefined;
  text?: string | undefined;
  title?: string | undefined;
  /** A Platform; anything else is refused for this report only (`invalid_platform`). */
  platform?: string | undefined;
}

/** What became of one report of a batch, in the order sent. */
export type BatchItemResult =
  | {
      index: number;
      externalId: string | null;
      status: 'accepted';
      reportId: string;
      caseId: string;
      newCase: boolean;
    }
  | {
      index: number;
      externalId: string | null;
      status: 'duplicate';
      reportId: string;
      caseId: string;
    }
  | {
      index: number;
      externalId: string | null;
      status: 'rejected';
      error: { code: string; message: string };
    };

/** The answer to a batch: per report, and the counts. */
export interface BatchResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: BatchItemResult[];
}

/** A source that sends batches: never `citizen` (the source comes from the credential). */
export interface BatchSource {
  kind: SourceKind;
  name: string;
}

/**
 * 413 `batch_too_large` for more than REPORT_BATCH_MAX reports in one call.
 * @param count the number of reports sent.
 */
export function batchTooLarge(count: number): AppError {
  return new AppError(
    413,
    'batch_too_large',
    `At most ${REPORT_BATCH_MAX} reports in one batch (${count} sent): split it.`,
    { details: { limit: REPORT_BATCH_MAX, count } },
  );
}

/**
 * Stores `items` (hooked as `extra` of each report, e.g. the scanner's ad record) for `source`,
 * each in a transaction of its own through the same intake as a single report: a bad report
 * (invalid URL, nothing to report, too long) is answered with its error code and costs the
 * others nothing; a report whose `externalId` this source sent before is `duplicate` (nothing
 * written), also within one batch and when two calls race (the unique index on source and
 * external ID decides, and the loser reads the winner's report).
 * @param onStored runs inside each report's transaction after intake (the scanner's ad rows).
 * @param check refuses an item before intake (throws an AppError 4xx, answered for that item).
 * @throws AppError 403 `forbidden` for a citizen source, 413 `batch_too_large` beyond
 *   REPORT_BATCH_MAX; nothing else (each report's failure is in its result).
 */
export async function submitReportBatch<T extends BatchReportInput>(
  deps: ServiceDeps,
  source: BatchSource,
  items: readonly T[],
  channel: 'api' | 'line' | 'app' = 'api',
  onStored?: (trx: Kysely<Database>, item: T, result: IntakeResult) => Promise<void>,
  check?: (item: T) => void,
): Promise<BatchResult> {
  if (source.kind === 'citizen') {
    throw forbidden('Batches come from an API key issued for a source.');
  }
  if (items.length > REPORT_BATCH_MAX) throw batchTooLarge(items.length);
  const results: BatchItemResult[] = [];
  for (const [index, item] of items.entries()) {
    const externalId = item.externalId ?? null;
    try {
      check?.(item);
      const platform = item.platform;
      if (platform !== undefined && !isPlatform(platform)) {
        throw badRequest('invalid_platform', 'Unknown platform.', 'platform');
      }
      if (externalId !== null && (externalId === '' || externalId.length > EXTERNAL_ID_MAX_CHARS)) {
        throw badRequest(
          'invalid_external_id',
          `An externalId is 1 to ${EXTERNAL_ID_MAX_CHARS} characters.`,
          'externalId',
        );
      }
      if (item.url !== undefined && item.url.length > REPORT_LIMITS.urlChars) {
        throw new AppError(413, 'url_too_long', `At most ${REPORT_LIMITS.urlChars} characters.`);
      }
      const prepared = prepareReport(
        {
          url: item.url,
          text: item.text,
          title: item.title,
          platform,
          channel,
          source: source.name,
          sourceKind: source.kind,
          externalId: item.externalId,
        },
        deps.config,
      );
      const stored = await retryOnConflict(() =>
        deps.db.transaction().execute(async (trx) => {
          const result = await ingestPrepared(trx, deps, prepared);
          if (onStored !== undefined) await onStored(trx, item, result);
          return result;
        }),
      );
      results.push(
        stored.duplicate
          ? {
              index,
              externalId,
              status: 'duplicate',
              reportId: stored.reportId,
              caseId: stored.caseId,
            }
          : {
              index,
              externalId,
              status: 'accepted',
              reportId: stored.reportId,
              caseId: stored.caseId,
              newCase: stored.newCase,
            },
      );
    } catch (error) {
      if (isAppError(error) && error.status < 500) {
        results.push({
          index,
          externalId,
          status: 'rejected',
          error: { code: error.code, message: error.message },
        });
        continue;
      }
      // Another call stored the same external report first: the unique index refused ours.
      const winner =
        externalId === null
          ? undefined
          : await findReportByExternalId(deps.db, source.name, externalId);
      if (winner !== undefined) {
        results.push({
          index,
          externalId,
          status: 'duplicate',
          reportId: winner.id,
          caseId: winner.caseId,
        });
        continue;
      }
      deps.log.error({ err: error, index }, 'a report of a batch could not be stored');
      results.push({
        index,
        externalId,
        status: 'rejected',
        error: { code: 'internal_error', message: 'The report could not be stored.' },
      });
    }
  }
  return {
    accepted: results.filter((r) => r.status === 'accepted').length,
    duplicates: results.filter((r) => r.status === 'duplicate').length,
    rejected: results.filter((r) => r.status === 'rejected').length,
    results,
  };
}

/**
 * `POST /api/v1/reports/batch` for `actor`: authorised here (`source_report.batch`), the source
 * taken from the actor's credential (reportSourceOf), never from the caller; then as
 * submitReportBatch.
 * @throws AppError 401/403 (the permission; a credential issued for no source), 413.
 */
export async function sendReportBatch(
  deps: ServiceDeps,
  actor: Actor,
  reports: readonly BatchReportInput[],
): Promise<BatchResult> {
  authorize(actor, 'source_report.batch');
  return submitReportBatch(deps, await reportSourceOf(deps, actor), reports);
}
