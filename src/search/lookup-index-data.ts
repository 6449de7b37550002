// Types only: this module is what the lookup index's worker thread loads (lookup-index.worker.ts),
// and a value import of a capability's index would load that whole capability there.
import type { HeldIndicatorRow, HolderFilter } from '../cases/index.js';
import type { NearDuplicateCandidate } from '../triage/index.js';
import { KeyedCaseIds } from './keyed-case-ids.js';
import type { StoredCaseFacts } from './lookup-index.repo.js';
import type { SeverityRow } from './lookup.repo.js';

/** A stored near-duplicate text of a case, with its current LSH band keys. */
interface HeldText {
  id: string;
  /** The case holding it (one text, one case: dedup_texts' key is the text ID). */
  caseId: string;
  text: string;
  bands: string[];
}

/**
 * What the index keeps of one case, flat and with few objects (at 10 M indicators every object
 * and string per case is paid millions of times, in heap and in garbage-collection time):
 * its SeverityRow fields, its holdings as a flat list, its report URLs raw (their reported sites
 * are derived when a check asks for them), and its merge keys.
 */
interface CaseFacts {
  /** SeverityRow fields (status and verdict interned). */
  id: string;
  status: string;
  verdict: string;
  reportCount: number;
  firstReportedAt: string;
  /** Public indicator links, three entries each: type (interned), key, expression. The key is
   * the exact map's `type\0value` for contacts and the value for `url`/`domain`; the
   * expression is null for contacts. */
  holdings: Array<string | null>;
  /** Distinct report URLs with their platform, two entries each (null when it has none). */
  reportUrls: Array<string | null> | null;
  /** Merge keys (one key held as the string itself). */
  keys: string | string[] | null;
  /** Near-duplicate texts (null when none) and the case's creation time, their order. */
  texts: HeldText[] | null;
  createdAt: string | null;
}

/** Strings of small vocabularies (statuses, verdicts, types, platforms) held once, not per row. */
const interned = new Map<string, string>();
function intern(value: string): string {
  const held = interned.get(value);
  if (held !== undefined) return held;
  // A vocabulary is small; anything else would only grow the table.
  if (interned.size < 1000) interned.set(value, value);
  return value;
}

const NO_KEYS: readonly string[] = [];
function keysOf(entry: CaseFacts): readonly string[] {
  if (entry.keys === null) return NO_KEYS;
  return typeof entry.keys === 'string' ? [entry.keys] : entry.keys;
}

/** The types found by lookup expression rather than exactly (matches.service.ts probeExpressions). */
const SITE_TYPES: ReadonlySet<string> = new Set(['url', 'domain']);

/** The order matches.repo.ts `holders` sorts by: most serious verdict first. */
const SQL_VERDICT_RANK: Readonly<Record<string, number>> = { fraud: 0, high_risk: 1, undecided: 2 };

/**
 * Compares strings by Unicode code point, as SQLite's BINARY collation and PostgreSQL's "C"
 * collation compare UTF-8 bytes (JavaScript's `<` compares UTF-16 units, which differ for
 * characters above U+FFFF against U+E000–U+FFFF).
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const surrogateX = x >= 0xd800 && x <= 0xdfff;
    const surrogateY = y >= 0xd800 && y <= 0xdfff;
    if (surrogateX !== surrogateY && Math.min(x, y) >= 0xd800) return surrogateX ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

type RankedRow = HeldIndicatorRow & { reportCount: number };

function compareHolderRows(a: RankedRow, b: RankedRow): number {
  return (
    (SQL_VERDICT_RANK[a.verdict] ?? 3) - (SQL_VERDICT_RANK[b.verdict] ?? 3) ||
    b.reportCount - a.reportCount ||
    compareCodePoints(a.caseId, b.caseId) ||
    compareCodePoints(a.type, b.type) ||
    compareCodePoints(a.value, b.value)
  );
}

/** The `limit` first rows in matches.repo.ts holders' order, without the ranking field. */
function firstRows(rows: RankedRow[], limit: number): HeldIndicatorRow[] {
  rows.sort(compareHolderRows);
  return rows.slice(0, limit).map(({ caseId, type, value, verdict }) => ({
    caseId,
    type,
    value,
    verdict,
  }));
}

function exactKey(type: string, value: string): string {
  return `${type}\u0000${value}`;
}

/**
 * What a LookupIndexData holds: cases, indicator links, keys in the three lookup maps, and
 * near-duplicate texts and the distinct band keys they hold.
 */
export interface LookupIndexCounts {
  cases: number;
  holdings: number;
  lookupKeys: number;
  texts: number;
  bandKeys: number;
}

/**
 * The lookup index's contents: every case's ranking facts, public indicator links, reported
 * sites and merge keys, and three maps from a lookup key to the cases holding it (exact
 * contacts by `type\0value`, links by Safe Browsing lookup expression, messages by merge key).
 * Synchronous and single-threaded: `replace` swaps a case's facts at once, so a check never
 * sees half a change. Answers the questions of matches.repo.ts and lookup.repo.ts with the
 * same rows in the same order as their SQL for the same store contents.
 */
export class LookupIndexData {
  readonly #cases = new Map<string, CaseFacts>();
  readonly #exact = new KeyedCaseIds();
  readonly #expressions = new KeyedCaseIds();
  readonly #keys = new KeyedCaseIds();
  /** LSH band key → IDs of the texts holding it (the map holds text IDs here, not case IDs). */
  readonly #bands = new KeyedCaseIds();
  /** Text ID → the text, as its case holds it. */
  readonly #texts = new Map<string, HeldText>();
  #holdings = 0;

  /**
   * Counts for memory figures: cases, indicator links, keys in the three lookup maps, and
   * near-duplicate texts and the distinct band keys they hold.
   */
  get counts(): LookupIndexCounts {
    return {
      cases: this.#cases.size,
      holdings: this.#holdings,
      lookupKeys: this.#exact.size + this.#expressions.size + this.#keys.size,
      texts: this.#texts.size,
      bandKeys: this.#bands.size,
    };
  }

  /**
   * Replaces what the index holds of `caseIds` with `facts` (loadCaseFacts of those IDs, read
   * after the change); an ID without a case row is removed. Returns the counts after it.
   */
  replace(caseIds: readonly string[], facts: StoredCaseFacts): LookupIndexCounts {
    for (const id of caseIds) this.#remove(id);
    const byCase = new Map<string, CaseFacts>();
    for (const row of facts.cases) {
      byCase.set(row.id, {
        id: row.id,
        status: intern(row.status),
        verdict: intern(row.verdict),
        reportCount: row.reportCount,
        firstReportedAt: row.firstReportedAt,
        holdings: [],
        reportUrls: null,
        keys: null,
        texts: null,
        createdAt: null,
      });
    }
    for (const h of facts.holdings) {
      const entry = byCase.get(h.caseId);
      if (entry === undefined) continue;
      const type = intern(h.type);
      const site = SITE_TYPES.has(type);
      entry.holdings.push(type, site ? h.value : exactKey(type, h.value), h.expression);
    }
    for (const r of facts.reportUrls) {
      const entry = byCase.get(r.caseId);
      if (entry === undefined) continue;
      entry.reportUrls ??= [];
      // A reported URL is usually the case's `url` indicator too: hold that string once.
      const url = entry.holdings.find((h) => h === r.url) ?? r.url;
      entry.reportUrls.push(url, r.platform === null ? null : intern(r.platform));
    }
    for (const k of facts.keys) {
      const entry = byCase.get(k.caseId);
      if (entry === undefined) continue;
      if (entry.keys === null) entry.keys = k.key;
      else if (typeof entry.keys === 'string') entry.keys = [entry.keys, k.key];
      else entry.keys.push(k.key);
    }
    const texts = new Map<string, HeldText>();
    const created = new Map(facts.cases.map((c) => [c.id, c.createdAt]));
    for (const t of facts.texts) {
      const entry = byCase.get(t.caseId);
      if (entry === undefined) continue;
      const held = { id: t.id, caseId: t.caseId, text: t.text, bands: [] };
      entry.texts ??= [];
      entry.texts.push(held);
      entry.createdAt = created.get(t.caseId) ?? null;
      texts.set(t.id, held);
    }
    for (const b of facts.bands) texts.get(b.textId)?.bands.push(b.key);
    for (const [id, entry] of byCase) this.#add(id, entry);
    return this.counts;
  }

  #add(caseId: string, entry: CaseFacts): void {
    this.#cases.set(caseId, entry);
    this.#holdings += entry.holdings.length / 3;
    this.#index(caseId, entry, true);
  }

  #remove(caseId: string): void {
    const entry = this.#cases.get(caseId);
    if (entry === undefined) return;
    this.#cases.delete(caseId);
    this.#holdings -= entry.holdings.length / 3;
    this.#index(caseId, entry, false);
  }

  /** Adds (or removes) what `entry` holds to (from) the maps. */
  #index(caseId: string, entry: CaseFacts, add: boolean): void {
    const { holdings } = entry;
    for (let i = 0; i < holdings.length; i += 3) {
      const type = holdings[i] ?? '';
      const key = holdings[i + 1] ?? '';
      const expression = holdings[i + 2] ?? null;
      if (expression !== null) {
        if (add) this.#expressions.add(expression, caseId);
        else this.#expressions.delete(expression, caseId);
      }
      if (!SITE_TYPES.has(type)) {
        if (add) this.#exact.add(key, caseId);
        else this.#exact.delete(key, caseId);
      }
    }
    for (const key of keysOf(entry)) {
      if (add) this.#keys.add(key, caseId);
      else this.#keys.delete(key, caseId);
    }
    for (const t of entry.texts ?? []) {
      if (add) {
        this.#texts.set(t.id, t);
        for (const band of t.bands) this.#bands.add(band, t.id);
        continue;
      }
      // A text moved to a case reloaded before this one is that case's now.
      if (this.#texts.get(t.id)?.caseId !== caseId) continue;
      this.#texts.delete(t.id);
      for (const band of t.bands) this.#bands.delete(band, t.id);
    }
  }

  /** A case the holder queries may return: it has reports and is not the excluded one. */
  #live(caseId: string, filter: HolderFilter): CaseFacts | undefined {
    const entry = this.#cases.get(caseId);
    if (entry === undefined || entry.reportCount <= 0) return undefined;
    return caseId === filter.excludeCaseId ? undefined : entry;
  }

  /**
   * matches.repo.ts exactHolders for contact types (`url` and `domain` are found by expression
   * only, and matchIndicators never asks for them exactly).
   */
  exactHolders(
    indicators: ReadonlyArray<{ type: string; value: string }>,
    filter: HolderFilter,
  ): HeldIndicatorRow[] {
    const rows: RankedRow[] = [];
    const asked = new Set(indicators.map((i) => exactKey(i.type, i.value)));
    for (const key of asked) {
      const [type = '', value = ''] = key.split('\u0000');
      for (const caseId of this.#exact.get(key)) {
        const entry = this.#live(caseId, filter);
        if (entry === undefined) continue;
        const { verdict, reportCount } = entry;
        rows.push({ caseId, type, value, verdict, reportCount });
      }
    }
    return firstRows(rows, filter.limit);
  }

  /** matches.repo.ts siteHolders: `url`/`domain` holders by lookup expression. */
  siteHolders(
    expressions: readonly string[],
    reportedUrl: boolean,
    filter: HolderFilter,
  ): HeldIndicatorRow[] {
    const rows: RankedRow[] = [];
    for (const expression of new Set(expressions)) {
      for (const caseId of this.#expressions.get(expression)) {
        const entry = this.#live(caseId, filter);
        if (entry === undefined || (entry.reportUrls !== null) !== reportedUrl) continue;
        const { verdict, reportCount, holdings } = entry;
        for (let i = 0; i < holdings.length; i += 3) {
          if (holdings[i + 2] !== expression) continue;
          const type = holdings[i] ?? '';
          const value = holdings[i + 1] ?? '';
          rows.push({ caseId, type, value, verdict, reportCount });
        }
      }
    }
    return firstRows(rows, filter.limit);
  }

  /**
   * The distinct report URLs of `caseIds` with their platforms (reportedUrlsOf's rows; the caller
   * derives the reported sites with reportedSitesFrom). Cases without one have no row.
   */
  reportUrlsOf(
    caseIds: readonly string[],
  ): Array<{ caseId: string; url: string; platform: string | null }> {
    const rows: Array<{ caseId: string; url: string; platform: string | null }> = [];
    for (const caseId of new Set(caseIds)) {
      const urls = this.#cases.get(caseId)?.reportUrls;
      if (urls == null) continue;
      for (let i = 0; i < urls.length; i += 2) {
        rows.push({ caseId, url: urls[i] ?? '', platform: urls[i + 1] ?? null });
      }
    }
    return rows;
  }

  /** lookup.repo.ts caseIdsByKeys: cases holding any of the merge `keys`. */
  caseIdsByKeys(keys: readonly string[]): string[] {
    const ids = new Set<string>();
    for (const key of keys) for (const id of this.#keys.get(key)) ids.add(id);
    return [...ids];
  }

  /**
   * lookup.repo.ts severityOf, in ID order, and the IDs the index does not hold (a case another
   * node made that this one has not read yet: the caller reads those from the store).
   */
  severityOf(caseIds: readonly string[]): { rows: SeverityRow[]; unknown: string[] } {
    const rows: SeverityRow[] = [];
    const unknown: string[] = [];
    for (const id of new Set(caseIds)) {
      const entry = this.#cases.get(id);
      if (entry === undefined) unknown.push(id);
      else {
        const { status, verdict, reportCount, firstReportedAt } = entry;
        rows.push({ id: entry.id, status, verdict, reportCount, firstReportedAt });
      }
    }
    rows.sort((a, b) => compareCodePoints(a.id, b.id));
    return { rows, unknown };
  }

  /**
   * triage's findNearDuplicateCandidates: the stored texts sharing at least one of `bandKeys`,
   * the `limit` (triage's NEAR_DUPLICATE_CANDIDATE_LIMIT) sharing the most (then by text ID),
   * most shared first, each with its case's creation time as order.
   */
  nearDuplicateCandidates(bandKeys: readonly string[], limit: number): NearDuplicateCandidate[] {
    const shared = new Map<string, number>();
    for (const band of new Set(bandKeys)) {
      for (const id of this.#bands.get(band)) shared.set(id, (shared.get(id) ?? 0) + 1);
    }
    const ranked = [...shared].sort(([a, x], [b, y]) => y - x || compareCodePoints(a, b));
    const out: NearDuplicateCandidate[] = [];
    for (const [id] of ranked.slice(0, limit)) {
      const held = this.#texts.get(id);
      const order = held === undefined ? undefined : this.#cases.get(held.caseId)?.createdAt;
      if (held === undefined || order === undefined || order === null) continue;
      out.push({ caseId: held.caseId, text: held.text, order });
    }
    return out;
  }
}
