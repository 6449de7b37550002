import { foldLookalikeLetters } from '../indicators/index.js';
import { removeInvisible } from '../shared/text.js';
import { sha256Hex } from '../shared/ids.js';

/** Spans of a text to replace before folding, e.g. URLs by their match keys. */
export interface Replacement {
  start: number;
  end: number;
  value: string;
}

/**
 * Normalises a message for exact-duplicate detection: the given spans replaced (URLs by their
 * match keys, so tracking parameters do not matter), Unicode NFKC (full-width → ASCII), invisible
 * characters removed (every Default_Ignorable_Code_Point: shared/text.ts), lower-cased, Greek,
 * Cyrillic, Armenian and Cherokee look-alikes of Latin letters folded to them (TR39 prototypes,
 * foldLookalikeLetters; Chinese is left alone), and every run of whitespace, punctuation and
 * symbols dropped. Two messages that differ only in spacing, punctuation, letter case, width,
 * invisible characters or look-alike letters normalise to the same string. Pure; linear.
 * @param replacements non-overlapping UTF-16 spans of `text`, in any order.
 */
export function normaliseText(text: string, replacements: readonly Replacement[] = []): string {
  // One pass in text order: splicing each replacement into the whole string was O(n × r).
  const ordered = [...replacements].sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let from = 0;
  for (const r of ordered) {
    parts.push(text.slice(from, r.start), ` ${r.value} `);
    from = r.end;
  }
  parts.push(text.slice(from));
  const replaced = parts.join('');
  return foldLookalikeLetters(removeInvisible(replaced.normalize('NFKC')).toLowerCase())
    .toLowerCase()
    .replace(/[\p{White_Space}\p{P}\p{S}]+/gu, '');
}

/**
 * Content fingerprint of a message: `text:` + SHA-256 hex of `normaliseText(text, replacements)`,
 * or `null` when nothing meaningful is left (empty, or only punctuation and spaces).
 */
export function textFingerprint(
  text: string,
  replacements: readonly Replacement[] = [],
): string | null {
  const normalised = normaliseText(text, replacements);
  return normalised.length === 0 ? null : `text:${sha256Hex(normalised)}`;
}
