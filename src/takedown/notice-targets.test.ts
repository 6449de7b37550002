import { describe, expect, it } from 'vitest';
import { MAX_NOTICE_TARGETS, noticeTargets, type NoticeTargetSources } from './notice-targets.js';

type Report = NoticeTargetSources['reports'][number];

function report(overrides: Partial<Report>): Report {
  return {
    platform: null,
    url: null,
    text: null,
    title: null,
    reporterContact: null,
    ...overrides,
  };
}

function plan(
  casePlatform: string,
  indicators: Array<[string, string]>,
  reports: Report[],
): ReturnType<typeof noticeTargets> {
  return noticeTargets({
    casePlatform,
    indicators: indicators.map(([type, value]) => ({ type, value })),
    reports,
    defaultRegion: 'TW',
  });
}

describe('noticeTargets', () => {
  it('a LINE-only message: its LINE ID, for LINE', () => {
    expect(
      plan(
        'line',
        [['line_id', '@fastmoney88']],
        [report({ platform: 'line', text: '加LINE：@fastmoney88 領取飆股名單' })],
      ),
    ).toEqual({
      actionable: [{ platform: 'line', targets: [{ type: 'line_id', value: '@fastmoney88' }] }],
      notActionable: [],
    });
  });

  it('a phone-only message seen on LINE: the phone; the same phone on Facebook: nothing', () => {
    const text = '有問題打 0987-654-321 找專員';
    expect(
      plan('line', [['phone', '+886987654321']], [report({ platform: 'line', text })]).actionable,
    ).toEqual([{ platform: 'line', targets: [{ type: 'phone', value: '+886987654321' }] }]);
    expect(
      plan('facebook', [['phone', '+886987654321']], [report({ platform: 'facebook', text })]),
    ).toEqual({ actionable: [], notActionable: ['facebook'] });
  });

  it("never a reporter's own details: a self-introducing sentence, or the follow-up contact", () => {
    const text =
      '我叫王小明，身分證A123456789，電話0912-345-678，我的LINE ID: wang_xm，被騙了5萬元';
    expect(
      plan(
        'line',
        [
          ['phone', '+886912345678'],
          ['line_id', 'wang_xm'],
        ],
        [report({ platform: 'line', text })],
      ),
    ).toEqual({ actionable: [], notActionable: ['line'] });
    expect(
      plan(
        'line',
        [
          ['phone', '+886922111333'],
          ['line_id', 'scam_agent88'],
        ],
        [
          report({
            platform: 'line',
            text: '對方LINE: scam_agent88 要我回電 0922-111-333',
            reporterContact: '+886922111333',
          }),
        ],
      ).actionable,
    ).toEqual([{ platform: 'line', targets: [{ type: 'line_id', value: 'scam_agent88' }] }]);
  });

  it('content on the platform: its URLs there, or the URL a reporter saw there (port kept)', () => {
    const ad = 'https://www.facebook.com/ads/library/?id=987654321';
    expect(
      plan('facebook', [['url', ad]], [report({ platform: 'facebook', url: ad })]).actionable,
    ).toEqual([{ platform: 'facebook', targets: [{ type: 'url', value: ad }] }]);
    expect(
      plan(
        'facebook',
        [['url', 'http://127.0.0.1/post/1']],
        [report({ platform: 'facebook', url: 'http://127.0.0.1:8080/post/1?fbclid=abc' })],
      ).actionable,
    ).toEqual([
      { platform: 'facebook', targets: [{ type: 'url', value: 'http://127.0.0.1:8080/post/1' }] },
    ]);
    // A site a Facebook post links to is not content on Facebook.
    expect(
      plan(
        'facebook',
        [['url', 'https://scam-shop.example/promo']],
        [report({ platform: 'facebook', text: '快來 https://scam-shop.example/promo' })],
      ),
    ).toEqual({ actionable: [], notActionable: ['facebook'] });
  });

  it('a Facebook ad sending people to a LINE ID: one notice each', () => {
    const ad = 'https://www.facebook.com/ads/library/?id=555';
    expect(
      plan(
        'facebook',
        [
          ['url', ad],
          ['line_id', '@stock888'],
        ],
        [report({ platform: 'facebook', url: ad, text: '加LINE：@stock888' })],
      ).actionable,
    ).toEqual([
      { platform: 'facebook', targets: [{ type: 'url', value: ad }] },
      { platform: 'line', targets: [{ type: 'line_id', value: '@stock888' }] },
    ]);
  });

  it('a website or a case with no platform considers no platform; targets are capped', () => {
    expect(
      plan(
        'website',
        [['url', 'https://scam.example/']],
        [report({ url: 'https://scam.example/' })],
      ),
    ).toEqual({ actionable: [], notActionable: [] });
    const many = Array.from({ length: 30 }, (_, i): [string, string] => [
      'url',
      `https://www.facebook.com/ads/library/?id=${i + 1}`,
    ]);
    expect(plan('facebook', many, []).actionable[0]?.targets).toHaveLength(MAX_NOTICE_TARGETS);
  });
});
