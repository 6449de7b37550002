/**
 * Near-duplicate detection of messages: MinHash signatures over character shingles, grouped
 * into LSH bands, with every candidate verified by the exact Jaccard similarity of the two
 * shingle sets. Pure; no I/O.
 *
 * Sources: A. Broder, "On the resemblance and containment of documents" (1997) for MinHash;
 * J. Leskovec, A. Rajaraman, J. Ullman, "Mining of Massive Datasets", ch. 3 (banding: with `b`
 * bands of `r` rows two texts of Jaccard similarity `s` become candidates with probability
 * `1 - (1 - s^r)^b`). The parameters below were chosen with `bench/dedup.ts` on the Cofacts
 * messages and their synthetic variants (see README, "Near-duplicate merging").
 *
 * Stored band keys depend on every constant here and on the link tokens: changing one requires
 * re-indexing (`scamnet reindex`; `NEAR_DUPLICATE_VERSION` is part of each band key so old and new
 * keys never mix). nd1 wrote each link as its whole match key; nd2 writes a 4-character token;
 * nd3 removes every Default_Ignorable_Code_Point and folds Greek/Cyrillic look-alike letters.
 */
import { normaliseText } from './fingerprint.js';

/** Version tag carried by every band key; bump it when any parameter or hash changes. */
export const NEAR_DUPLICATE_VERSION = 'nd3';

/** Parameters of the near-duplicate matcher. */
export interface NearDuplicateParams {
  /** Shingle length in Unicode code points. */
  shingle: number;
  /** LSH bands. */
  bands: number;
  /** MinHash rows (hash functions) per band; the signature has `bands × rows` values. */
  rows: number;
  /** Verified Jaccard similarity of shingle sets at or above which two texts are one case. */
  threshold: number;
  /**
   * Second acceptance rule for a text embedded in a little more text (a greeting and sign-off
   * around a short message): overlap coefficient |A ∩ B| / min(|A|, |B|) at or above
   * `containment` together with Jaccard at or above `containmentJaccard`. 1.01 disables it.
   */
  containment: number;
  /** The Jaccard floor of the containment rule. */
  containmentJaccard: number;
  /** Shortest content (code points, URLs not counted) for which near-duplicates are considered. */
  minChars: number;
}

/**
 * The parameters in use (chosen on data by `bench/dedup.ts`): 3-character shingles, 20 bands ×
 * 5 rows (candidate probability 0.5 at s ≈ 0.55, 0.99 at s ≈ 0.75), Jaccard ≥ 0.6, and at least
 * 12 characters of non-URL content (shorter messages, such as a bare link, merge only exactly).
 */
export const NEAR_DUPLICATE_PARAMS: Readonly<NearDuplicateParams> = Object.freeze({
  shingle: 3,
  bands: 20,
  rows: 5,
  threshold: 0.6,
  containment: 0.9,
  containmentJaccard: 0.4,
  minChars: 12,
});

/** A message prepared for near-duplicate matching. */
export interface NearDuplicateSignature {
  /** The normalised text the shingles are taken from (see `normaliseText`). */
  text: string;
  /** LSH band keys `nd3:<band>:<8 hex>`, one per band. */
  bandKeys: string[];
}

/** A link found in a message, as `nearDuplicateForm` needs it. */
export interface NearDuplicateLink {
  /** UTF-16 span of the link in the message. */
  start: number;
  end: number;
  /** The link's match key (or the raw link when it has none). */
  matchKey: string;
  /** Whether it is a known URL shortener's link. */
  shortener: boolean;
}

/**
 * The near-duplicate form of a message, the same at intake, lookup and `scamnet cluster`: the
 * text normalised (`normaliseText`) with each link written as its `nearDuplicateLinkToken`, and
 * the number of code points that are not links (what `minChars` is compared with).
 * @param links the message's links, non-overlapping, in any order.
 */
export function nearDuplicateForm(
  text: string,
  links: readonly NearDuplicateLink[],
): { text: string; contentChars: number } {
  const tokens = links.map((l) => ({
    start: l.start,
    end: l.end,
    value: nearDuplicateLinkToken(l.matchKey, l.shortener),
  }));
  const content = links.map((l) => ({ start: l.start, end: l.end, value: '' }));
  return {
    text: normaliseText(text, tokens),
    contentChars: Array.from(normaliseText(text, content)).length,
  };
}

/** 32-bit FNV-1a over the UTF-16 code units of `text`. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The token every short link (bit.ly, reurl.cc, …) becomes: its destination is unknown offline. */
export const SHORT_LINK_TOKEN = 'uzzz';

/**
 * The token a link becomes in the near-duplicate form of a message: `u` + 3 hex digits of the
 * FNV-1a hash of its match key, or `SHORT_LINK_TOKEN` for a short link. Four characters, so that
 * the words of a message decide its similarity and a link swapped for another (scammers rotate
 * short links between copies) changes only a few shingles; two different links still differ
 * (bench/dedup.ts: recall of short-link variants 0.46 with whole match keys, 0.94 with tokens).
 * Letters and digits only, so `normaliseText` keeps it whole.
 * @param matchKey the link's match key (indicators/match-key.ts), or the raw link when it has none.
 * @param shortener whether the link is a known URL shortener's.
 */
export function nearDuplicateLinkToken(matchKey: string, shortener: boolean): string {
  if (shortener) return SHORT_LINK_TOKEN;
  return `u${(fnv1a(matchKey) & 0xfff).toString(16).padStart(3, '0')}`;
}

/** MurmurHash3's 32-bit finaliser (fmix32): a bijective, well-mixing permutation of uint32. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const seedCache = new Map<number, Uint32Array>();

/** Per-permutation seeds: fmix32 of the permutation index + a fixed constant (deterministic). */
function seeds(count: number): Uint32Array {
  let cached = seedCache.get(count);
  if (cached === undefined) {
    cached = new Uint32Array(count);
    for (let i = 0; i < count; i++) cached[i] = fmix32(Math.imul(i + 1, 0x9e3779b9) >>> 0);
    seedCache.set(count, cached);
  }
  return cached;
}

/**
 * The set of character `k`-shingles of `text` (by code point); a text shorter than `k` is one
 * shingle; the empty text has none.
 */
export function shingles(text: string, k: number): Set<string> {
  const chars = Array.from(text);
  const out = new Set<string>();
  if (chars.length === 0) return out;
  if (chars.length <= k) {
    out.add(chars.join(''));
    return out;
  }
  for (let i = 0; i + k <= chars.length; i++) out.add(chars.slice(i, i + k).join(''));
  return out;
}

/** Size of the intersection of two sets. */
function intersectionSize(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const value of small) if (large.has(value)) common += 1;
  return common;
}

/**
 * Jaccard similarity |A ∩ B| / |A ∪ B| of two sets, in [0, 1]; 1 for two empty sets.
 */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const common = intersectionSize(a, b);
  return common / (a.size + b.size - common);
}

/**
 * Whether two shingle sets are near-duplicates under `params`: Jaccard ≥ `threshold`, or
 * overlap coefficient ≥ `containment` with Jaccard ≥ `containmentJaccard`. Returns the Jaccard
 * similarity when they are, else null.
 */
export function verifiedSimilarity(
  a: ReadonlySet<string>,
  b: ReadonlySet<string>,
  params: Readonly<NearDuplicateParams> = NEAR_DUPLICATE_PARAMS,
): number | null {
  if (a.size === 0 || b.size === 0) return null;
  const common = intersectionSize(a, b);
  const similarity = common / (a.size + b.size - common);
  if (similarity >= params.threshold) return similarity;
  const overlap = common / Math.min(a.size, b.size);
  if (overlap >= params.containment && similarity >= params.containmentJaccard) return similarity;
  return null;
}

/**
 * MinHash signature of a shingle set: for each of `count` permutations, the minimum of
 * fmix32(FNV-1a(shingle) XOR seed) over the shingles. The probability that two sets agree on one
 * value equals (up to hash collisions) their Jaccard similarity.
 */
export function minHash(shingleSet: ReadonlySet<string>, count: number): Uint32Array {
  const signature = new Uint32Array(count).fill(0xffffffff);
  const seed = seeds(count);
  for (const shingle of shingleSet) {
    const base = fnv1a(shingle);
    for (let i = 0; i < count; i++) {
      const value = fmix32(base ^ (seed[i] ?? 0));
      if (value < (signature[i] ?? 0)) signature[i] = value;
    }
  }
  return signature;
}

/** LSH band keys of a MinHash signature: `nd3:<band index>:<FNV-1a of the band's rows, hex>`. */
export function bandKeys(signature: Uint32Array, bands: number, rows: number): string[] {
  const keys: string[] = [];
  for (let band = 0; band < bands; band++) {
    let hash = 0x811c9dc5;
    for (let row = 0; row < rows; row++) {
      const value = signature[band * rows + row] ?? 0;
      for (let shift = 0; shift < 32; shift += 8) {
        hash ^= (value >>> shift) & 0xff;
        hash = Math.imul(hash, 0x01000193);
      }
    }
    keys.push(`${NEAR_DUPLICATE_VERSION}:${band}:${(hash >>> 0).toString(16).padStart(8, '0')}`);
  }
  return keys;
}

/**
 * Signature of a normalised message for near-duplicate matching, or `null` when the message is
 * too short to be matched other than exactly (`contentChars < params.minChars`).
 * @param normalised the message after `normaliseText` (URLs replaced by match keys or tokens).
 * @param contentChars code points of the message that are not URLs (decides `minChars`).
 */
export function nearDuplicateSignature(
  normalised: string,
  contentChars: number,
  params: Readonly<NearDuplicateParams> = NEAR_DUPLICATE_PARAMS,
): NearDuplicateSignature | null {
  if (contentChars < params.minChars || normalised.length === 0) return null;
  const signature = minHash(shingles(normalised, params.shingle), params.bands * params.rows);
  return { text: normalised, bandKeys: bandKeys(signature, params.bands, params.rows) };
}

/** A stored text that shares at least one band with the message being matched. */
export interface NearDuplicateCandidate {
  /** The case (or cluster) the stored text belongs to. */
  caseId: string;
  /** Its normalised text. */
  text: string;
  /** Creation order of the case: ISO 8601 time or any string that sorts oldest first. */
  order: string;
}

/** The verified best candidate, with its similarity. */
export interface NearDuplicateMatch {
  caseId: string;
  similarity: number;
}

/**
 * Verifies LSH candidates against `text` (verifiedSimilarity): of the candidates that pass, the
 * one with the highest Jaccard similarity wins; ties go to the oldest case
 * (`order`, then `caseId`). Returns `null` when no candidate reaches the threshold.
 */
export function bestNearDuplicate(
  text: string,
  candidates: readonly NearDuplicateCandidate[],
  params: Readonly<NearDuplicateParams> = NEAR_DUPLICATE_PARAMS,
): NearDuplicateMatch | null {
  if (candidates.length === 0) return null;
  const own = shingles(text, params.shingle);
  let best: (NearDuplicateMatch & { order: string }) | null = null;
  for (const candidate of candidates) {
    const similarity = verifiedSimilarity(own, shingles(candidate.text, params.shingle), params);
    if (similarity === null) continue;
    if (
      best === null ||
      similarity > best.similarity ||
      (similarity === best.similarity &&
        (candidate.order < best.order ||
          (candidate.order === best.order && candidate.caseId < best.caseId)))
    ) {
      best = { caseId: candidate.caseId, similarity, order: candidate.order };
    }
  }
  return best === null ? null : { caseId: best.caseId, similarity: best.similarity };
}
