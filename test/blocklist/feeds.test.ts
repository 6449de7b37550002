import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CSV_COLUMNS,
  MISP_EVENT_UUID,
  adblockFeed,
  csvFeed,
  hostsFeed,
  jsonFeed,
  mispEvent,
  mispHashes,
  mispManifest,
  nextVersionTime,
  planIndicators,
  stixBundle,
  uuidV5,
  wantedIndicators,
  type FeedEntry,
  type FeedIndicator,
  type IndicatorFeedContext,
} from '../../src/blocklist/index.js';
import { canonicalUrl, rfc3986Uri } from '../../src/indicators/index.js';
import { checkMispEvent, checkMispHashes, checkMispManifest } from './misp-format.js';
import { haveStixValidators, validateStixBundle } from './stix-validator.js';
import { checkStixIdentity } from './stix-identity.js';

const GOLDEN = path.join(import.meta.dirname, 'golden');
const ctx = { serial: 1795917600 };

/** The RFC 3986 form of the canonical form of `raw`, as feedSnapshot gives the feeds. */
function uri(raw: string): string {
  const value = rfc3986Uri(canonicalUrl(raw) ?? '');
  if (value === null) throw new Error(`not a URL: ${raw}`);
  return value;
}

/** Every ASCII punctuation character but `#` (which starts a fragment: not part of a URL here). */
const PUNCTUATION = `!"$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`;

function entry(
  overrides: Partial<FeedEntry> & Pick<FeedEntry, 'id' | 'domain' | 'urls'>,
): FeedEntry {
  return {
    state: 'active',
    legalBasis: { kind: 'court_ruling', reference: '115年度聲字第1號', date: '2026-11-20' },
    requestingUnit: '刑事警察局',
    siteType: null,
    effectiveAt: '2026-11-21T00:00:00.000Z',
    expiresAt: null,
    source: 'api',
    externalId: null,
    note: null,
    caseIds: [],
    createdAt: '2026-11-20T00:00:00.000Z',
    updatedAt: '2026-11-21T00:00:00.000Z',
    ...overrides,
  };
}

// Two real 165 DNS-suspended shop domains (strings only), a sub-domain entry under one of them
// sharing a URL with it, an IDN, hostile URLs and hostile text for the CSV.
const shared = uri('https://shop.onlytoppc24.com/pay?id=1');
const entries: FeedEntry[] = [
  entry({
    id: 'B0000000000A1',
    domain: 'onlytoppc24.com',
    legalBasis: {
      kind: 'administrative_disposition',
      reference: '詐欺犯罪危害防制條例',
      date: '2025-12-01',
    },
    requestingUnit: '刑事警察局詐欺犯罪防制中心',
    siteType: '電子商務',
    effectiveAt: '2025-11-30T16:00:00.000Z',
    externalId: 'suspended:2025-12:onlytoppc24.com',
    source: 'tw165',
    caseIds: ['C0000000001', 'C0000000002'],
    urls: [uri('https://onlytoppc24.com/ucy9mf2'), shared, uri("https://www.onlytoppc24.com/it's")],
  }),
  entry({
    id: 'B0000000000A2',
    domain: 'shop.onlytoppc24.com',
    caseIds: ['C0000000002'],
    urls: [shared],
  }),
  entry({
    id: 'B0000000000B2',
    domain: 'quote-test.example',
    legalBasis: { kind: 'court_ruling', reference: '115年度聲字第1號, "急"', date: '2026-11-20' },
    requestingUnit: '=HYPERLINK("http://evil.example","click")',
    siteType: '@SUM(1+1)',
    expiresAt: '2027-11-21T00:00:00.000Z',
    urls: [],
  }),
  entry({
    id: 'B0000000000C3',
    domain: 'hostile.example',
    urls: [
      uri(`http://hostile.example/${PUNCTUATION}?q=${PUNCTUATION}`),
      uri("https://hostile.example/a'b\\'c?x=\\'"),
    ],
  }),
  entry({
    id: 'B0000000000D4',
    domain: 'xn--g2xv08c.xn--kpry57d',
    urls: [uri('https://購物.台灣/路徑?q=詐騙')],
  }),
];

/** Version-4-shaped UUIDs 00000000-0000-4000-8000-00000000000n, in order. */
function idCounter(): () => string {
  let n = 0;
  return () => {
    n += 1;
    return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  };
}

/** The ledger after a history: publish all, lift quote-test, change A1, re-block quote-test. */
function history(): { indicators: FeedIndicator[]; ctx: IndicatorFeedContext } {
  const newId = idCounter();
  const t0 = Date.parse('2026-11-29T02:00:00.000Z');
  const ledger = new Map<string, FeedIndicator>();
  const apply = (wanted: readonly FeedEntry[], now: number) => {
    const open = [...ledger.values()].filter((i) => i.revokedAt === null);
    const plan = planIndicators(wantedIndicators(wanted), open, now, newId);
    for (const row of [...plan.insert, ...plan.update, ...plan.revoke]) ledger.set(row.id, row);
  };
  apply(entries, t0);
  apply(
    entries.filter((e) => e.domain !== 'quote-test.example'),
    t0 + 3_600_000,
  );
  const changed = entries.map((e) =>
    e.id === 'B0000000000A1' ? { ...e, expiresAt: '2027-12-01T00:00:00.000Z' } : e,
  );
  apply(
    changed.filter((e) => e.domain !== 'quote-test.example'),
    t0 + 7_200_000,
  );
  apply(changed, t0 + 10_800_000);
  const indicators = [...ledger.values()].sort((a, b) =>
    `${a.kind} ${a.value} ${a.created}` < `${b.kind} ${b.value} ${b.created}` ? -1 : 1,
  );
  const times = indicators.flatMap((i) => [i.created, i.modified]).sort();
  return {
    indicators,
    ctx: { firstPublished: times[0] ?? null, latestChange: times.at(-1) ?? null },
  };
}

const ledger = history();
const outputs: Record<string, string> = {
  'hosts.txt': hostsFeed(entries, ctx),
  'adblock.txt': adblockFeed(entries, ctx),
  'entries.csv': csvFeed(entries),
  'entries.json': jsonFeed(entries, {
    ...ctx,
    revocationDays: 30,
    ended: [
      {
        id: 'B0000000000Z9',
        domain: 'lifted.example',
        state: 'lifted',
        endedAt: '2026-11-28T00:00:00.000Z',
      },
    ],
  }),
  'stix.json': stixBundle(ledger.indicators, ledger.ctx),
  'misp-manifest.json': mispManifest(ledger.ctx),
  'misp-event.json': mispEvent(ledger.indicators, ledger.ctx),
  'misp-hashes.csv': mispHashes(ledger.indicators),
};

if (process.env.UPDATE_GOLDEN === '1') {
  for (const [name, text] of Object.entries(outputs)) {
    writeFileSync(path.join(GOLDEN, `feed-${name}.golden`), text);
  }
}

interface StixObject {
  type: string;
  id: string;
  created: string;
  modified: string;
  revoked?: boolean;
  pattern?: string;
  valid_from?: string;
  valid_until?: string;
}

function parseBundle(text: string): { type: string; id: string; objects: StixObject[] } {
  return JSON.parse(text);
}

describe('blocklist feeds', () => {
  for (const [name, text] of Object.entries(outputs)) {
    it(`${name} matches its golden file`, () => {
      expect(text).toBe(readFileSync(path.join(GOLDEN, `feed-${name}.golden`), 'utf8'));
    });
  }

  it('hosts and adblock lines parse back to the domains', () => {
    const domains = entries.map((e) => e.domain);
    const hosts = outputs['hosts.txt']
      ?.split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => /^0\.0\.0\.0 ([a-z0-9.-]+)$/.exec(l)?.[1]);
    expect(hosts).toEqual(domains);
    const adblock = outputs['adblock.txt']
      ?.split('\n')
      .filter((l) => l.startsWith('||'))
      .map((l) => /^\|\|([a-z0-9.-]+)\^$/.exec(l)?.[1]);
    expect(adblock).toEqual(domains);
  });

  it('CSV parses back with csv-parse; formula cells are defused', () => {
    const rows: Record<string, string>[] = parseCsv(outputs['entries.csv'] ?? '', {
      columns: true,
    });
    expect(Object.keys(rows[0] ?? {})).toEqual([...CSV_COLUMNS]);
    expect(rows[2]).toMatchObject({
      domain: 'quote-test.example',
      legal_reference: '115年度聲字第1號, "急"',
      requesting_unit: `'=HYPERLINK("http://evil.example","click")`,
      site_type: "'@SUM(1+1)",
      expires_at: '2027-11-21T00:00:00.000Z',
    });
    expect(rows[0]?.case_ids).toBe('C0000000001 C0000000002');
    for (const row of rows) {
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(csvFeed(entries, { bom: true })).toBe(`\uFEFF${outputs['entries.csv'] ?? ''}`);
  });

  it('JSON feed: URLs are RFC 3986 URIs; the entries that ended are listed', () => {
    const feed = JSON.parse(outputs['entries.json'] ?? '{}');
    const urls: string[] = feed.entries.flatMap((e: { urls: string[] }) => e.urls);
    expect(urls.length).toBeGreaterThan(3);
    for (const url of urls) expect(url).toMatch(/^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/);
    expect(feed.revoked).toEqual([
      {
        id: 'B0000000000Z9',
        domain: 'lifted.example',
        state: 'lifted',
        endedAt: '2026-11-28T00:00:00.000Z',
      },
    ]);
    expect(feed.revocationDays).toBe(30);
  });

  it('a URL under a domain and its sub-domain entry is one indicator, of the sub-domain', () => {
    const wanted = wantedIndicators(entries).filter((w) => w.value === shared);
    expect(wanted).toHaveLength(1);
    expect(wanted[0]?.content.entryId).toBe('B0000000000A2');
    const keys = wantedIndicators(entries).map((w) => `${w.kind} ${w.value}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('ledger: IDs and created never change; a revoked ID is never reused; versions increase', () => {
    const newId = idCounter();
    const t0 = Date.parse('2026-11-29T02:00:00.000Z');
    const first = planIndicators(wantedIndicators(entries), [], t0, newId);
    expect(first.update).toEqual([]);
    expect(first.revoke).toEqual([]);
    const open = [...first.insert];
    expect(
      open.every((i) => i.created === '2026-11-29T02:00:00.000Z' && i.modified === i.created),
    ).toBe(true);
    // Same content at the same instant: nothing to write.
    expect(planIndicators(wantedIndicators(entries), open, t0, newId)).toEqual({
      insert: [],
      update: [],
      revoke: [],
    });
    // Lifted in the same millisecond: the revocation is still a later version, a second on.
    const without = entries.filter((e) => e.domain !== 'quote-test.example');
    const lifted = planIndicators(wantedIndicators(without), open, t0, newId);
    expect(lifted.insert).toEqual([]);
    expect(lifted.revoke).toHaveLength(1);
    const revoked = lifted.revoke[0];
    const before = open.find((i) => i.id === revoked?.id);
    expect(revoked).toMatchObject({
      value: 'quote-test.example',
      created: before?.created,
      modified: '2026-11-29T02:00:01.000Z',
      revokedAt: '2026-11-29T02:00:01.000Z',
    });
    // Blocked again: a new ID (STIX 2.1 §3.2), the revoked one stays revoked.
    const stillOpen = open.filter((i) => i.id !== revoked?.id);
    const again = planIndicators(wantedIndicators(entries), stillOpen, t0 + 5000, newId);
    expect(again.insert).toHaveLength(1);
    expect(again.insert[0]?.id).not.toBe(revoked?.id);
    expect(again.insert[0]?.created).toBe('2026-11-29T02:00:05.000Z');
    // A changed entry: the same ID and created, a later modified.
    const changed = entries.map((e) =>
      e.domain === 'hostile.example' ? { ...e, siteType: '釣魚網站' } : e,
    );
    const update = planIndicators(wantedIndicators(changed), open, t0 + 1, newId).update;
    expect(update.map((i) => i.content.domain)).toEqual([
      'hostile.example',
      'hostile.example',
      'hostile.example',
    ]);
    for (const u of update) {
      const old = open.find((i) => i.id === u.id);
      expect(u.created).toBe(old?.created);
      expect(u.modified > (old?.modified ?? '')).toBe(true);
    }
  });

  it('nextVersionTime: the next whole second at least, so MISP timestamps increase too', () => {
    expect(
      nextVersionTime('2026-01-01T00:00:00.900Z', Date.parse('2026-01-01T00:00:00.950Z')),
    ).toBe('2026-01-01T00:00:01.000Z');
    expect(
      nextVersionTime('2026-01-01T00:00:00.000Z', Date.parse('2026-01-01T00:00:07.250Z')),
    ).toBe('2026-01-01T00:00:07.250Z');
  });

  it('STIX 2.1: one object per ID, created stable, revoked versions; patterns escape quotes', () => {
    const bundle = parseBundle(outputs['stix.json'] ?? '{}');
    checkStixIdentity(bundle.objects);
    const revoked = bundle.objects.filter((o) => o.revoked === true);
    expect(revoked.map((o) => o.pattern)).toEqual(["[domain-name:value = 'quote-test.example']"]);
    const reblocked = bundle.objects.filter(
      (o) => o.pattern === "[domain-name:value = 'quote-test.example']",
    );
    expect(reblocked).toHaveLength(2);
    expect(reblocked[0]?.id).not.toBe(reblocked[1]?.id);
    expect(revoked[0]?.valid_until).toBe(revoked[0]?.modified);
    const quoted = bundle.objects.find((o) => o.pattern?.includes('it'));
    expect(quoted?.pattern).toBe("[url:value = 'https://www.onlytoppc24.com/it\\'s']");
    const urlValues = bundle.objects.flatMap((o) => {
      const match = /^\[url:value = '((?:[^'\\]|\\['\\])*)'\]$/.exec(o.pattern ?? '');
      return match?.[1] === undefined ? [] : [match[1].replace(/\\(['\\])/g, '$1')];
    });
    expect(urlValues.length).toBeGreaterThan(4);
    // RFC 3986 characters only: no ", |, {, }, ^, `, <, >, backslash or non-ASCII left unescaped.
    for (const value of urlValues) expect(value).toMatch(/^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/);
  });

  it.runIf(haveStixValidators('STIX schema and pattern validation'))(
    'STIX 2.1: every object passes the OASIS schemas and every pattern the OASIS validator',
    () => {
      const result = validateStixBundle(outputs['stix.json'] ?? '');
      expect(result.errors).toEqual([]);
      const indicators = ledger.indicators.length;
      expect(result).toMatchObject({ objects: indicators + 1, patterns: indicators });
      expect(result.observables).toBe(indicators);
      // The validator rejects what it should: the old, unescaped URL form.
      const raw = outputs['stix.json']?.replace('%7C', '|') ?? '';
      expect(validateStixBundle(raw).errors.join('\n')).toMatch(/is not a 'uri'/);
    },
  );

  it.runIf(haveStixValidators('STIX validation of random URLs'))(
    'STIX 2.1: URLs of any printable ASCII pass the OASIS validators',
    () => {
      const printable = fc.string({
        unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
        maxLength: 30,
      });
      const urls = fc
        .sample(fc.tuple(printable, printable), { numRuns: 300, seed: 11 })
        .flatMap(([p, q]) => {
          const canonical = canonicalUrl(`http://random.example/${p}?${q}`);
          const value = canonical === null ? null : rfc3986Uri(canonical);
          return value === null ? [] : [value];
        });
      const random = entry({ id: 'B00000000000R', domain: 'random.example', urls });
      const plan = planIndicators(
        wantedIndicators([random]),
        [],
        Date.parse('2026-11-29T00:00:00Z'),
        idCounter(),
      );
      const result = validateStixBundle(stixBundle(plan.insert, { firstPublished: null }));
      expect(result.errors).toEqual([]);
      expect(result.patterns).toBe(plan.insert.length);
    },
  );

  it('MISP feed: the core format fields, unique attribute UUIDs, deletions, hashes.csv', () => {
    const manifest = JSON.parse(outputs['misp-manifest.json'] ?? '{}');
    const event = JSON.parse(outputs['misp-event.json'] ?? '{}');
    checkMispManifest(manifest);
    checkMispEvent(event);
    expect(Object.keys(manifest)).toEqual([MISP_EVENT_UUID]);
    expect(event.Event.uuid).toBe(MISP_EVENT_UUID);
    expect(event.Event.timestamp).toBe(manifest[MISP_EVENT_UUID]?.timestamp);
    expect(event.Event.timestamp).toBe(
      String(Math.floor(Date.parse(ledger.ctx.latestChange ?? '') / 1000)),
    );
    const attributes: { type: string; value: string; deleted: boolean }[] = event.Event.Attribute;
    expect(attributes.filter((a) => a.deleted).map((a) => a.value)).toEqual(['quote-test.example']);
    expect(attributes.filter((a) => a.value === shared)).toHaveLength(1);
    checkMispHashes(outputs['misp-hashes.csv'] ?? '', event);
    expect(outputs['misp-hashes.csv']?.split('\n')[0]).toBe(
      `${createHash('md5')
        .update(attributes.find((a) => !a.deleted)?.value ?? '')
        .digest('hex')},${MISP_EVENT_UUID}`,
    );
  });

  it('uuidV5 matches the RFC 9562 test vector', () => {
    // RFC 9562 Appendix A.4: UUIDv5 of "www.example.com" in the DNS namespace.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
});
