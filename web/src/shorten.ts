/**
 * `text` trimmed and cut to at most `max` characters (code points, so no emoji or CJK character
 * is split), with `…` where it was cut.
 */
export function shorten(text: string, max: number): string {
  const chars = [...text.trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max).join('')}…`;
}
