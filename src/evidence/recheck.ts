/**
 * Takedown monitoring, pure part: deciding from one capture whether reported content is still
 * `live`, `removed` or `unknown`, the re-check schedule after a notice, and what a series of
 * checks means for the notice. No I/O; the clock is passed in (ms since the epoch, UTC).
 */
import type { CaptureResult } from './capture.js';

/** What one re-check observed. */
export type ObservedState = 'live' | 'removed' | 'unknown';

/** The state and the evidence for it, in words and as a stable code. */
export interface Observation {
  readonly state: ObservedState;
  /**
   * `http_404`, `http_410`, `http_451`, `nxdomain`, `soft_404:<platform>`, `login_wall:<platform>`
   * (removed); `http_<status>` (live); `timeout`, `network_error`, `refused`, `http_<status>`,
   * `dns_error` (unknown).
   */
  readonly reason: string;
}

/**
 * Pages the platforms show in place of removed content (HTTP 200 "soft 404"), in English and
 * Traditional Chinese, matched against the final page's title and first 256 KiB of text.
 */
const SOFT_404: readonly { platform: string; host: RegExp; text: RegExp }[] = [
  {
    platform: 'facebook',
    host: /(^|\.)(facebook\.com|fb\.com|fb\.watch)$/,
    text: /This content isn't available (right now|at the moment)|This page isn't available|此內容目前無法顯示|此內容目前無法查看|無法查看此內容/,
  },
  {
    platform: 'instagram',
    host: /(^|\.)instagram\.com$/,
    text: /Sorry, this page isn't available|很抱歉，此頁面無法使用|抱歉，此頁面無法使用/,
  },
  {
    platform: 'threads',
    host: /(^|\.)threads\.(net|com)$/,
    text: /Sorry, this page isn't available|此頁面無法使用/,
  },
  {
    platform: 'youtube',
    host: /(^|\.)(youtube\.com|youtu\.be)$/,
    text: /"status":"(ERROR|UNPLAYABLE)"|This video (isn't|is no longer) available|Video unavailable|此影片已無法觀看|影片無法播放|這部影片已遭移除/,
  },
  {
    platform: 'tiktok',
    host: /(^|\.)tiktok\.com$/,
    text: /Video currently unavailable|Couldn't find this account|This video is unavailable|影片目前無法觀看|找不到此帳號/,
  },
  {
    platform: 'line',
    host: /(^|\.)(line\.me|lin\.ee)$/,
    text: /This page (is|isn't) (not )?available|找不到此頁面|無法顯示此頁面|該帳號不存在/,
  },
  {
    platform: 'google',
    host: /(^|\.)(google\.com|google\.com\.tw|sites\.google\.com)$/,
    // `.{0,300}`, not `.*`: retried from every `The requested URL `, `.*` was quadratic on a
    // page repeating it (a Google Sites page is content a scammer writes).
    text: /Requested URL was not found|The requested URL .{0,300} was not found|找不到要求的網址/,
  },
];

/** Login walls the platforms redirect to when content is gone or hidden from the public. */
const LOGIN_WALLS: readonly { platform: string; pattern: RegExp }[] = [
  { platform: 'facebook', pattern: /^https:\/\/(www\.|m\.)?facebook\.com\/(login|checkpoint)/ },
  { platform: 'instagram', pattern: /^https:\/\/(www\.)?instagram\.com\/accounts\/login/ },
  { platform: 'threads', pattern: /^https:\/\/(www\.)?threads\.(net|com)\/login/ },
  { platform: 'tiktok', pattern: /^https:\/\/(www\.)?tiktok\.com\/login/ },
  { platform: 'google', pattern: /^https:\/\/accounts\.google\.com\// },
  { platform: 'line', pattern: /^https:\/\/access\.line\.me\// },
];

function hostOf(url: string | null): string {
  if (url === null) return '';
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * Decides what one capture says about the content it was aimed at:
 * - `removed`: HTTP 404, 410 or 451; the host does not exist (NXDOMAIN); the platform's
 *   "content unavailable" page; a redirect to the platform's login wall;
 * - `live`: any other 2xx final page;
 * - `unknown`: timeouts, network errors, refusals by the SSRF policy, 3xx without Location,
 *   401/403/429/5xx and other statuses (a blocked or overloaded server proves nothing).
 */
export function classifyCapture(capture: CaptureResult): Observation {
  if (capture.outcome !== 'fetched') {
    const code = capture.error?.code ?? 'network_error';
    if (code === 'dns_nxdomain') return { state: 'removed', reason: 'nxdomain' };
    if (capture.outcome === 'refused') return { state: 'unknown', reason: 'refused' };
    return { state: 'unknown', reason: code };
  }
  const status = capture.status ?? 0;
  if (status === 404 || status === 410 || status === 451) {
    return { state: 'removed', reason: `http_${status}` };
  }
  const finalUrl = capture.finalUrl ?? '';
  const redirected = capture.hops.length > 1;
  if (redirected) {
    const wall = LOGIN_WALLS.find((w) => w.pattern.test(finalUrl));
    if (wall !== undefined) return { state: 'removed', reason: `login_wall:${wall.platform}` };
  }
  if (status >= 200 && status < 300) {
    const host = hostOf(finalUrl);
    const text = `${capture.title ?? ''}\n${
      capture.body === null
        ? ''
        : new TextDecoder('utf-8').decode(capture.body.subarray(0, 262_144))
    }`;
    const soft = SOFT_404.find((s) => s.host.test(host) && s.text.test(text));
    if (soft !== undefined) return { state: 'removed', reason: `soft_404:${soft.platform}` };
    return { state: 'live', reason: `http_${status}` };
  }
  return { state: 'unknown', reason: `http_${status}` };
}

/** When takedown re-checks run. */
export interface RecheckSchedule {
  /** Time between checks, minutes. */
  readonly intervalMinutes: number;
  /** How long after the notice checks go on, hours. */
  readonly durationHours: number;
}

const MINUTE = 60_000;

/**
 * Every re-check time for a notice sent at `sentAt`: `sentAt + k·interval` for k ≥ 1 while not
 * later than `sentAt + duration` (e.g. every 2 h for 7 days → 84 checks).
 * @param sentAt ms since the epoch.
 */
export function recheckTimes(sentAt: number, schedule: RecheckSchedule): number[] {
  const times: number[] = [];
  const step = schedule.intervalMinutes * MINUTE;
  const end = sentAt + schedule.durationHours * 60 * MINUTE;
  for (let t = sentAt + step; t <= end; t += step) times.push(t);
  return times;
}

/**
 * The next re-check due for a notice, given when it was sent and when it was last checked: the
 * first scheduled time after the last check (or after sending). A time in the past means due now.
 * @returns ms since the epoch, or null when monitoring has ended (past the duration) or the
 *   content was already seen removed.
 */
export function nextRecheckAt(
  sentAt: number,
  lastCheckedAt: number | null,
  schedule: RecheckSchedule,
  removedObserved = false,
): number | null {
  if (removedObserved) return null;
  const step = schedule.intervalMinutes * MINUTE;
  const end = sentAt + schedule.durationHours * 60 * MINUTE;
  const after = lastCheckedAt ?? sentAt;
  const k = Math.floor((after - sentAt) / step) + 1;
  const next = sentAt + Math.max(1, k) * step;
  return next <= end ? next : null;
}

/** One stored re-check, as the notice workflow sees it. */
export interface RecheckRecord {
  /** ms since the epoch. */
  readonly checkedAt: number;
  readonly state: ObservedState;
  readonly captureId: string;
}

/** What the re-checks of one notice mean for it. */
export interface TakedownFinding {
  /** The first check that saw the content removed (closes the notice with this time). */
  readonly removedObservedAt: number | null;
  readonly removalCaptureId: string | null;
  /**
   * Checks that saw the content live after the platform said it was removed (the claim is
   * flagged); empty when the platform has not claimed removal.
   */
  readonly liveAfterClaim: readonly RecheckRecord[];
}

/**
 * Reads a notice's re-checks: the first `removed` observation, and any `live` observation after
 * the platform's removal claim (`claimedRemovedAt`, ms; null when none).
 */
export function assessTakedown(
  checks: readonly RecheckRecord[],
  claimedRemovedAt: number | null,
): TakedownFinding {
  const ordered = [...checks].sort((a, b) => a.checkedAt - b.checkedAt);
  const removal = ordered.find((c) => c.state === 'removed');
  return {
    removedObservedAt: removal?.checkedAt ?? null,
    removalCaptureId: removal?.captureId ?? null,
    liveAfterClaim:
      claimedRemovedAt === null
        ? []
        : ordered.filter((c) => c.state === 'live' && c.checkedAt >= claimedRemovedAt),
  };
}
