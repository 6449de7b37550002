/**
 * bench/lookup-texts: near-duplicate checks from the lookup index's memory (issue 14) beside the
 * same checks through the store's LSH bands, and the heap the index spends per near-duplicate
 * text, in one run on SQLite.
 *
 * Data: the real demo files (Cofacts messages, fake-investment sites and LINE IDs, suspended shop
 * sites, blocklistproject domains), imported through intake (`importRows`).
 * Checks: a repost of each stored Cofacts message as scammers make them (a greeting, the full-width
 * commas as ASCII, a sign-off; those of up to 5,000 characters, lookup's limit): near-duplicates
 * of a stored text, not exact copies; run in
 * process through `lookupText` with the index as source and with the store (`sqlLookupSource`).
 * Both must give the same answers (the benchmark stops otherwise); each runs twice, the second
 * round measured.
 * Memory: heap after a forced GC with the index built, minus the same with the index built after
 * the store's near-duplicate rows were deleted, divided by the texts held.
 * Run: `npm run bench:lookup-texts` (`-- --rows N` caps the imported rows).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DEMO_DATA_DIR } from '../src/bootstrap.js';
import { DEMO_FILES } from '../src/demo/index.js';
import { importRows, readImportFile, type ImportRow } from '../src/intake/index.js';
import {
  LookupIndex,
  lookupText,
  sqlLookupSource,
  type LookupSource,
} from '../src/search/index.js';
import type { ServiceDeps } from '../src/shared/deps.js';
import { openSqliteDeps } from './sqlite-deps.js';

if (typeof Reflect.get(globalThis, 'gc') !== 'function') {
  // The heap figures need a forced GC: run again with --expose-gc.
  const self = fileURLToPath(import.meta.url);
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', self, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(run.status ?? 1);
}

const rowsArg = process.argv.indexOf('--rows');
const maxRows = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : Infinity;

async function* demoRows(messages: string[]): AsyncGenerator<ImportRow> {
  let n = 0;
  for (const { file, format, options } of DEMO_FILES) {
    for await (const row of readImportFile(path.join(DEMO_DATA_DIR, file), format, options)) {
      if (n++ >= maxRows) return;
      if ('input' in row && row.input.text !== undefined) messages.push(row.input.text);
      yield row;
    }
  }
}

/** A repost of `text`: greeting, ASCII commas, sign-off (bench/dedup-scale.ts). */
function repost(text: string, i: number): string {
  const greeting = ['早安！', '大家好，', '轉傳：', '分享給大家～\n'][i % 4] ?? '';
  return `${greeting}${text.replace(/，/g, ', ')}${i % 2 === 0 ? '\n感恩' : '！！'}`;
}

/** Builds an index on `deps` and returns it with its worker thread's heap. */
async function built(deps: ServiceDeps): Promise<{ index: LookupIndex; bytes: number }> {
  const index = new LookupIndex(deps, { pollMs: 60_000 });
  index.start();
  await index.whenReady();
  return { index, bytes: (await index.heapBytes()) ?? Number.NaN };
}

/** Checks every query through `source`; returns checks/s and the answers. */
async function drive(
  deps: ServiceDeps,
  queries: readonly string[],
  source: () => Promise<LookupSource>,
): Promise<{ perSecond: number; answers: string[] }> {
  const answers: string[] = [];
  const start = performance.now();
  for (const q of queries) answers.push(JSON.stringify(await lookupText(deps, q, await source())));
  return { perSecond: queries.length / ((performance.now() - start) / 1000), answers };
}

const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-bench-texts-'));
try {
  const { deps, destroy } = await openSqliteDeps(path.join(dir, 'bench.db'));
  const messages: string[] = [];
  const imported = await importRows(deps, demoRows(messages));
  // A check takes at most 5,000 characters (lookup's limit); longer messages are not checked.
  const queries = messages.map(repost).filter((q) => q.length <= 5000);
  if (queries.length === 0) throw new Error('no message among the imported rows: raise --rows');

  const withTexts = await built(deps);
  const stats = withTexts.index.stats();
  const fromMemory = async () => {
    const source = await withTexts.index.current();
    if (source === null) throw new Error('the lookup index is not ready');
    return source;
  };
  const fromStore = async () => sqlLookupSource(deps);
  // A first round of each warms the JIT and the page cache; the second is measured.
  await drive(deps, queries, fromMemory);
  await drive(deps, queries, fromStore);
  const memory = await drive(deps, queries, fromMemory);
  const stored = await drive(deps, queries, fromStore);
  const differing = memory.answers.filter((a, i) => a !== stored.answers[i]).length;
  if (differing > 0) throw new Error(`${differing} answers differ between memory and store`);
  const similar = stored.answers.filter((a) => a.includes('similar_message')).length;
  await withTexts.index.stop();

  await deps.db.deleteFrom('dedup_bands').execute();
  await deps.db.deleteFrom('dedup_texts').execute();
  const withoutTexts = await built(deps);
  await withoutTexts.index.stop();
  await destroy();

  const perText = (withTexts.bytes - withoutTexts.bytes) / stats.texts;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(
    `bench/lookup-texts: ${fmt(imported.accepted)} demo reports in ${fmt(stats.cases)} cases, SQLite, Node ${process.version}`,
  );
  console.log(
    `  index: ${fmt(stats.texts)} near-duplicate texts, ${fmt(stats.bandKeys)} distinct band keys; ` +
      `${fmt(withTexts.bytes / 1024 / 1024)} MiB of heap, ${fmt(withoutTexts.bytes / 1024 / 1024)} MiB without the texts: ` +
      `${fmt(perText)} B per text`,
  );
  console.log(
    `  ${fmt(queries.length)} reposted messages checked (${fmt(similar)} found as similar_message, same answers both ways):`,
  );
  console.log(`    from memory : ${fmt(memory.perSecond)} checks/s`);
  console.log(
    `    from store  : ${fmt(stored.perSecond)} checks/s  (memory ${(memory.perSecond / stored.perSecond).toFixed(2)}× the store)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
