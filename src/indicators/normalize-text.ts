import { hasInvisible, invisibleSpans } from '../shared/text.js';

/**
 * Full-width forms (U+FF01–U+FF5E) folded to ASCII, except the punctuation that in Chinese text
 * separates words rather than belonging to a URL or ID: ！＂＇（），；＜＞［］｛｝. Keeping those
 * non-ASCII is what lets `https://x.com/a，立即領取` end at the comma.
 */
const KEEP_FULL_WIDTH: ReadonlySet<number> = new Set([
  0xff01, 0xff02, 0xff07, 0xff08, 0xff09, 0xff0c, 0xff1b, 0xff1c, 0xff1e, 0xff3b, 0xff3d, 0xff5b,
  0xff5d,
]);

/** Characters written as a dot inside hosts: ideographic full stop, halfwidth and small ones. */
const DOT_LIKE: ReadonlySet<number> = new Set([0x3002, 0xff61, 0xfe52, 0x2024]);

function foldCode(code: number): number {
  if (code >= 0xff01 && code <= 0xff5e && !KEEP_FULL_WIDTH.has(code)) return code - 0xfee0;
  if (DOT_LIKE.has(code)) return 0x2e;
  if (code === 0x3000) return 0x20;
  return code;
}

const NEEDS_FOLD = /[\u2024\u3000\u3002\ufe52\uff01-\uff5e\uff61]/;

/**
 * Folds full-width ASCII forms to ASCII (`ｈｔｔｐｓ：／／` → `https://`, `０９１２` → `0912`), the
 * ideographic full stop `。` and similar dots to `.`, and the ideographic space to a space. One
 * UTF-16 unit in, one out, so offsets are unchanged. Pure; linear time.
 */
export function foldWidth(text: string): string {
  if (!NEEDS_FOLD.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) out += String.fromCharCode(foldCode(text.charCodeAt(i)));
  return out;
}

/**
 * Defanged spellings written to stop links being clickable: `hxxp(s)`, `h**p`, `[.]`, `(.)`,
 * `{.}`, `[dot]`, `(dot)`, `{dot}`, `[:]`, `(:)`, `[/]`, `[://]`.
 */
const DEFANG =
  /h[x*]{2}p(?=s?(?:\[:\]|\(:\)|:))|[ ]?(?:\[(?:\.|dot)\]|\((?:\.|dot)\)|\{(?:\.|dot)\})[ ]?|\[:\]|\(:\)|\[\/\]|\[:\/\/\]/gi;

function refang(match: string): string {
  const lower = match.toLowerCase();
  if (lower.startsWith('h')) return 'http';
  if (lower.includes('://')) return '://';
  if (lower.includes(':')) return ':';
  if (lower.includes('/')) return '/';
  return '.';
}

/** Text prepared for extraction with a map from each of its UTF-16 units back to the input. */
export interface NormalizedText {
  /** The normalised text. */
  text: string;
  /** Offset in the input where the unit at each index came from (`null`: identity). */
  starts: number[] | null;
  /** Offset in the input just after the input units that produced each index (`null`: identity). */
  ends: number[] | null;
}

/**
 * Normalises a message for extraction: invisible characters removed (every Unicode
 * Default_Ignorable_Code_Point and U+FFF9–U+FFFB: shared/text.ts), full-width
 * forms folded (foldWidth), defanged spellings restored. Keeps, for every output unit, the span of
 * input it came from, so that matches can be reported as exact substrings of the input.
 */
export function normalizeForExtraction(input: string): NormalizedText {
  const invisible = hasInvisible(input);
  const fold = NEEDS_FOLD.test(input);
  DEFANG.lastIndex = 0;
  const defanged = DEFANG.test(input);
  DEFANG.lastIndex = 0;
  if (!invisible && !fold && !defanged) return { text: input, starts: null, ends: null };

  let text = '';
  let starts: number[] = [];
  let ends: number[] = [];
  // Invisible characters (every Default_Ignorable_Code_Point, two UTF-16 units for a tag
  // character) are skipped by span; every other unit is folded and mapped to itself.
  const skip = invisible ? invisibleSpans(input) : [];
  let next = 0;
  for (let i = 0; i < input.length; i++) {
    const span = skip[next];
    if (span !== undefined && i === span[0]) {
      i = span[1] - 1;
      next++;
      continue;
    }
    text += String.fromCharCode(foldCode(input.charCodeAt(i)));
    starts.push(i);
    ends.push(i + 1);
  }
  if (!DEFANG.test(text)) return { text, starts, ends };
  DEFANG.lastIndex = 0;

  let out = '';
  const outStarts: number[] = [];
  const outEnds: number[] = [];
  let from = 0;
  for (const match of text.matchAll(DEFANG)) {
    const at = match.index;
    for (let i = from; i < at; i++) {
      out += text[i] ?? '';
      outStarts.push(starts[i] ?? 0);
      outEnds.push(ends[i] ?? 0);
    }
    const replacement = refang(match[0]);
    const last = at + match[0].length - 1;
    for (let k = 0; k < replacement.length; k++) {
      out += replacement[k] ?? '';
      // `hxxp` → `http` maps unit by unit; `[.]` → `.` maps to the whole bracketed span.
      const sameLength = replacement.length === match[0].length;
      outStarts.push(starts[sameLength ? at + k : at] ?? 0);
      outEnds.push(ends[sameLength ? at + k : last] ?? 0);
    }
    from = at + match[0].length;
  }
  for (let i = from; i < text.length; i++) {
    out += text[i] ?? '';
    outStarts.push(starts[i] ?? 0);
    outEnds.push(ends[i] ?? 0);
  }
  text = out;
  starts = outStarts;
  ends = outEnds;
  return { text, starts, ends };
}

/** Maps a `[start, end)` span of the normalised text back to the input. */
export function toInputSpan(
  normalized: NormalizedText,
  start: number,
  end: number,
): { start: number; end: number } {
  if (normalized.starts === null || normalized.ends === null) return { start, end };
  return {
    start: normalized.starts[start] ?? 0,
    end: normalized.ends[end - 1] ?? normalized.starts[start] ?? 0,
  };
}
