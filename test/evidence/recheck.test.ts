/**
 * Takedown monitoring decisions and schedule (pure; a fake clock is just numbers here).
 */
import { describe, expect, it } from 'vitest';
import type { CaptureResult } from '../../src/evidence/capture.js';
import {
  assessTakedown,
  classifyCapture,
  nextRecheckAt,
  recheckTimes,
} from '../../src/evidence/recheck.js';
import { FakeClock } from '../../src/shared/clock.js';

function capture(overrides: Partial<CaptureResult>): CaptureResult {
  return {
    url: 'https://www.facebook.com/ads/123',
    outcome: 'fetched',
    hops: [],
    finalUrl: 'https://www.facebook.com/ads/123',
    status: 200,
    contentType: 'text/html',
    body: null,
    bodySha256: null,
    bodyTruncated: false,
    title: null,
    error: null,
    ...overrides,
  };
}
const hop = (url: string, status: number) => ({
  url,
  address: '203.0.113.1',
  status,
  location: null,
  headers: {},
  startedAt: '2026-11-29T02:00:00.000Z',
  elapsedMs: 1,
});

describe('classifyCapture', () => {
  it('sees removal in 404/410/451, NXDOMAIN, platform soft-404 pages and login walls', () => {
    const cases: [Partial<CaptureResult>, string][] = [
      [{ status: 404 }, 'http_404'],
      [{ status: 410 }, 'http_410'],
      [{ status: 451 }, 'http_451'],
      [
        { outcome: 'failed', status: null, error: { code: 'dns_nxdomain', message: 'x' } },
        'nxdomain',
      ],
      [{ title: "This content isn't available right now" }, 'soft_404:facebook'],
      [{ body: Buffer.from('<h2>此內容目前無法顯示</h2>') }, 'soft_404:facebook'],
      [
        {
          finalUrl: 'https://www.instagram.com/p/abc/',
          title: "Sorry, this page isn't available. • Instagram",
        },
        'soft_404:instagram',
      ],
      [
        { finalUrl: 'https://www.youtube.com/watch?v=x', body: Buffer.from('"status":"ERROR"') },
        'soft_404:youtube',
      ],
      [
        { finalUrl: 'https://www.tiktok.com/@x/video/1', title: 'Video currently unavailable' },
        'soft_404:tiktok',
      ],
      [
        {
          hops: [
            hop('https://www.facebook.com/ads/123', 302),
            hop('https://www.facebook.com/login/?next=x', 200),
          ],
          finalUrl: 'https://www.facebook.com/login/?next=x',
        },
        'login_wall:facebook',
      ],
    ];
    for (const [overrides, reason] of cases) {
      expect(classifyCapture(capture(overrides)), reason).toEqual({ state: 'removed', reason });
    }
  });

  it('calls a normal page live and anything inconclusive unknown', () => {
    expect(classifyCapture(capture({ title: '飆股群組' }))).toEqual({
      state: 'live',
      reason: 'http_200',
    });
    // A soft-404 sentence on another host is not that platform's removal page.
    expect(
      classifyCapture(
        capture({
          finalUrl: 'https://scam.example/',
          title: "This content isn't available right now",
        }),
      ).state,
    ).toBe('live');
    for (const overrides of [
      { status: 403 },
      { status: 503 },
      { status: 429 },
      {
        outcome: 'failed' as const,
        status: null,
        error: { code: 'timeout' as const, message: 't' },
      },
      {
        outcome: 'refused' as const,
        status: null,
        error: { code: 'blocked_address' as const, message: 'x' },
      },
    ]) {
      expect(classifyCapture(capture(overrides)).state, JSON.stringify(overrides)).toBe('unknown');
    }
  });
});

describe('re-check schedule', () => {
  const schedule = { intervalMinutes: 120, durationHours: 168 };

  it('checks every 2 hours for 7 days after the notice', () => {
    const clock = new FakeClock('2026-11-29T02:00:00Z');
    const sent = clock.now();
    const times = recheckTimes(sent, schedule);
    expect(times).toHaveLength(84);
    expect(new Date(times[0] ?? 0).toISOString()).toBe('2026-11-29T04:00:00.000Z');
    expect(new Date(times[83] ?? 0).toISOString()).toBe('2026-12-06T02:00:00.000Z');
  });

  it('gives the next check after the last one, and none after the end or after removal', () => {
    const clock = new FakeClock('2026-11-29T02:00:00Z');
    const sent = clock.now();
    expect(nextRecheckAt(sent, null, schedule)).toBe(sent + 2 * 3_600_000);
    clock.advance(5 * 3_600_000); // checked late, at +5 h
    expect(nextRecheckAt(sent, clock.now(), schedule)).toBe(sent + 6 * 3_600_000);
    expect(nextRecheckAt(sent, sent + 168 * 3_600_000, schedule)).toBeNull();
    expect(nextRecheckAt(sent, null, schedule, true)).toBeNull();
  });

  it('finds the first observed removal and live sightings after a removal claim', () => {
    const h = 3_600_000;
    const checks = [
      { checkedAt: 6 * h, state: 'removed' as const, captureId: 'E3' },
      { checkedAt: 2 * h, state: 'live' as const, captureId: 'E1' },
      { checkedAt: 4 * h, state: 'live' as const, captureId: 'E2' },
    ];
    expect(assessTakedown(checks, null)).toEqual({
      removedObservedAt: 6 * h,
      removalCaptureId: 'E3',
      liveAfterClaim: [],
    });
    expect(assessTakedown(checks, 3 * h).liveAfterClaim.map((c) => c.captureId)).toEqual(['E2']);
  });
});
