/**
 * Shared by bench/search and bench/dedup-scale: turns the 1,000,000 cases bench/stats generates
 * (`populate`) into cases as intake would have stored them — distinct texts, each case's
 * near-duplicate text and LSH bands, its merge keys and its search terms — derived as intake's
 * `prepareReport` does (checked against it on the first 200 cases), and bulk-loaded with better-sqlite3 (rows go to unindexed staging tables,
 * then into the real tables in key order, which is much faster than 60M random B-tree inserts).
 *
 * Text of a case: its bench/stats scam message, then 12 two-character words drawn from the 600
 * most frequent CJK characters of the Cofacts messages (data/demo/cofacts-dev.csv, CC BY-SA 4.0),
 * a LINE ID and a mobile number, all seeded. Cases sharing a scam message stay clearly different
 * (Jaccard of 3-shingles ≈ 0.2, under the 0.6 merge threshold), as cases of a real store are:
 * intake would have merged near-duplicates. Every report of a case gets the case's text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { DEMO_DATA_DIR } from '../src/bootstrap.js';
import { loadConfig } from '../src/config/index.js';
import { prepareReport, type PreparedReport } from '../src/intake/index.js';
import { documentTerms } from '../src/shared/search-terms.js';
import {
  nearDuplicateSignature,
  nearDuplicateTextId,
  normaliseText,
  textFingerprint,
} from '../src/triage/index.js';
import { createStore, migrateToLatest } from '../src/store/index.js';
import { CASES, populate } from './stats.js';
import { seededRandom } from '../test/seeded-random.js';

/** A seeded PRNG (test/seeded-random.ts): the same tails on every run. */
export const seeded = seededRandom;

/** The 600 most frequent CJK characters of the Cofacts messages. */
function characterPool(): string[] {
  const rows: unknown = parse(readFileSync(path.join(DEMO_DATA_DIR, 'cofacts-dev.csv')), {
    columns: true,
  });
  const counts = new Map<string, number>();
  for (const row of Array.isArray(rows) ? rows : []) {
    const text: unknown = typeof row === 'object' && row !== null ? Reflect.get(row, 'text') : '';
    for (const ch of typeof text === 'string' ? text : '') {
      if (/\p{Script=Han}/u.test(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 600)
    .map(([ch]) => ch);
}

/** The varying part of a generated case's text, and the tokens a search can look for. */
export interface CaseTail {
  text: string;
  lineId: string;
  phone: string;
  words: string[];
}

/** A seeded maker of case tails (the same sequence on every run for the same seed). */
export function tailMaker(seed: number): () => CaseTail {
  const pool = characterPool();
  const random = seeded(seed);
  const pick = (): string => pool[Math.floor(random() * pool.length)] ?? '的';
  const alnum = 'abcdefghijkmnpqrstuvwxyz23456789';
  return () => {
    const words: string[] = [];
    for (let w = 0; w < 12; w += 1) words.push(`${pick()}${pick()}`);
    let lineId = '';
    for (let c = 0; c < 8; c += 1) lineId += alnum[Math.floor(random() * alnum.length)] ?? 'a';
    const phone = `09${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
    const text = `${words.slice(0, 6).join('')}，${words.slice(6).join('')}。加LINE: ${lineId} 電話 ${phone}`;
    return { text, lineId, phone, words };
  };
}

/**
 * What `prepareReport` derives from a generated text, without its indicator extraction (the
 * costly part: the tail's LINE ID and number are known): the text fingerprint key, the
 * near-duplicate signature and the search terms. Generated texts have no links.
 */
function derive(
  text: string,
  tail: CaseTail,
): Pick<PreparedReport, 'keys' | 'nearDuplicate' | 'searchTerms'> {
  const fingerprint = textFingerprint(text, []);
  const normalised = normaliseText(text, []);
  const indicators = [
    { type: 'line_id', value: tail.lineId },
    { type: 'phone', value: `+886${tail.phone.slice(1)}` },
  ];
  return {
    keys: fingerprint === null ? [] : [fingerprint],
    nearDuplicate: nearDuplicateSignature(normalised, Array.from(normalised).length),
    searchTerms: documentTerms(text, indicators),
  };
}

/** What indexGeneratedCases wrote. */
export interface IndexedCounts {
  cases: number;
  texts: number;
  bands: number;
  postings: number;
  keys: number;
}

/**
 * Rewrites every generated case's report texts (`<message><tail>`) and writes its near-duplicate
 * text, bands, merge keys and search terms, in one transaction; returns the row counts.
 */
export function indexGeneratedCases(file: string): IndexedCounts {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -2097152');
  db.pragma('temp_store = MEMORY');
  const nextTail = tailMaker(20261129);
  const counts: IndexedCounts = { cases: 0, texts: 0, bands: 0, postings: 0, keys: 0 };
  db.exec(`create temp table stage_postings (term text not null, case_id text not null);
    create temp table stage_bands (band_key text not null, text_id text not null, case_id text not null);`);
  const cases = db
    .prepare(
      'select c.id, c.created_at as createdAt, (select r.text from reports r where r.case_id = c.id limit 1) as text from cases c order by c.created_at, c.id',
    )
    .all() as Array<{ id: string; createdAt: string; text: string | null }>;
  const updateReports = db.prepare('update reports set text = ? where case_id = ?');
  const updateCase = db.prepare('update cases set summary = ? where id = ?');
  const insertText = db.prepare(
    'insert or ignore into dedup_texts (id, case_id, text, created_at) values (?, ?, ?, ?)',
  );
  const insertBand = db.prepare(
    'insert into stage_bands (band_key, text_id, case_id) values (?, ?, ?)',
  );
  const insertPosting = db.prepare('insert into stage_postings (term, case_id) values (?, ?)');
  const insertKey = db.prepare(
    'insert or ignore into case_keys (key, case_id, created_at) values (?, ?, ?)',
  );
  const config = { defaultRegion: 'TW' as const };
  db.transaction(() => {
    cases.forEach((c, index) => {
      const tail = nextTail();
      const text = `${c.text ?? ''}${tail.text}`;
      updateReports.run(text, c.id);
      updateCase.run(text.slice(0, 200), c.id);
      const prepared = derive(text, tail);
      if (index < 200) {
        // The fast derivation must be exactly intake's (checked on the first cases).
        const real = prepareReport({ text, channel: 'import', source: 'bench' }, config);
        const same =
          JSON.stringify([real.keys, real.nearDuplicate, [...real.searchTerms].sort()]) ===
          JSON.stringify([prepared.keys, prepared.nearDuplicate, [...prepared.searchTerms].sort()]);
        if (!same) throw new Error(`bench derivation differs from prepareReport for case ${c.id}`);
      }
      counts.cases += 1;
      for (const key of prepared.keys) counts.keys += insertKey.run(key, c.id, c.createdAt).changes;
      const near = prepared.nearDuplicate;
      if (near !== null) {
        const id = nearDuplicateTextId(near.text);
        if (insertText.run(id, c.id, near.text, c.createdAt).changes > 0) {
          counts.texts += 1;
          for (const key of near.bandKeys) insertBand.run(key, id, c.id);
        }
      }
      for (const term of prepared.searchTerms) insertPosting.run(term, c.id);
    });
    counts.bands = Number(
      db
        .prepare(
          'insert or ignore into dedup_bands (band_key, text_id, case_id) select band_key, text_id, case_id from stage_bands order by band_key, text_id',
        )
        .run().changes,
    );
    counts.postings = Number(
      db
        .prepare(
          'insert or ignore into search_postings (term, case_id) select term, case_id from stage_postings order by term, case_id',
        )
        .run().changes,
    );
  })();
  db.exec('drop table stage_postings; drop table stage_bands; analyze');
  db.close();
  return counts;
}

/** One generated case kept as a sample for queries and near-duplicate reports. */
export interface CaseSample {
  caseId: string;
  text: string;
  tail: CaseTail;
}

/** Every SAMPLE_EVERY-th generated case is kept as a sample. */
const SAMPLE_EVERY = 997;

/**
 * The generated store at `file`: built (populate + indexGeneratedCases, CASES cases) when the
 * file does not exist, else reused as it is (its generated cases are those of source `bench`).
 * Returns the number of generated cases and every 997th of them as a sample.
 */
export async function generatedStore(
  file: string,
): Promise<{ cases: number; samples: CaseSample[] }> {
  const config = loadConfig({ DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent' });
  if (!existsSync(file)) {
    const store = createStore(config.store);
    await migrateToLatest(store.db);
    await store.destroy();
    const t0 = performance.now();
    const { reports } = populate(file);
    const t1 = performance.now();
    const counts = indexGeneratedCases(file);
    const t2 = performance.now();
    process.stdout.write(
      `generated: ${CASES.toLocaleString('en-US')} cases, ${reports.toLocaleString('en-US')} reports (${((t1 - t0) / 1000).toFixed(0)} s); ` +
        `${counts.postings.toLocaleString('en-US')} search postings, ${counts.texts.toLocaleString('en-US')} near-duplicate texts, ` +
        `${counts.bands.toLocaleString('en-US')} bands, ${counts.keys.toLocaleString('en-US')} merge keys (${((t2 - t1) / 1000).toFixed(0)} s)\n`,
    );
  }
  const store = createStore(config.store);
  await migrateToLatest(store.db);
  const ids = await sql<{
    id: string;
  }>`select id from cases where source = 'bench' order by created_at, id`.execute(store.db);
  const nextTail = tailMaker(20261129);
  const samples: CaseSample[] = [];
  ids.rows.forEach((row, index) => {
    const tail = nextTail();
    if (index % SAMPLE_EVERY === 0) samples.push({ caseId: row.id, text: '', tail });
  });
  for (const sample of samples) {
    const found = await sql<{
      text: string | null;
    }>`select text from reports where case_id = ${sample.caseId} order by received_at, id limit 1`.execute(
      store.db,
    );
    sample.text = found.rows[0]?.text ?? '';
  }
  await store.destroy();
  process.stdout.write(
    `store: ${ids.rows.length.toLocaleString('en-US')} generated cases in ${file}\n`,
  );
  return { cases: ids.rows.length, samples };
}
