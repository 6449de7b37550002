/**
 * bench/dedup-scale: intake merging near-duplicates at scale — reports merged per second through
 * the real intake service (`submitReport`: merge keys, LSH band lookup, verified Jaccard, storing
 * the report, its bands and search terms, triage) with 1,000,000 cases and their near-duplicate
 * and search index rows already stored, on SQLite; beside a baseline measured in the same run:
 * the same reports into a store that holds only the cases they join.
 *
 * Data: the generated store of bench/search (bench/stats' 1,000,000 cases given distinct texts and
 * intake's index rows, bench/case-indexes.ts). Reports: for --reports sampled cases (default
 * 1,000; every 997th generated case, drawn with a seed), a repost of the case's text as scammers
 * make them — a greeting added, the full-width commas changed to ASCII, a sign-off — which must
 * join that case (near-duplicate, not an exact copy: the text fingerprint differs).
 * Figures: reports/s and how many joined the right case, at the small store and at 1M, and the
 * ratio. `--db FILE` reuses (or keeps) the generated store: the merged reports stay in it.
 * Run: `node --import tsx bench/dedup-scale.ts [--cases N] [--reports N] [--db FILE]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { submitReport } from '../src/intake/index.js';
import type { ServiceDeps } from '../src/shared/deps.js';
import { openSqliteDeps } from './sqlite-deps.js';
import { generatedStore, seeded, type CaseSample } from './case-indexes.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const REPORTS = Number(arg('--reports') ?? 1000);
const GREETINGS = ['早安！', '大家好，', '轉傳：', '分享給大家～\n'];
const SIGN_OFFS = ['\n請大家幫忙分享', '！！', '\n感恩', ''];

/** A repost of `text`: greeting, ASCII commas, sign-off. */
function repost(text: string, random: () => number): string {
  const greeting = GREETINGS[Math.floor(random() * GREETINGS.length)] ?? '';
  const signOff = SIGN_OFFS[Math.floor(random() * SIGN_OFFS.length)] ?? '';
  return `${greeting}${text.replace(/，/g, ', ')}${signOff}`;
}

async function withDeps<T>(file: string, run: (deps: ServiceDeps) => Promise<T>): Promise<T> {
  const { deps, destroy } = await openSqliteDeps(file);
  try {
    return await run(deps);
  } finally {
    await destroy();
  }
}

/** Submits every repost; returns reports/s and how many joined their case. */
async function merge(
  deps: ServiceDeps,
  jobs: ReadonlyArray<{ caseId: string; text: string }>,
): Promise<{ perSecond: number; joined: number; newCases: number }> {
  let joined = 0;
  let newCases = 0;
  const t0 = performance.now();
  for (const job of jobs) {
    const result = await submitReport(deps, { text: job.text, channel: 'api', source: 'citizen' });
    if (result.case.id === job.caseId) joined += 1;
    if (result.newCase) newCases += 1;
  }
  return { perSecond: jobs.length / ((performance.now() - t0) / 1000), joined, newCases };
}

async function main(): Promise<void> {
  const keep = arg('--db');
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-bench-dedup-scale-'));
  const file = keep ?? path.join(dir, 'bench.db');
  try {
    const { cases, samples } = await generatedStore(file);
    const random = seeded(1129);
    const chosen: CaseSample[] = [];
    for (let i = 0; i < REPORTS; i += 1) {
      const s = samples[Math.floor(random() * samples.length)];
      if (s !== undefined) chosen.push(s);
    }
    const reposts = chosen.map((s) => ({ original: s.text, text: repost(s.text, random) }));

    // Baseline: a store holding only the cases the reposts join (created through intake).
    const small = await withDeps(path.join(dir, 'small.db'), async (deps) => {
      const ids = new Map<string, string>();
      for (const { original } of reposts) {
        if (ids.has(original)) continue;
        const created = await submitReport(deps, {
          text: original,
          channel: 'api',
          source: 'citizen',
        });
        ids.set(original, created.case.id);
      }
      const result = await merge(
        deps,
        reposts.map((r) => ({ caseId: ids.get(r.original) ?? '', text: r.text })),
      );
      return { ...result, cases: ids.size };
    });
    const large = await withDeps(file, (deps) =>
      merge(
        deps,
        reposts.map((r, i) => ({ caseId: chosen[i]?.caseId ?? '', text: r.text })),
      ),
    );
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    process.stdout.write(
      `${REPORTS} near-duplicate reposts through submitReport (one transaction each), SQLite, Node ${process.version}\n` +
        `  baseline, ${small.cases} cases stored : ${fmt(small.perSecond)} reports/s, ${small.joined}/${REPORTS} joined their case, ${small.newCases} new cases\n` +
        `  ${cases.toLocaleString('en-US')} cases stored : ${fmt(large.perSecond)} reports/s, ${large.joined}/${REPORTS} joined their case, ${large.newCases} new cases\n` +
        `  ratio large / baseline: ${(large.perSecond / small.perSecond).toFixed(2)}×\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
