import { removeInvisible } from '../shared/text.js';

/**
 * Terms of the keyword search index. Chinese has no spaces between words, so runs of CJK
 * characters (Han, kana, Hangul, Bopomofo) are indexed as overlapping character bigrams — the
 * classic CJK n-gram approach of Lucene's CJKAnalyzer — and everything else as whole tokens of
 * letters and digits. A query of two or more CJK characters is found through its bigrams, then
 * verified against the text, so no dictionary or segmenter is needed and both dialects index
 * exactly the same terms. Pure.
 */

/** One CJK character (the scripts indexed as bigrams). */
const CJK =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u;

/** Runs of CJK characters, or of other letters, marks and digits. */
const SEGMENT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]+|[\p{L}\p{M}\p{N}_]+/gu;

/** Longest token indexed, in UTF-16 code units (longer ones are cut). */
const MAX_TOKEN = 64;

/** Text of a document or query as the index sees it: NFKC, invisible characters removed, lower case. */
export function searchNormalise(text: string): string {
  return removeInvisible(text.normalize('NFKC')).toLowerCase();
}

/** A query or document segment: a CJK run or a token. */
export interface SearchSegment {
  text: string;
  cjk: boolean;
}

/** The segments of `text` (already `searchNormalise`d), in order. */
export function searchSegments(normalised: string): SearchSegment[] {
  const out: SearchSegment[] = [];
  for (const match of normalised.matchAll(SEGMENT)) {
    const text = match[0];
    out.push({ text, cjk: CJK.test(text) });
  }
  return out;
}

/** Index terms of one segment: CJK bigrams (a single CJK character is itself), or the token. */
export function segmentTerms(segment: SearchSegment): string[] {
  if (!segment.cjk) return [segment.text.slice(0, MAX_TOKEN)];
  const chars = Array.from(segment.text);
  if (chars.length === 1) return [segment.text];
  const terms: string[] = [];
  for (let i = 0; i + 2 <= chars.length; i++) terms.push(`${chars[i] ?? ''}${chars[i + 1] ?? ''}`);
  return terms;
}

/**
 * The distinct index terms of a document: CJK bigrams and tokens of the text (at most
 * `maxChars` UTF-16 code units of it are read), plus `ind:<type>:<value>` for each indicator.
 */
export function documentTerms(
  text: string,
  indicators: ReadonlyArray<{ type: string; value: string }> = [],
  maxChars = 4000,
): string[] {
  const terms = new Set<string>();
  for (const segment of searchSegments(searchNormalise(text.slice(0, maxChars)))) {
    for (const term of segmentTerms(segment)) terms.add(term);
  }
  for (const indicator of indicators) terms.add(indicatorTerm(indicator.type, indicator.value));
  return [...terms];
}

/** The index term of an indicator. */
export function indicatorTerm(type: string, value: string): string {
  return `ind:${type}:${value}`;
}
