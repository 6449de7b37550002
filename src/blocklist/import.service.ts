/** Importing blocklist entries in batches (one transaction and at most one zone serial each). */
import { authorize } from '../policy/index.js';
import type { Actor } from '../policy/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { externalIdExists, findOpenEntryRow } from './blocklist.repo.js';
import {
  checkActivation,
  checkBlockDomain,
  checkLegalBasis,
  type ActivationInput,
  type NewEntryInput,
} from './entry-checks.js';
import { proposeIn } from './proposals.service.js';
import { activateIn } from './transitions.service.js';
import { inZoneTransaction } from './zone-journal.js';

/** One row of a blocklist import: an entry to create (and maybe activate), or an error. */
export type BlocklistImportRow =
  | {
      readonly line: number;
      readonly entry: NewEntryInput;
      /** Activate on import: the row (or the command line) carries a legal basis. */
      readonly activation?: ActivationInput | undefined;
    }
  | { readonly line: number; readonly error: string };

/** What an import did. */
export interface BlocklistImportSummary {
  proposed: number;
  activated: number;
  /** Rows whose domain already has an open entry, or whose external ID was imported before. */
  duplicates: number;
  rejected: { line: number; message: string }[];
}

/** Rows written per transaction (and per zone version) by importEntries. */
export const BLOCKLIST_IMPORT_BATCH = 500;

/**
 * Imports rows in batches of BLOCKLIST_IMPORT_BATCH, each batch one transaction and at most one
 * new zone serial. Every row passes the protection guard; a refused or invalid row is reported
 * with its line and the rule, and the others are kept. Rows whose domain already has an open
 * entry, or whose (source, externalId) was imported before, are counted as duplicates, so
 * re-importing a file adds nothing.
 * @throws AppError 401/403 unless analyst or admin.
 */
export async function importEntries(
  deps: ServiceDeps,
  actor: Actor,
  rows: AsyncIterable<BlocklistImportRow>,
  onProgress?: (rowsRead: number) => void,
): Promise<BlocklistImportSummary> {
  authorize(actor, 'blocklist.import');
  const summary: BlocklistImportSummary = {
    proposed: 0,
    activated: 0,
    duplicates: 0,
    rejected: [],
  };
  let batch: BlocklistImportRow[] = [];
  let read = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    const at = isoTime(deps.clock.now());
    await inZoneTransaction(deps, async (trx, zone) => {
      for (const row of current) {
        if ('error' in row) {
          summary.rejected.push({ line: row.line, message: row.error });
          continue;
        }
        const { entry, activation } = row;
        if (
          entry.externalId !== undefined &&
          (await externalIdExists(trx, entry.source ?? 'api', entry.externalId))
        ) {
          summary.duplicates += 1;
          continue;
        }
        let domain: string;
        try {
          domain = checkBlockDomain(deps.config, entry.domain);
          const basis = entry.legalBasis === undefined ? null : checkLegalBasis(entry.legalBasis);
          if (activation !== undefined) {
            checkActivation(
              { basis, unit: entry.requestingUnit ?? null, siteType: entry.siteType ?? null },
              activation,
              at,
            );
          }
        } catch (error) {
          summary.rejected.push({
            line: row.line,
            message: error instanceof Error ? error.message : String(error),
          });
          continue;
        }
        if ((await findOpenEntryRow(trx, domain)) !== undefined) {
          summary.duplicates += 1;
          continue;
        }
        const id = await proposeIn(trx, deps, actor, { ...entry, domain }, at);
        if (activation === undefined) {
          summary.proposed += 1;
          continue;
        }
        await activateIn(trx, deps, zone, actor, id, activation, at);
        summary.activated += 1;
      }
    });
  };
  for await (const row of rows) {
    batch.push(row);
    read += 1;
    if (batch.length >= BLOCKLIST_IMPORT_BATCH) {
      await flush();
      onProgress?.(read);
    }
  }
  await flush();
  onProgress?.(read);
  return summary;
}
