// Hostile report and lookup texts (issue 19): for each input, the longest time the event loop is
// blocked while intake (`submitReport`, SQLite store with the seeded entity registry, so triage's
// entity matcher runs) and `lookupText` handle it, beside the same figure for plain text of the
// same length measured in the same run, with the ratio. The worst figure is the bound stated in
// REPORT_LIMITS' docs. Each figure is the best of --rounds runs (default 3), as other processes
// only add delay. Run: node --import tsx bench/hostile-input.ts [--rounds 3] [--pages-only]
//
// Inputs are the longest each kind may be: 20,000 typed characters, at most 20,000 after NFKC
// (U+FDFA ×18, U+3300 ×4, U+FB03 ×3: so 1,111 / 5,000 / 6,666 of them), or far longer after
// NFKC to time the refusal; lookups take 5,000. Expanding characters, long blank runs after
// `line` (the LINE ID pattern back-tracked cubically on them), thousands of distinct links,
// phone numbers and e-mail addresses, defanged links, digit runs, dotted runs. Last, the parsing
// of hostile captured pages (title, soft-404 check) beside a plain page of the same size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/index.js';
import '../src/http/index.js';
import { classifyCapture, type CaptureResult } from '../src/evidence/index.js';
import { extractTitle } from '../src/evidence/capture.js';
import { REPORT_LIMITS, submitReport } from '../src/intake/index.js';
import { lookupText, LOOKUP_QUERY_CHARS } from '../src/search/index.js';
import { systemClock } from '../src/shared/clock.js';
import type { ServiceDeps } from '../src/shared/deps.js';
import { createLogger } from '../src/shared/logger.js';
import { createStore, migrateToLatest } from '../src/store/index.js';

const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 3;

function fill(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

function numbered(length: number, make: (i: number) => string): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += make(i);
  return out.slice(0, length);
}

/** Plain text (words and spaces, a few Chinese phrases): the baseline. */
const PLAIN = (length: number): string =>
  fill('the quick brown fox jumps over the lazy dog 今天天氣晴朗 ', length);

function inputs(length: number): Record<string, string> {
  return {
    'fdfa (fits)': fill('\ufdfa', Math.floor(length / 18)),
    'u3300 (fits)': fill('\u3300', Math.floor(length / 4)),
    'fb03 (fits)': fill('\ufb03', Math.floor(length / 3)),
    'mixed (fits)': fill('\ufdfa\u3300\ufb03 ', Math.floor(length / 6.5)),
    'fdfa (refused)': fill('\ufdfa', length),
    'mixed (refused)': fill('\ufdfa\u3300\ufb03 ', length),
    'line + blanks': `line${' '.repeat(length - 5)}!`,
    'line ids': numbered(length, (i) => `line: u${i} `),
    'distinct links': numbered(length, (i) => `x${i}.tw/a `),
    'scheme links': numbered(length, (i) => `https://a.com/${i} `),
    'distinct phones': numbered(length, (i) => `09${String(10_000_000 + i).slice(-8)} `),
    'distinct emails': numbered(length, (i) => `u${i}@x.com `),
    defanged: numbered(length, (i) => `hxxp[:]//a${i}[.]com `),
    'digit run': fill('1', length),
    'digits spaced': fill('1 ', length),
    'digit groups': numbered(length, (i) => `${(i * 7919) % 100} `),
    'idd phones': numbered(length, (i) => `009-886-9${String(10_000_000 + i).slice(-8)} `),
    'ip addresses': numbered(length, (i) => `203.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} `),
    'glued links': numbered(length, (i) => `https://t.cn/${i}`),
    'tag characters': fill('\u{E0041}投', length),
    'dotted run': fill('a.', length),
    'bank keywords': fill('銀行 帳號 ', length),
  };
}

interface Figure {
  /** Longest event-loop block, ms. */
  blockMs: number;
  /** Wall time of the whole call, ms. */
  wallMs: number;
  outcome: string;
}

/** Runs `work` once while sampling the event-loop delay. */
async function measure(work: () => Promise<string>): Promise<Figure> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  // The histogram's timer must be running before the work starts, or a first block is missed.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const started = performance.now();
  let outcome: string;
  try {
    outcome = await work();
  } catch (error) {
    outcome =
      typeof error === 'object' && error !== null && 'code' in error
        ? String(error.code)
        : String(error);
  }
  // One more turn so the histogram sees the last block.
  await new Promise((resolve) => setTimeout(resolve, 5));
  histogram.disable();
  return { blockMs: histogram.max / 1e6, wallMs: performance.now() - started, outcome };
}

/** A fresh migrated SQLite store (its migration seeds the entity registry and routing rules). */
async function withStore<T>(run: (deps: ServiceDeps) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-hostile-'));
  const config = loadConfig(
    {
      DATABASE_URL: `sqlite:${path.join(dir, 'bench.db')}`,
      LOG_LEVEL: 'silent',
      EVIDENCE_DIR: path.join(dir, 'evidence'),
    },
    dir,
  );
  const store = createStore(config.store);
  await migrateToLatest(store.db);
  try {
    return await run({
      db: store.db,
      dialect: 'sqlite',
      clock: systemClock,
      config,
      log: createLogger('silent'),
    });
  } finally {
    await store.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The best of ROUNDS runs (other processes only ever add delay) of: report `text` into an empty
 * store (a new case, triaged), then look it up (`q`: its first LOOKUP_QUERY_CHARS characters,
 * finding that case).
 */
async function run(text: string): Promise<{ report: Figure; lookup: Figure }> {
  let report: Figure = { blockMs: Infinity, wallMs: 0, outcome: '' };
  let lookup: Figure = { blockMs: Infinity, wallMs: 0, outcome: '' };
  for (let round = 0; round < ROUNDS; round++) {
    await withStore(async (deps) => {
      const r = await measure(async () => {
        const result = await submitReport(deps, { text, channel: 'api', source: 'citizen' });
        return result.newCase ? 'new case' : 'joined';
      });
      const l = await measure(async () => {
        const result = await lookupText(deps, text.slice(0, LOOKUP_QUERY_CHARS));
        return `${result.cases.length} found`;
      });
      if (r.blockMs < report.blockMs) report = r;
      if (l.blockMs < lookup.blockMs) lookup = l;
    });
  }
  return { report, lookup };
}

/** Best of ROUNDS timings of a synchronous step, ms. */
function timeSync(step: () => unknown): number {
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    step();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/**
 * Parsing of captured pages (attacker-written content, read by captures and the automatic
 * takedown re-checks): the title of a 1 MiB page and the soft-404 check of its first 256 KiB.
 */
function capturedPages(): void {
  const page = (body: string, url = 'https://sites.google.com/view/x'): CaptureResult => ({
    url,
    outcome: 'fetched',
    hops: [],
    finalUrl: url,
    status: 200,
    contentType: 'text/html',
    body: Buffer.from(body),
    bodySha256: null,
    bodyTruncated: false,
    title: null,
    error: null,
  });
  const plain = fill('<p>the quick brown fox jumps over the lazy dog</p>', 1_048_576);
  const base = timeSync(() => {
    extractTitle(Buffer.from(plain), 'text/html');
    classifyCapture(page(plain));
  });
  console.log(`\ncaptured pages, 1 MiB: plain ${base.toFixed(1)} ms`);
  for (const [name, body] of [
    ['unclosed <title', fill('<title', 1_048_576)],
    ['repeated <title>', fill('<title>', 1_048_576)],
    ['soft-404 phrase', fill('The requested URL ', 1_048_576)],
  ] as const) {
    const ms = timeSync(() => {
      extractTitle(Buffer.from(body), 'text/html');
      classifyCapture(page(body));
    });
    console.log(`${name.padEnd(18)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / base).toFixed(1)}x`);
  }
}

async function main(): Promise<void> {
  // Warm-up: the classifier model, the triage context, JIT.
  await run(PLAIN(2_000));
  const baseline = await run(PLAIN(REPORT_LIMITS.textChars));
  console.log(
    `baseline, plain text: report ${baseline.report.blockMs.toFixed(1)} ms longest block ` +
      `(${baseline.report.wallMs.toFixed(0)} ms in all), lookup ` +
      `${baseline.lookup.blockMs.toFixed(1)} ms`,
  );
  console.log(
    'input'.padEnd(18),
    'report block ms  ratio  outcome'.padEnd(44),
    'lookup block ms  ratio  outcome',
  );
  let worst = { name: '', blockMs: 0, ratio: 0 };
  for (const [name, text] of Object.entries(inputs(REPORT_LIMITS.textChars))) {
    const { report, lookup } = await run(text);
    const reportRatio = report.blockMs / baseline.report.blockMs;
    const lookupRatio = lookup.blockMs / baseline.lookup.blockMs;
    console.log(
      name.padEnd(18),
      `${report.blockMs.toFixed(1).padStart(15)} ${reportRatio.toFixed(1).padStart(6)}  ${report.outcome}`.padEnd(
        44,
      ),
      `${lookup.blockMs.toFixed(1).padStart(15)} ${lookupRatio.toFixed(1).padStart(6)}  ${lookup.outcome}`,
    );
    for (const [blockMs, ratio] of [
      [report.blockMs, reportRatio],
      [lookup.blockMs, lookupRatio],
    ] as const) {
      if (blockMs > worst.blockMs) worst = { name, blockMs, ratio };
    }
  }
  console.log(
    `\nlongest event-loop block for any input: ${worst.blockMs.toFixed(1)} ms (${worst.name}), ` +
      `${worst.ratio.toFixed(1)}x the plain-text baseline of the same length`,
  );
  capturedPages();
}

if (process.argv.includes('--pages-only')) capturedPages();
else await main();
