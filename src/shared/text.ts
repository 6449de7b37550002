/**
 * Zero-width, joiner, word-joiner, BOM, soft hyphen and bidirectional control characters
 * (Unicode general category Cf commonly abused to split URLs and IDs): U+00AD, U+061C, U+180E,
 * U+200B–U+200F, U+202A–U+202E, U+2060–U+2064, U+2066–U+2069, U+FEFF.
 */
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Removes invisible formatting characters (see INVISIBLE) from `text`. Linear time. */
export function removeInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** True when `text` contains at least one invisible formatting character. */
export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  const found = INVISIBLE.test(text);
  INVISIBLE.lastIndex = 0;
  return found;
}

/** Unicode code points of `text` (what JSON Schema `maxLength` counts). Linear time. */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/**
 * Unicode code points of `text` after NFKC normalisation (UAX #15): the length the matching steps
 * (fingerprints, near-duplicates, triage, search terms) work on. NFKC can multiply the length by
 * up to 18 (U+FDFA ﷺ becomes 18 characters; U+3300 ㌀ four, U+FB03 ﬃ three), so limits on a text
 * apply to this length as well as to the text as typed. Linear time.
 */
export function nfkcLength(text: string): number {
  return codePointLength(text.normalize('NFKC'));
}
