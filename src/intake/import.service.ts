import { isAppError } from '../shared/errors.js';
import type { ServiceDeps } from '../shared/deps.js';
import {
  ingestPrepared,
  withHeldCaseCounts,
  prepareReport,
  type IntakeResult,
  type PreparedReport,
} from './intake.service.js';
import type { ImportRow } from './importers/types.js';

/** Rows stored per transaction during an import. */
export const IMPORT_BATCH_SIZE = 500;
/**
 * Rows per transaction on PostgreSQL: short transactions hold the merge keys' advisory locks and
 * the rows they touch briefly, so API writers (verdicts, reports) interleave with an import, and
 * make lock-order deadlocks unlikely.
 */
export const IMPORT_BATCH_SIZE_POSTGRES = 25;

export interface ImportSummary {
  /** Rows stored as new reports. */
  accepted: number;
  /** Rows whose external ID was imported before (nothing written). */
  duplicates: number;
  /** New cases among the accepted rows. */
  newCases: number;
  /** Rows that could not be read or stored, with their line number and why. */
  rejected: Array<{ line: number; message: string }>;
}

/**
 * Called after each batch has committed (and once at the end) with the number of rows handled so
 * far and the file line of the last of them: every row up to that line is stored, already
 * imported, or rejected.
 */
export type ImportProgress = (rowsDone: number, throughLine: number) => void;

/**
 * Called once per stored row (new or already imported) after its batch commits, with the row's
 * line and what intake did (its case ID among others): for callers that act on the cases next.
 */
export type ImportRowStored = (line: number, result: IntakeResult) => void;

function messageOf(error: unknown): string {
  if (isAppError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Stores a stream of import rows through the same intake as the public API, IMPORT_BATCH_SIZE
 * (IMPORT_BATCH_SIZE_POSTGRES on PostgreSQL)
 * rows per transaction. A bad row (unreadable, invalid URL, nothing to report) is reported with
 * its line number and skipped; good rows are kept. If a batch fails in the store, its rows are
 * retried one per transaction so only the failing row is lost. `onStored` hears of every row
 * stored, in order, once its transaction has committed.
 */
export async function importRows(
  deps: ServiceDeps,
  rows: AsyncIterable<ImportRow>,
  onProgress: ImportProgress = () => undefined,
  onStored: ImportRowStored = () => undefined,
): Promise<ImportSummary> {
  const summary: ImportSummary = { accepted: 0, duplicates: 0, newCases: 0, rejected: [] };
  let batch: Array<{ line: number; prepared: PreparedReport }> = [];
  let seen = 0;
  let lastLine = 0;
  const batchSize = deps.dialect === 'postgres' ? IMPORT_BATCH_SIZE_POSTGRES : IMPORT_BATCH_SIZE;

  const store = async (items: Array<{ line: number; prepared: PreparedReport }>): Promise<void> => {
    const results = await deps.db.transaction().execute((trx) =>
      // The daily counts of the batch's new cases at its end (the same counts as row by row).
      withHeldCaseCounts(trx, async () => {
        const out = [];
        for (const item of items) out.push(await ingestPrepared(trx, deps, item.prepared));
        return out;
      }),
    );
    results.forEach((result, i) => {
      if (result.duplicate) summary.duplicates += 1;
      else summary.accepted += 1;
      if (result.newCase) summary.newCases += 1;
      const item = items[i];
      if (item !== undefined) onStored(item.line, result);
    });
  };
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    try {
      await store(items);
    } catch {
      for (const item of items) {
        try {
          await store([item]);
        } catch (error) {
          summary.rejected.push({ line: item.line, message: messageOf(error) });
        }
      }
    }
    onProgress(seen, lastLine);
  };

  for await (const row of rows) {
    seen += 1;
    lastLine = row.line;
    if ('error' in row) {
      summary.rejected.push({ line: row.line, message: row.error });
      continue;
    }
    try {
      batch.push({ line: row.line, prepared: prepareReport(row.input, deps.config) });
    } catch (error) {
      summary.rejected.push({ line: row.line, message: messageOf(error) });
      continue;
    }
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  onProgress(seen, lastLine);
  return summary;
}
