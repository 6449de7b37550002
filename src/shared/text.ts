import { badRequest } from './errors.js';

/**
 * Characters that are inert in matching: every Unicode Default_Ignorable_Code_Point (zero-width
 * space and joiners, soft hyphen, bidirectional controls, invisible operators, combining grapheme
 * joiner, variation selectors, tag characters, Hangul fillers, U+FFF0–U+FFF8, …), taken from the
 * JavaScript engine's own Unicode data (`\p{Default_Ignorable_Code_Point}`, DerivedCoreProperties.txt
 * of the Unicode version the runtime ships: Unicode 17.0 with Node 20.20's ICU 78.2), plus the
 * interlinear annotation controls U+FFF9–U+FFFB (format characters that are not
 * Default_Ignorable but render as nothing). Removed before extraction and matching; the original
 * text is kept for display.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\uFFF9-\uFFFB]/gu;

/** Removes invisible characters (see INVISIBLE) from `text`. Linear time. */
export function removeInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** True when `text` contains at least one invisible character (see INVISIBLE). */
export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  const found = INVISIBLE.test(text);
  INVISIBLE.lastIndex = 0;
  return found;
}

/**
 * The `[start, end)` UTF-16 spans of the invisible characters (see INVISIBLE) in `text`, in
 * order; a character outside the Basic Multilingual Plane (a tag character) spans two units.
 */
export function invisibleSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const match of text.matchAll(INVISIBLE)) {
    spans.push([match.index, match.index + match[0].length]);
  }
  return spans;
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

/**
 * U+0000 and unpaired UTF-16 surrogates: not Unicode text. PostgreSQL `text` cannot hold NUL
 * (SQLite can), and a lone surrogate has no UTF-8 form (it would be stored as U+FFFD or invalid
 * bytes, so `\ud800` and `\udfff` would become the same text).
 */
const NOT_TEXT = /[\0\p{Cs}]/u;

/**
 * Refuses a string that is not Unicode text (NUL, an unpaired surrogate: see NOT_TEXT), so that
 * both stores answer alike and nothing is stored. Linear time.
 * @param field the input field's name, for `details.field`.
 * @throws AppError 400 `invalid_characters`.
 */
export function checkUnicodeText(field: string, value: string): void {
  if (NOT_TEXT.test(value)) {
    throw badRequest(
      'invalid_characters',
      `Field "${field}" holds a NUL character or an unpaired surrogate, which are not text.`,
      field,
    );
  }
}

/**
 * checkUnicodeText on every string in a parsed request part (body, query, path parameters):
 * objects and arrays are walked (at most `maxDepth` levels; request bodies are validated
 * shallow objects), each string checked under its dotted path.
 * @throws AppError 400 `invalid_characters` naming the first offending field.
 */
export function checkUnicodeTexts(value: unknown, path = '', maxDepth = 8): void {
  if (typeof value === 'string') {
    checkUnicodeText(path === '' ? 'value' : path, value);
    return;
  }
  if (maxDepth === 0 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) {
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    checkUnicodeTexts(item, path === '' ? key : `${path}.${key}`, maxDepth - 1);
  }
}

/**
 * Everything Unicode marks as not visible on its own: Default_Ignorable_Code_Point (zero-width
 * characters, joiners, variation selectors, tag characters, Hangul fillers, U+FFF0–U+FFF8, …,
 * from the engine's Unicode data, DerivedCoreProperties.txt), white space, controls and format
 * characters.
 */
const NOT_VISIBLE = /[\p{Default_Ignorable_Code_Point}\p{White_Space}\p{Cc}\p{Cf}]/gu;

/** True when `text` has at least one visible character (see NOT_VISIBLE). Linear time. */
export function hasVisibleContent(text: string): boolean {
  return text.replace(NOT_VISIBLE, '') !== '';
}

/**
 * A public form (personal data redacted) as the store keeps it beside its original: null when it
 * is the original (nothing was redacted), so readers take `coalesce(public_form, original)`.
 */
export function storedPublicForm(
  original: string | null,
  publicForm: string | null,
): string | null {
  return publicForm === original ? null : publicForm;
}
