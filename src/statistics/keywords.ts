import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

import { SCAM_TYPE_KEYWORDS } from '../classifier/index.js';
/**
 * Stop words removed before counting keywords: a small list written for scamnet (not copied),
 * of Mandarin function words, pronouns, generic verbs and time words that occur in any message,
 * in Traditional and Simplified forms, and English function words and URL parts. Single
 * characters are dropped anyway (see segmentKeywords), so only words of two or more characters
 * are listed.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  [
    // Pronouns and demonstratives
    '我們 你們 他們 她們 它們 大家 自己 您好 你好 這個 那個 這些 那些 这个',
    '那个 这些 那些 我们 你们 他们 什麼 什么 這樣 那樣 这样 那样 這裡 那裡',
    '这里 那里 哪裡 哪里 其他 其它 一個 一个 一些 每個 每个',
    // Conjunctions, adverbs, auxiliaries
    '因為 因为 所以 如果 但是 而且 還是 还是 或是 或者 已經 已经 就是 不是',
    '沒有 没有 可以 可能 應該 应该 需要 以及 並且 并且 然後 然后 只要 只是',
    '還有 还有 也是 都是 非常 真的 一定 一起 目前 現在 现在 透過 通过 通過',
    '進行 进行 相關 相关 提供 為了 为了 關於 关于 對於 对于 以上 以下 之後',
    '之后 之前 的話 的话 怎麼 怎么 為什麼 为什么 如何',
    // Time words and courtesy
    '今天 明天 昨天 時候 时候 時間 时间 今年 每天 謝謝 谢谢 請問 请问 知道',
    '看看 一下 分享 轉傳 转发 訊息 讯息 消息 朋友 大家好',
    // English function words and URL parts
    'the and for you your with this that are from our has have will',
    'can not but all was http https www com tw html php',
  ]
    .join(' ')
    .split(' '),
);

let segmenter: Jieba | undefined;

/**
 * The jieba segmenter: its shipped dictionary plus the scam-type keywords of triage (so that
 * terms such as 穩賺 or 虛擬貨幣 stay whole in Traditional Chinese, which the shipped, mainly
 * Simplified, dictionary lacks). Built once, on first use (~0.5 s).
 */
function jieba(): Jieba {
  if (segmenter === undefined) {
    segmenter = Jieba.withDict(dict);
    const words = Object.values(SCAM_TYPE_KEYWORDS)
      .flat()
      .filter((w) => /\p{Script=Han}/u.test(w) && !/\s/.test(w));
    segmenter.loadDict(new TextEncoder().encode(words.map((w) => `${w} 20000 n`).join('\n')));
  }
  return segmenter;
}

const URL_LIKE = /(?:https?:\/\/|www\.)\S+|\S+\.(?:com|net|org|tw|cc|xyz|top|shop|vip)\S*/giu;

/**
 * The distinct keywords of one message, for counting: NFKC-folded and lower-cased, URLs removed,
 * segmented by jieba (with HMM for unknown words), keeping tokens of at least two characters that
 * contain a letter and are not stop words. Sorted (code point order) for determinism.
 */
export function segmentKeywords(text: string): string[] {
  const clean = text.normalize('NFKC').toLowerCase().replace(URL_LIKE, ' ');
  const tokens = new Set<string>();
  for (const raw of jieba().cut(clean, true)) {
    const token = raw.trim();
    if ([...token].length < 2) continue;
    if (!/\p{L}/u.test(token) || /^[\p{N}\p{P}\p{S}_]+$/u.test(token)) continue;
    if (STOP_WORDS.has(token)) continue;
    tokens.add(token);
  }
  return [...tokens].sort();
}

/** One hot keyword of a week. */
export interface HotKeyword {
  keyword: string;
  /** Confirmed cases of the week whose text contains the keyword. */
  count: number;
  /** The count expected from the previous weeks' rate, scaled to this week's cases (2 decimals). */
  expected: number;
  /** (count − expected) / √(expected + 1), 2 decimals: how far above its usual level it rose. */
  score: number;
}

/** How many keywords a bulletin lists, and the least count a keyword needs. */
export const HOT_KEYWORDS = { limit: 10, minCount: 2 } as const;

/**
 * The keywords that rose most in `week` against `previous` (the texts of earlier weeks, pooled).
 * Each keyword's count is the number of texts containing it (document frequency). With N_w texts
 * this week and N_p before, and p_t texts of the previous weeks containing keyword t, the
 * expected count is E = N_w × (p_t + 0.5) / (N_p + 1) (add-half smoothing, so a keyword never
 * seen before still has a small expectation) and the score is (count − E) / √(E + 1), a smoothed
 * Poisson z-score. Keywords with count ≥ HOT_KEYWORDS.minCount and a positive score are ranked
 * by score, then count, then code point order. Pure and deterministic.
 */
export function hotKeywords(
  week: readonly string[],
  previous: readonly string[],
  limit: number = HOT_KEYWORDS.limit,
): HotKeyword[] {
  const now = documentFrequencies(week);
  const before = documentFrequencies(previous);
  const result: HotKeyword[] = [];
  for (const [keyword, count] of now) {
    if (count < HOT_KEYWORDS.minCount) continue;
    const expected = (week.length * ((before.get(keyword) ?? 0) + 0.5)) / (previous.length + 1);
    const score = (count - expected) / Math.sqrt(expected + 1);
    if (score <= 0) continue;
    result.push({ keyword, count, expected: round2(expected), score: round2(score) });
  }
  return result
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.count - a.count ||
        (a.keyword < b.keyword ? -1 : a.keyword > b.keyword ? 1 : 0),
    )
    .slice(0, limit);
}

/**
 * Texts whose keywords are remembered (least recently used dropped first). A bulletin segments
 * its week's texts and the KEYWORD_BASELINE_WEEKS weeks before, so each week's texts are needed
 * by five bulletins and by every view of a draft; jieba is most of a bulletin's cost
 * (bench/stats.ts). 50,000 texts of at most 280 characters (case summaries) hold about five weeks
 * at 10,000 confirmed cases a week, in some tens of megabytes.
 */
export const KEYWORD_CACHE_SIZE = 50_000;

const keywordCache = new Map<string, readonly string[]>();

/** segmentKeywords through the cache (same result: segmentation is a pure function of text). */
export function cachedKeywords(text: string): readonly string[] {
  const hit = keywordCache.get(text);
  if (hit !== undefined) {
    // Re-insert: a Map iterates in insertion order, so the oldest entry is the least recent.
    keywordCache.delete(text);
    keywordCache.set(text, hit);
    return hit;
  }
  const keywords = segmentKeywords(text);
  keywordCache.set(text, keywords);
  if (keywordCache.size > KEYWORD_CACHE_SIZE) {
    const oldest = keywordCache.keys().next();
    if (oldest.done !== true) keywordCache.delete(oldest.value);
  }
  return keywords;
}

/** Empties the keyword cache (bench/stats.ts measures a cold bulletin with it). */
export function clearKeywordCache(): void {
  keywordCache.clear();
}

/** Texts currently in the keyword cache. */
export function keywordCacheSize(): number {
  return keywordCache.size;
}

function documentFrequencies(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const keyword of cachedKeywords(text)) counts.set(keyword, (counts.get(keyword) ?? 0) + 1);
  }
  return counts;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
