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
