import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  CSV_COLUMNS,
  MISP_EVENT_UUID,
  adblockFeed,
  csvFeed,
  hostsFeed,
  jsonFeed,
  mispEvent,
  mispManifest,
  stixBundle,
  uuidV5,
  type FeedEntry,
} from '../../src/blocklist/index.js';

const GOLDEN = path.join(import.meta.dirname, 'golden');
const ctx = { serial: 1795917600 };
// Two real 165 DNS-suspended shop domains (strings only) and a hand-made row with awkward text.
const entries: FeedEntry[] = [
  {
    id: 'B0000000000A1',
    domain: 'onlytoppc24.com',
    state: 'active',
    legalBasis: {
      kind: 'administrative_disposition',
      reference: '詐欺犯罪危害防制條例',
      date: '2025-12-01',
    },
    requestingUnit: '刑事警察局詐欺犯罪防制中心',
    siteType: '電子商務',
    effectiveAt: '2025-11-30T16:00:00.000Z',
    expiresAt: null,
    source: 'tw165',
    externalId: 'suspended:2025-12:onlytoppc24.com',
    note: null,
    caseIds: ['C0000000001', 'C0000000002'],
    createdAt: '2026-11-29T02:00:00.000Z',
    updatedAt: '2026-11-29T02:00:00.000Z',
    urls: ['https://onlytoppc24.com/ucy9mf2#/login', "https://www.onlytoppc24.com/it's"],
  },
  {
    id: 'B0000000000B2',
    domain: 'quote-test.example',
    state: 'active',
    legalBasis: { kind: 'court_ruling', reference: '115年度聲字第1號, "急"', date: '2026-11-20' },
    requestingUnit: 'Unit, with comma',
    siteType: null,
    effectiveAt: '2026-11-21T00:00:00.000Z',
    expiresAt: '2027-11-21T00:00:00.000Z',
    source: 'api',
    externalId: null,
    note: null,
    caseIds: [],
    createdAt: '2026-11-20T00:00:00.000Z',
    updatedAt: '2026-11-21T00:00:00.000Z',
    urls: [],
  },
];

const outputs: Record<string, string> = {
  'hosts.txt': hostsFeed(entries, ctx),
  'adblock.txt': adblockFeed(entries, ctx),
  'entries.csv': csvFeed(entries),
  'entries.json': jsonFeed(entries, ctx),
  'stix.json': stixBundle(entries, ctx),
  'misp-manifest.json': mispManifest(entries, ctx),
  'misp-event.json': mispEvent(entries, ctx),
};

if (process.env.UPDATE_GOLDEN === '1') {
  for (const [name, text] of Object.entries(outputs)) {
    writeFileSync(path.join(GOLDEN, `feed-${name}.golden`), text);
  }
}

describe('blocklist feeds', () => {
  for (const [name, text] of Object.entries(outputs)) {
    it(`${name} matches its golden file`, () => {
      expect(text).toBe(readFileSync(path.join(GOLDEN, `feed-${name}.golden`), 'utf8'));
    });
  }

  it('hosts and adblock lines parse back to the domains', () => {
    const hosts = outputs['hosts.txt']
      ?.split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => /^0\.0\.0\.0 ([a-z0-9.-]+)$/.exec(l)?.[1]);
    expect(hosts).toEqual(['onlytoppc24.com', 'quote-test.example']);
    const adblock = outputs['adblock.txt']
      ?.split('\n')
      .filter((l) => l.startsWith('||'))
      .map((l) => /^\|\|([a-z0-9.-]+)\^$/.exec(l)?.[1]);
    expect(adblock).toEqual(['onlytoppc24.com', 'quote-test.example']);
  });

  it('CSV parses back with csv-parse (quotes, commas, Chinese text)', () => {
    const rows: Record<string, string>[] = parseCsv(outputs['entries.csv'] ?? '', {
      columns: true,
    });
    expect(Object.keys(rows[0] ?? {})).toEqual([...CSV_COLUMNS]);
    expect(rows[1]).toMatchObject({
      domain: 'quote-test.example',
      legal_reference: '115年度聲字第1號, "急"',
      requesting_unit: 'Unit, with comma',
      expires_at: '2027-11-21T00:00:00.000Z',
    });
    expect(rows[0]?.case_ids).toBe('C0000000001 C0000000002');
  });

  it('STIX 2.1: a bundle of indicators with valid patterns and stable IDs', () => {
    const bundle = JSON.parse(outputs['stix.json'] ?? '{}') as {
      type: string;
      id: string;
      objects: Record<string, unknown>[];
    };
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
    const indicators = bundle.objects.filter((o) => o.type === 'indicator');
    expect(indicators).toHaveLength(4);
    // STIX 2.1 §2.7 comparison expressions: [object-type:property = 'string'] with \' and \\ escapes.
    const pattern = /^\[(domain-name|url):value = '((?:[^'\\]|\\['\\])*)'\]$/;
    for (const o of indicators) {
      expect(o).toMatchObject({ spec_version: '2.1', pattern_type: 'stix' });
      expect(String(o.id)).toMatch(
        /^indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(String(o.pattern)).toMatch(pattern);
      for (const key of ['created', 'modified', 'valid_from']) {
        expect(String(o[key])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      }
    }
    const quoted = indicators.find((o) => String(o.pattern).includes('it'));
    expect(quoted?.pattern).toBe("[url:value = 'https://www.onlytoppc24.com/it\\'s']");
    expect(indicators[0]?.id).toBe(
      `indicator--${uuidV5("[domain-name:value = 'onlytoppc24.com']")}`,
    );
    expect(indicators.find((o) => o.valid_until !== undefined)?.valid_until).toBe(
      '2027-11-21T00:00:00.000Z',
    );
  });

  it('MISP feed: the manifest lists the event file, whose attributes are the domains and URLs', () => {
    const manifest = JSON.parse(outputs['misp-manifest.json'] ?? '{}') as Record<
      string,
      { timestamp: string; info: string }
    >;
    expect(Object.keys(manifest)).toEqual([MISP_EVENT_UUID]);
    const event = JSON.parse(outputs['misp-event.json'] ?? '{}') as {
      Event: { uuid: string; timestamp: string; Attribute: { type: string; value: string }[] };
    };
    expect(event.Event.uuid).toBe(MISP_EVENT_UUID);
    expect(event.Event.timestamp).toBe(manifest[MISP_EVENT_UUID]?.timestamp);
    expect(event.Event.Attribute.map((a) => [a.type, a.value])).toEqual([
      ['domain', 'onlytoppc24.com'],
      ['url', 'https://onlytoppc24.com/ucy9mf2#/login'],
      ['url', "https://www.onlytoppc24.com/it's"],
      ['domain', 'quote-test.example'],
    ]);
  });

  it('uuidV5 matches the RFC 9562 test vector', () => {
    // RFC 9562 Appendix A.4: UUIDv5 of "www.example.com" in the DNS namespace.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
});
