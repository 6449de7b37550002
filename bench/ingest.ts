/**
 * bench/ingest: reports accepted per second through the service layer on SQLite, beside the
 * ceiling of raw better-sqlite3 inserts of the same rows in the same run.
 *
 * Rows: the real demo data (Cofacts messages, 165 fake-investment sites, 165 LINE IDs, DNS-
 * suspended shop sites, blocklistproject domains), read through the importers.
 * Figures:
 *   - submitReport: one transaction per report, as the public API does;
 *   - importRows: 500 reports per transaction, as `scamnet import` and the demo import do;
 *   - ceiling: one prepared INSERT per row into a table shaped like `reports`, one transaction.
 * The service figures include the log's sequencer appending every event after commit
 * (integrateLog at the end); the rate to commit alone is printed beside.
 * Run: `npm run bench:ingest` (add `-- --rows N` to cap the row count).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { DEMO_DATA_DIR } from '../src/bootstrap.js';
import { DEMO_FILES } from '../src/demo/index.js';
import {
  importRows,
  prepareReport,
  readImportFile,
  submitReport,
  type ImportRow,
  type ReportInput,
} from '../src/intake/index.js';
import { integrateLog } from '../src/log/index.js';
import type { ServiceDeps } from '../src/shared/deps.js';
import { openSqliteDeps } from './sqlite-deps.js';

const rowsArg = process.argv.indexOf('--rows');
const maxRows = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : Infinity;

async function loadInputs(): Promise<ReportInput[]> {
  const inputs: ReportInput[] = [];
  for (const { file, format, options } of DEMO_FILES) {
    for await (const row of readImportFile(path.join(DEMO_DATA_DIR, file), format, options)) {
      if (!('input' in row)) continue;
      try {
        prepareReport(row.input, { defaultRegion: 'TW' });
        inputs.push(row.input);
      } catch {
        // A row intake refuses (e.g. a host without a domain) is not part of the benchmark.
      }
    }
  }
  return inputs.slice(0, maxRows);
}

async function withStore<T>(run: (deps: ServiceDeps) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-bench-'));
  const { deps, destroy } = await openSqliteDeps(path.join(dir, 'bench.db'));
  try {
    return await run(deps);
  } finally {
    await destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

function rawCeiling(inputs: readonly ReportInput[]): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-bench-raw-'));
  const db = new SQLite(path.join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`create table reports (id text primary key, case_id text not null, received_at text not null,
    source text not null, channel text not null, platform text, url text, canonical_url text, text text,
    title text, external_id text)`);
  const insert = db.prepare(
    'insert into reports values (@id, @caseId, @receivedAt, @source, @channel, @platform, @url, null, @text, @title, @externalId)',
  );
  const start = performance.now();
  db.transaction(() => {
    inputs.forEach((input, i) => {
      insert.run({
        id: `R${i}`,
        caseId: `C${i}`,
        receivedAt: input.receivedAt ?? new Date().toISOString(),
        source: input.source,
        channel: input.channel,
        platform: input.platform ?? null,
        url: input.url ?? null,
        text: input.text ?? null,
        title: input.title ?? null,
        externalId: input.externalId ?? null,
      });
    });
  })();
  const seconds = (performance.now() - start) / 1000;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return inputs.length / seconds;
}

async function* asRows(inputs: readonly ReportInput[]): AsyncGenerator<ImportRow> {
  let line = 0;
  for (const input of inputs) yield { line: ++line, input };
}

const inputs = await loadInputs();
const ceiling = rawCeiling(inputs);

/**
 * Runs `ingest`, then the log's sequencer until every event is a leaf (integrateLog: its work
 * after commit is counted, as the server's timer would do it during the run).
 * @returns reports per second, with and without the sequencing.
 */
async function timed(
  deps: ServiceDeps,
  ingest: () => Promise<void>,
): Promise<{ rate: number; withoutLog: number }> {
  const start = performance.now();
  await ingest();
  const committed = performance.now();
  await integrateLog(deps, { sign: false });
  const done = performance.now();
  return {
    rate: inputs.length / ((done - start) / 1000),
    withoutLog: inputs.length / ((committed - start) / 1000),
  };
}

const perReport = await withStore((deps) =>
  timed(deps, async () => {
    for (const input of inputs) await submitReport(deps, { ...input, externalId: undefined });
  }),
);

const batched = await withStore((deps) =>
  timed(deps, async () => {
    const summary = await importRows(deps, asRows(inputs));
    if (summary.rejected.length > 0)
      throw new Error(`bench rows rejected: ${summary.rejected.length}`);
  }),
);

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(
  `bench/ingest: ${inputs.length} real reports, SQLite (WAL, synchronous=NORMAL), Node ${process.version}`,
);
console.log(`  raw better-sqlite3 INSERT ceiling : ${fmt(ceiling)} rows/s`);
const line = (name: string, r: { rate: number; withoutLog: number }): void =>
  console.log(
    `  ${name}: ${fmt(r.rate)} reports/s  (${(r.rate / ceiling).toFixed(4)} × ceiling; ` +
      `${fmt(r.withoutLog)}/s to commit, the log's sequencer after)`,
  );
line('submitReport (1 txn per report) ', perReport);
line('importRows (500 per txn)        ', batched);
