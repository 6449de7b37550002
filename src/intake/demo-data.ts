import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { ServiceDeps } from '../shared/deps.js';
import { importRows, type ImportProgress, type ImportSummary } from './import.service.js';
import { readImportFile } from './importers/formats.js';
import type { ImportFormat, ImportOptions } from './importers/types.js';

/** The shipped demo files (data/demo, see its NOTICE.md), in import order. */
export const DEMO_FILES: ReadonlyArray<{
  file: string;
  format: ImportFormat;
  options: ImportOptions;
}> = [
  { file: 'phishing_shop_sites_dns_suspended.csv', format: 'tw165-dns-suspended', options: {} },
  { file: 'fake_investment_sites.csv', format: 'tw165-investment', options: {} },
  { file: 'line_ids.csv', format: 'tw165-line-ids', options: {} },
  {
    file: 'blocklistproject-scam.txt',
    format: 'domains',
    options: {
      source: 'blocklistproject',
      verdict: 'high_risk',
      note: 'Listed in The Block List Project scam list (community list, not an authority decision)',
    },
  },
  { file: 'cofacts-dev.csv', format: 'cofacts', options: {} },
];

async function* firstRows<T>(rows: AsyncIterable<T>, limit: number): AsyncGenerator<T> {
  let n = 0;
  for await (const row of rows) {
    if (n >= limit) return;
    n += 1;
    yield row;
  }
}

/** True when the store holds no case yet. */
export async function storeIsEmpty(deps: Pick<ServiceDeps, 'db'>): Promise<boolean> {
  const row = await deps.db
    .selectFrom('cases')
    .select(sql<number>`1`.as('one'))
    .limit(1)
    .executeTakeFirst();
  return row === undefined;
}

/**
 * Imports every DEMO_FILES entry found in `dir` through the normal import path (at most
 * `rowsPerFile` rows of each, for tests).
 * @returns one summary per file imported.
 */
export async function importDemoData(
  deps: ServiceDeps,
  dir: string,
  onFile: (file: string) => ImportProgress = () => () => undefined,
  rowsPerFile = Infinity,
): Promise<Array<{ file: string; summary: ImportSummary }>> {
  const results: Array<{ file: string; summary: ImportSummary }> = [];
  for (const { file, format, options } of DEMO_FILES) {
    const full = path.join(dir, file);
    if (!existsSync(full)) continue;
    const summary = await importRows(
      deps,
      firstRows(readImportFile(full, format, options), rowsPerFile),
      onFile(file),
    );
    results.push({ file, summary });
  }
  return results;
}
