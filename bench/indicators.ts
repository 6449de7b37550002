// Benchmark of the indicator engine on real data (issue 3): URLs canonicalised per second and
// messages extracted per second, each beside the ceiling of plain `new URL(x).href` over the same
// inputs in the same run, with the ratio. Run: node --import tsx bench/indicators.ts
// Inputs are read from ../shared/data (Cofacts texts, 165 URLs, the scam domain list); they are
// strings only, never fetched.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { canonicalUrl, extractIndicators } from '../src/indicators/index.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data');
const MIN_MS = 1500;

function readCsv(file: string): string[][] {
  const rows: unknown = parse(readFileSync(path.join(DATA, file), 'utf8'), {
    bom: true,
    relax_column_count: true,
  });
  if (!Array.isArray(rows)) return [];
  return rows.map((row: unknown) =>
    Array.isArray(row) ? row.map((cell: unknown) => String(cell)) : [],
  );
}

function loadInputs(): { urls: string[]; messages: string[] } {
  if (!existsSync(DATA)) throw new Error(`real data not found at ${DATA}`);
  const messages = readCsv('cofacts/dev.csv')
    .slice(1)
    .map((row) => row[2] ?? '');
  const investment = readCsv('tw165/fake_investment_sites.csv')
    .slice(2)
    .map((row) => row[1] ?? '');
  const shops = readCsv('tw165/phishing_shop_sites_dns_suspended.csv')
    .slice(1)
    .map((row) => row[2] ?? '');
  const domains = readFileSync(path.join(DATA, 'domains/blocklistproject-scam.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const urlsInMessages = messages.flatMap((text) => text.match(/https?:\/\/[^\s，。」】]+/g) ?? []);
  const urls = [...investment, ...shops, ...domains, ...urlsInMessages].filter((u) => u !== '');
  return { urls, messages };
}

/** Runs `pass` over all inputs repeatedly for at least MIN_MS; returns inputs per second. */
function rate(count: number, pass: () => number): { perSecond: number; checksum: number } {
  pass(); // warm-up
  let checksum = 0;
  let done = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MIN_MS) {
    checksum += pass();
    done += count;
    elapsed = performance.now() - start;
  }
  return { perSecond: (done / elapsed) * 1000, checksum };
}

/** The WHATWG ceiling: `new URL(x).href`, with `http://` for scheme-less inputs as browsers do. */
function plainHref(input: string): number {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `http://${input}`).href.length;
  } catch {
    return 0;
  }
}

function format(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('en-US').padStart(12);
}

const { urls, messages } = loadInputs();
const messageUrls = messages.flatMap((text) => text.match(/https?:\/\/[^\s，。」】]+/g) ?? []);

const canonical = rate(urls.length, () => {
  let n = 0;
  for (const url of urls) n += canonicalUrl(url)?.length ?? 0;
  return n;
});
const urlCeiling = rate(urls.length, () => {
  let n = 0;
  for (const url of urls) n += plainHref(url);
  return n;
});
const extract = rate(messages.length, () => {
  let n = 0;
  for (const text of messages) n += extractIndicators(text).length;
  return n;
});
// Ceiling for a message: parsing the URLs it contains with `new URL(x).href`.
const extractCeiling = rate(messages.length, () => {
  let n = 0;
  for (const url of messageUrls) n += plainHref(url);
  return n;
});

console.log(
  `inputs: ${urls.length} URLs/domains (165 lists, scam domains, URLs in Cofacts), ${messages.length} Cofacts messages`,
);
console.log(
  `canonicalUrl        ${format(canonical.perSecond)} URLs/s     new URL(x).href ${format(urlCeiling.perSecond)} URLs/s     ratio ${(canonical.perSecond / urlCeiling.perSecond).toFixed(2)}`,
);
console.log(
  `extractIndicators   ${format(extract.perSecond)} msgs/s     new URL(x).href ${format(extractCeiling.perSecond)} msgs/s     ratio ${(extract.perSecond / extractCeiling.perSecond).toFixed(2)}`,
);
