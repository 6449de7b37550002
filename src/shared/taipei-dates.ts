/** Offset of Asia/Taipei (no daylight saving since 1979), used for dates the 165 data gives bare. */
const TAIPEI_OFFSET = '+08:00';

/**
 * Parses the date forms of Taiwan's open data as Asia/Taipei local time: `2023/4/30`,
 * `2023-04-30`, `2023-06-29T00:00:00` (no zone) or a full ISO 8601 timestamp with a zone.
 * @returns ISO 8601 UTC, or null when the value is not a valid date.
 */
export function parseTaipeiDate(value: string): string | null {
  const trimmed = value.trim();
  const ymd = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(
    trimmed,
  );
  let ms: number;
  if (ymd !== null) {
    const [, y, m, d, hh = '00', mm = '00', ss = '00'] = ymd;
    const iso = `${y}-${m?.padStart(2, '0')}-${d?.padStart(2, '0')}T${hh}:${mm}:${ss}${TAIPEI_OFFSET}`;
    ms = Date.parse(iso);
    const check = new Date(ms + 8 * 3600_000);
    if (
      Number.isNaN(ms) ||
      check.getUTCDate() !== Number(d) ||
      check.getUTCMonth() + 1 !== Number(m)
    )
      return null;
  } else if (/^\d{4}-\d{2}-\d{2}T.+(Z|[+-]\d{2}:\d{2})$/.test(trimmed)) {
    ms = Date.parse(trimmed);
    if (Number.isNaN(ms)) return null;
  } else {
    return null;
  }
  return new Date(ms).toISOString();
}

/**
 * The Asia/Taipei calendar date (`YYYY-MM-DD`) of an instant given as ISO 8601 (e.g. a value
 * parseTaipeiDate returned): the date the 165 data meant, not the UTC date, which is the day
 * before for any time before 08:00 Taipei.
 */
export function taipeiDateOf(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}
