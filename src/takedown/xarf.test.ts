import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xarfValidator } from '../../test/xarf-validator.js';
import { canonicalLineId, canonicalPhone, canonicalUrl, matchKey } from '../indicators/index.js';
import { isAppError } from '../shared/errors.js';

import { NOTICE_PLATFORMS } from './notice-state.js';
import type { NoticeTarget } from './notice-targets.js';
import { targetUri, xarfClassOf, xarfReport, type NoticeFacts } from './xarf.js';

import { ENTITY_KINDS, SCAM_TYPES } from '../vocabulary/index.js';
import type { EntityKind, ScamType } from '../vocabulary/index.js';
const validate = xarfValidator();

/** The expected class of every scam type and impersonated kind, written out independently. */
const EXPECTED: Record<ScamType, Record<EntityKind | 'none', string>> = {
  product_service: {
    none: 'fraud/shopping',
    public_figure: 'fraud/shopping',
    company: 'fraud/shopping',
    agency: 'fraud/shopping',
  },
  impersonation: {
    none: 'fraud/other',
    public_figure: 'fraud/other',
    company: 'phishing',
    agency: 'fraud/government_impersonation',
  },
  investment: {
    none: 'fraud/investment',
    public_figure: 'fraud/investment',
    company: 'fraud/investment',
    agency: 'fraud/investment',
  },
  windfall: {
    none: 'fraud/lottery',
    public_figure: 'fraud/lottery',
    company: 'fraud/lottery',
    agency: 'fraud/lottery',
  },
  romance: {
    none: 'fraud/romance',
    public_figure: 'fraud/romance',
    company: 'fraud/romance',
    agency: 'fraud/romance',
  },
  job: {
    none: 'fraud/employment',
    public_figure: 'fraud/employment',
    company: 'fraud/employment',
    agency: 'fraud/employment',
  },
  money_mule: {
    none: 'fraud/employment',
    public_figure: 'fraud/employment',
    company: 'fraud/employment',
    agency: 'fraud/employment',
  },
  charity: {
    none: 'fraud/charity',
    public_figure: 'fraud/charity',
    company: 'fraud/charity',
    agency: 'fraud/charity',
  },
  extortion: {
    none: 'fraud/other',
    public_figure: 'fraud/other',
    company: 'fraud/other',
    agency: 'fraud/other',
  },
  other: {
    none: 'fraud/other',
    public_figure: 'fraud/other',
    company: 'fraud/other',
    agency: 'fraud/other',
  },
};

function urlTarget(raw: string): NoticeTarget {
  const key = matchKey(raw)?.matchKey ?? canonicalUrl(raw);
  if (key === null) throw new Error(`not a URL: ${raw}`);
  return { type: 'url', value: key };
}

/** Every indicator shape a notice can carry. */
const SHAPES: Record<string, NoticeTarget[]> = {
  'URL with "|{}^ and backtick': [
    urlTarget('https://www.facebook.com/a"b|c{d}e^f`g/?q=<x>&y=[1]|'),
  ],
  IDN: [urlTarget('https://www.例子.tw/活動?獎=1')],
  'URL with a port': [{ type: 'url', value: 'http://127.0.0.1:8080/post/1' }],
  'ad ID': [urlTarget('https://www.facebook.com/ads/library/?id=987654321')],
  'LINE-only (personal ID)': [{ type: 'line_id', value: 'scam_agent.88' }],
  'LINE-only (official account)': [{ type: 'line_id', value: '@fastmoney88' }],
  'phone-only': [{ type: 'phone', value: '+886912345678' }],
  'several, first unusable': [
    { type: 'url', value: 'not canonical' },
    { type: 'line_id', value: '@abc' },
    { type: 'phone', value: '+886223456789' },
  ],
};

function facts(overrides: Partial<NoticeFacts> = {}): NoticeFacts {
  return {
    noticeId: 'N0123456789AB',
    caseId: 'CABCDEF1234',
    platform: 'facebook',
    targets: [urlTarget('https://www.facebook.com/ads/library/?id=987654321')],
    sentAt: '2026-11-29T03:00:00.000Z',
    deadlineAt: '2026-11-30T03:00:00.000Z',
    firstReportedAt: '2026-11-28T01:02:03.000Z',
    lastReportedAt: '2026-11-29T02:00:00.000Z',
    reportCount: 3,
    scamType: 'investment',
    entity: { name: 'Hsieh Chin-ho', kind: 'public_figure' },
    evidence: [],
    reporter: { org: 'scamnet', contact: 'abuse@scamnet.test', domain: 'scamnet.test' },
    ...overrides,
  };
}

function classOf(report: Record<string, unknown>): string {
  return report.type === 'fraud' ? `fraud/${String(report.fraud_type)}` : String(report.type);
}

describe('xarfClassOf: one table from scam type and impersonated kind', () => {
  for (const scamType of SCAM_TYPES) {
    it(`${scamType}`, () => {
      for (const kind of [null, ...ENTITY_KINDS] as const) {
        const xarfClass = xarfClassOf(scamType, kind);
        const got = xarfClass.type === 'fraud' ? `fraud/${xarfClass.fraudType}` : xarfClass.type;
        expect(got, `${scamType} × ${kind ?? 'none'}`).toBe(EXPECTED[scamType][kind ?? 'none']);
      }
    });
  }

  it('a case without a scam type is other; a Meta impersonation is phishing, not government', () => {
    expect(xarfClassOf(null, null)).toEqual({
      category: 'content',
      type: 'fraud',
      fraudType: 'other',
    });
    const meta = xarfReport(
      facts({ scamType: 'impersonation', entity: { name: 'Meta', kind: 'company' } }),
    );
    expect(meta).toMatchObject({ category: 'content', type: 'phishing', target_brand: 'Meta' });
    expect(meta).not.toHaveProperty('fraud_type');
    const parcel = xarfReport(
      facts({ scamType: 'impersonation', entity: { name: 'Chunghwa Post', kind: 'company' } }),
    );
    expect(parcel.type).toBe('phishing');
    const police = xarfReport(
      facts({
        scamType: 'impersonation',
        entity: { name: 'National Police Agency', kind: 'agency' },
      }),
    );
    expect(police).toMatchObject({
      fraud_type: 'government_impersonation',
      claimed_entity: 'National Police Agency',
    });
  });
});

describe('xarfReport', () => {
  it('validates against the X-ARF v4 schemas for every scam type, entity kind, platform and indicator shape', () => {
    let checked = 0;
    for (const scamType of [...SCAM_TYPES, null]) {
      for (const kind of [null, ...ENTITY_KINDS]) {
        for (const platform of NOTICE_PLATFORMS) {
          for (const [shape, targets] of Object.entries(SHAPES)) {
            const report = xarfReport(
              facts({
                platform,
                targets,
                scamType,
                entity: kind === null ? null : { name: '網路家庭 PChome', kind },
              }),
            );
            expect(
              validate(report),
              `${String(scamType)} ${String(kind)} ${platform} ${shape}`,
            ).toEqual([]);
            expect(classOf(report)).toBe(EXPECTED[scamType ?? 'other'][kind ?? 'none']);
            checked += 1;
          }
        }
      }
    }
    expect(checked).toBe(11 * 4 * NOTICE_PLATFORMS.length * Object.keys(SHAPES).length);
  });

  it('names the content itself in url and source_identifier, never scamnet', () => {
    const line = xarfReport(
      facts({ platform: 'line', targets: [{ type: 'line_id', value: '@fastmoney88' }] }),
    );
    expect(line).toMatchObject({
      url: 'https://line.me/R/ti/p/%40fastmoney88',
      source_identifier: '@fastmoney88',
    });
    expect(line).not.toHaveProperty('domain');
    const personal = xarfReport(
      facts({ platform: 'line', targets: [{ type: 'line_id', value: 'scam_agent.88' }] }),
    );
    expect(personal.url).toBe('https://line.me/ti/p/~scam_agent.88');
    const phone = xarfReport(
      facts({ platform: 'line', targets: [{ type: 'phone', value: '+886912345678' }] }),
    );
    expect(phone).toMatchObject({ url: 'tel:+886912345678', source_identifier: '+886912345678' });
    const ad = xarfReport(facts());
    expect(ad).toMatchObject({
      url: 'https://www.facebook.com/ads/library/?id=987654321',
      source_identifier: 'https://www.facebook.com/ads/library/?id=987654321',
      domain: 'www.facebook.com',
    });
    expect(ad.scamnet_identifiers).toEqual([
      { type: 'url', value: 'https://www.facebook.com/ads/library/?id=987654321' },
      { type: 'ad_id', value: '987654321' },
    ]);
    expect(String(ad.description)).toContain('ad ID 987654321');
    const odd = xarfReport(facts({ targets: SHAPES['URL with "|{}^ and backtick'] ?? [] }));
    expect(odd.url).toBe(
      'https://www.facebook.com/a%22b%7Cc%7Bd%7De%5Ef%60g/?q=%3Cx%3E&y=%5B1%5D%7C',
    );
    expect(odd.source_identifier).toBe(odd.url);
    for (const report of [line, personal, phone, ad, odd]) {
      expect(JSON.stringify([report.url, report.source_identifier])).not.toContain('scamnet');
    }
  });

  it('describes the case from structured facts within 1,000 characters', () => {
    const many = Array.from({ length: 20 }, (_, i) =>
      urlTarget(`https://www.facebook.com/ads/library/?id=${9_000_000_000 + i}`),
    );
    const report = xarfReport(
      facts({
        targets: many,
        evidence: [
          {
            capturedAt: '2026-11-29T02:30:00.000Z',
            bodySha256: 'ab'.repeat(32),
            screenshotSha256: null,
          },
        ],
      }),
    );
    const description = String(report.description);
    expect(description.length).toBeLessThanOrEqual(1000);
    expect(description).toMatch(
      /^scamnet takedown notice N0123456789AB, case CABCDEF1234: confirmed fraud, Investment \(金融投資\), impersonating Hsieh Chin-ho \(public figure\)\. Remove from facebook by 2026-11-30T03:00:00.000Z \(UTC\): URL https:\/\/www\.facebook\.com\/ads\/library\/\?id=9000000000; ad ID 9000000000; /,
    );
    expect(description).toMatch(
      /and \d+ more \(scamnet_identifiers\)\. Reported 3 times 2026-11-28 to 2026-11-29\. Evidence SHA-256: (ab){32}\.$/,
    );
    expect(report.scamnet_evidence).toEqual([
      {
        captured_at: '2026-11-29T02:30:00.000Z',
        body_sha256: 'ab'.repeat(32),
        screenshot_sha256: null,
      },
    ]);
    expect(report.timestamp).toBe('2026-11-28T01:02:03.000Z');
    expect(validate(report)).toEqual([]);
  });

  it('refuses a notice with nothing to act on (409 notice_not_actionable)', () => {
    for (const targets of [
      [],
      [{ type: 'url', value: 'not canonical' }] satisfies NoticeTarget[],
    ]) {
      try {
        xarfReport(facts({ targets }));
        expect.unreachable();
      } catch (error) {
        expect(isAppError(error) && [error.status, error.code]).toEqual([
          409,
          'notice_not_actionable',
        ]);
      }
    }
  });

  it('every canonical URL, LINE ID, phone and entity name gives a valid report (fast-check)', () => {
    const printable = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 30,
    });
    const target = fc.oneof(
      fc
        .tuple(
          fc.constantFrom(
            'www.facebook.com',
            'www.例子.tw',
            'xn--fiqs8s.tw',
            'line.me',
            'www.tiktok.com',
            '127.0.0.1',
          ),
          printable,
          printable,
        )
        .map(([host, path, query]) => canonicalUrl(`https://${host}/${path}?${query}`))
        .filter((u): u is string => u !== null)
        .map((value): NoticeTarget => ({ type: 'url', value })),
      fc
        .stringMatching(/^@?[a-z0-9._-]{4,20}$/)
        .map((id) => canonicalLineId(id))
        .filter((id): id is string => id !== null)
        .map((value): NoticeTarget => ({ type: 'line_id', value })),
      fc
        .stringMatching(/^09\d{8}$/)
        .map((n) => canonicalPhone(n))
        .filter((n): n is string => n !== null)
        .map((value): NoticeTarget => ({ type: 'phone', value })),
    );
    fc.assert(
      fc.property(
        fc.array(target, { minLength: 1, maxLength: 25 }),
        fc.constantFrom(...SCAM_TYPES),
        fc.option(fc.tuple(fc.string({ minLength: 1 }), fc.constantFrom(...ENTITY_KINDS))),
        fc.constantFrom(...NOTICE_PLATFORMS),
        (targets, scamType, entity, platform) => {
          const report = xarfReport(
            facts({
              targets,
              scamType,
              platform,
              entity: entity === null ? null : { name: entity[0], kind: entity[1] },
            }),
          );
          expect(validate(report)).toEqual([]);
          const first = targets[0];
          expect(report.url).toBe(first === undefined ? undefined : targetUri(first));
        },
      ),
      { numRuns: 500 },
    );
  });
});
