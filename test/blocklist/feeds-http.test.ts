import { createHash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { adminHeaders, testDialects, useTestApp } from '../harness.js';
import { checkMispEvent, checkMispHashes, checkMispManifest } from './misp-format.js';
import { checkStixIdentity, checkStixVersions, type VersionedObject } from './stix-identity.js';
import { haveStixValidators, validateStixBundle } from './stix-validator.js';

interface Indicator extends VersionedObject {
  pattern: string;
  name: string;
  description: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FEEDS = '/api/v1/blocklist/feeds';
const validators = haveStixValidators('STIX validation of the HTTP feeds');

describe.each(testDialects())('blocklist feeds over HTTP on %s', (dialect) => {
  const ctx = useTestApp(dialect, { env: { FEED_REVOCATION_DAYS: '30' } });

  const post = (url: string, payload: Record<string, unknown>) =>
    ctx.app.inject({ method: 'POST', url, payload, headers: adminHeaders });
  const get = (url: string) => ctx.app.inject({ url });

  async function block(
    domain: string,
    caseIds: string[] = [],
    requestingUnit = '刑事警察局',
  ): Promise<string> {
    const proposed = await post('/api/v1/blocklist/entries', { domain, caseIds });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const id: string = proposed.json().entry.id;
    const activated = await post(`/api/v1/blocklist/entries/${id}/activate`, {
      legalBasis: { kind: 'court_ruling', reference: '115年度聲字第9號', date: '2026-11-28' },
      requestingUnit,
    });
    expect(activated.statusCode, activated.body).toBe(200);
    return id;
  }

  async function stix(): Promise<{ text: string; indicators: Indicator[] }> {
    const res = await get(`${FEEDS}/stix.json`);
    expect(res.statusCode).toBe(200);
    const objects: Indicator[] = res.json().objects;
    checkStixIdentity(objects);
    if (validators) expect(validateStixBundle(res.body).errors).toEqual([]);
    return { text: res.body, indicators: objects.filter((o) => o.type === 'indicator') };
  }

  async function misp() {
    const manifest = (await get(`${FEEDS}/misp/manifest.json`)).json();
    checkMispManifest(manifest);
    const [uuid] = Object.keys(manifest);
    const event = (await get(`${FEEDS}/misp/${uuid}.json`)).json();
    checkMispEvent(event);
    const hashes = await get(`${FEEDS}/misp/hashes.csv`);
    expect(hashes.statusCode).toBe(200);
    checkMispHashes(hashes.body, event);
    expect(event.Event.timestamp).toBe(manifest[uuid ?? ''].timestamp);
    const attributes: { uuid: string; value: string; deleted: boolean; timestamp: string }[] =
      event.Event.Attribute;
    return { timestamp: Number(event.Event.timestamp), attributes, hashes: hashes.body };
  }

  const hostile = 'https://shop.nested-scam.com.tw/pay?q="a"|{b}^`c`&r=<x>';
  let sub = '';
  let lifted = '';
  let first: Indicator[] = [];

  it('publishes nested domains, one object per ID, URL values as RFC 3986 URIs', async () => {
    const report = await post('/api/v1/reports', { url: hostile, platform: 'website' });
    expect(report.statusCode, report.body).toBe(201);
    const caseId: string = report.json().case.id;
    await post(`/api/v1/cases/${caseId}/verdict`, { verdict: 'fraud' });
    await block('nested-scam.com.tw', [caseId]);
    sub = await block('shop.nested-scam.com.tw', [caseId]);
    lifted = await block('lifted-scam.com.tw');

    const { indicators } = await stix();
    first = indicators;
    const urls = indicators.filter((o) => o.pattern.startsWith('[url:'));
    expect(urls.map((o) => o.pattern)).toEqual([
      "[url:value = 'https://shop.nested-scam.com.tw/pay?q=%22a%22%7C%7Bb%7D%5E%60c%60&r=%3Cx%3E']",
    ]);
    expect(urls[0]?.description).toMatch(/115年度聲字第9號/);
    expect(indicators.map((o) => o.pattern).filter((p) => p.startsWith('[domain'))).toEqual([
      "[domain-name:value = 'lifted-scam.com.tw']",
      "[domain-name:value = 'nested-scam.com.tw']",
      "[domain-name:value = 'shop.nested-scam.com.tw']",
    ]);
    const json = (await get(`${FEEDS}/entries.json`)).json();
    expect(json.entries.map((e: { urls: string[] }) => e.urls).flat()).toEqual([
      'https://shop.nested-scam.com.tw/pay?q=%22a%22%7C%7Bb%7D%5E%60c%60&r=%3Cx%3E',
      'https://shop.nested-scam.com.tw/pay?q=%22a%22%7C%7Bb%7D%5E%60c%60&r=%3Cx%3E',
    ]);

    // Rendering again changes nothing: same IDs, versions and bytes.
    const again = await get(`${FEEDS}/stix.json`);
    const before = await get(`${FEEDS}/stix.json`);
    expect(again.body).toBe(before.body);
    expect(again.headers.etag).toBe(before.headers.etag);
  });

  it('a lifted entry stays in STIX as revoked (same ID and created) and in MISP as deleted', async () => {
    const { timestamp: before, attributes: attributesBefore } = await misp();
    ctx.clock.advance(HOUR);
    const res = await post(`/api/v1/blocklist/entries/${lifted}/lift`, { note: 'appeal upheld' });
    expect(res.statusCode).toBe(200);

    const { indicators } = await stix();
    checkStixVersions(first, indicators);
    const old = first.find((o) => o.pattern === "[domain-name:value = 'lifted-scam.com.tw']");
    const now = indicators.find((o) => o.id === old?.id);
    expect(now).toMatchObject({ revoked: true, created: old?.created });
    expect(now?.modified ?? '').toBe(new Date(ctx.clock.now()).toISOString());
    expect((now?.modified ?? '') > (old?.modified ?? '')).toBe(true);

    const { timestamp, attributes, hashes } = await misp();
    expect(timestamp).toBeGreaterThan(before);
    const deleted = attributes.filter((a) => a.deleted);
    expect(deleted.map((a) => a.value)).toEqual(['lifted-scam.com.tw']);
    expect(deleted[0]?.uuid).toBe(
      attributesBefore.find((a) => a.value === 'lifted-scam.com.tw')?.uuid,
    );
    expect(hashes).not.toContain(createHash('md5').update('lifted-scam.com.tw').digest('hex'));

    const json = (await get(`${FEEDS}/entries.json`)).json();
    expect(json.revoked).toEqual([
      {
        id: lifted,
        domain: 'lifted-scam.com.tw',
        state: 'lifted',
        endedAt: new Date(ctx.clock.now()).toISOString(),
      },
    ]);
    expect((await get(`${FEEDS}/hosts.txt`)).body).not.toContain('lifted-scam.com.tw');
  });

  it('blocked again: a new ID, the revoked one stays revoked', async () => {
    const { indicators: before } = await stix();
    ctx.clock.advance(HOUR);
    await block('lifted-scam.com.tw');
    // Concurrent first renders after the change write the ledger once (zone lock, unique index).
    const renders = await Promise.all(
      ['stix.json', 'stix.json', 'misp/manifest.json', 'stix.json'].map((f) =>
        get(`${FEEDS}/${f}`),
      ),
    );
    expect(renders.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(renders[1]?.body).toBe(renders[0]?.body);
    expect(renders[3]?.body).toBe(renders[0]?.body);
    const { indicators } = await stix();
    checkStixVersions(before, indicators);
    const both = indicators.filter(
      (o) => o.pattern === "[domain-name:value = 'lifted-scam.com.tw']",
    );
    expect(both.map((o) => o.revoked ?? false)).toEqual([true, false]);
    expect(both[1]?.created).toBe(new Date(ctx.clock.now()).toISOString());
    expect(both[0]?.id).not.toBe(both[1]?.id);
    const { attributes } = await misp();
    const values = attributes.filter((a) => a.value === 'lifted-scam.com.tw');
    expect(values.map((a) => a.deleted)).toEqual([true, false]);
    expect(values[0]?.uuid).not.toBe(values[1]?.uuid);
  });

  it('a sub-domain entry on appeal: its domain indicator is revoked, the URL passes to the parent entry', async () => {
    const { indicators: before } = await stix();
    const url = before.find((o) => o.pattern.startsWith('[url:'));
    ctx.clock.advance(HOUR);
    await post(`/api/v1/blocklist/entries/${sub}/appeal`, { note: 'owner contests' });
    const { indicators } = await stix();
    checkStixVersions(before, indicators);
    expect(
      indicators.find((o) => o.pattern === "[domain-name:value = 'shop.nested-scam.com.tw']")
        ?.revoked,
    ).toBe(true);
    const moved = indicators.find((o) => o.id === url?.id);
    expect(moved?.revoked).toBeUndefined();
    expect((moved?.modified ?? '') > (url?.modified ?? '')).toBe(true);
    expect(url?.name).toBe('Scam URL on shop.nested-scam.com.tw');
    expect(moved?.name).toBe('Scam URL on nested-scam.com.tw');
    expect(indicators.filter((o) => o.pattern.startsWith('[url:'))).toHaveLength(1);
  });

  it('revocations leave the STIX and MISP feeds after FEED_REVOCATION_DAYS', async () => {
    const { indicators: before } = await stix();
    expect(before.filter((o) => o.revoked === true)).toHaveLength(2);
    ctx.clock.advance(29 * DAY);
    expect((await stix()).indicators.filter((o) => o.revoked === true)).toHaveLength(2);
    ctx.clock.advance(2 * DAY);
    const { indicators } = await stix();
    checkStixVersions(before, indicators);
    expect(indicators.filter((o) => o.revoked === true)).toEqual([]);
    expect(indicators).toHaveLength(before.length - 2);
    const { timestamp, attributes } = await misp();
    expect(attributes.filter((a) => a.deleted)).toEqual([]);
    // The event's timestamp never goes back, so MISP never skips a later change.
    expect(timestamp * 1000).toBeGreaterThanOrEqual(Date.parse(before[0]?.modified ?? ''));
    expect((await get(`${FEEDS}/entries.json`)).json().revoked).toEqual([]);
  });

  it('entries.csv defuses formula cells and writes a BOM on request', async () => {
    await block('formula-scam.com.tw', [], '=HYPERLINK("http://evil.example","x")');
    const csv = await get(`${FEEDS}/entries.csv`);
    const rows: Record<string, string>[] = parseCsv(csv.body, { columns: true });
    expect(rows.find((r) => r.domain === 'formula-scam.com.tw')?.requesting_unit).toBe(
      `'=HYPERLINK("http://evil.example","x")`,
    );
    const excel = await get(`${FEEDS}/entries.csv?bom=true`);
    expect(excel.body).toBe(`\uFEFF${csv.body}`);
    expect((await get(`${FEEDS}/entries.csv?bom=maybe`)).statusCode).toBe(400);
  });

  it.each([
    ['BPROTECTED000', 'facebook.com'],
    ['BRPZIP0000000', '1.0.0.0.0.rpz-ip'],
    ['BRPZNSDNAME00', 'org.rpz-nsdname'],
    ['BNOTLD0000000', 'shop.no-such-tld-zz'],
  ])(
    "the zone's rules apply at render time: active entry %s (%s) stored before them is withheld everywhere",
    async (id, domain) => {
      // An entry activated before the protected list named its domain or before the RPZ-label
      // and TLD rules existed (written as such a row).
      await ctx.deps.db
        .insertInto('blocklist_entries')
        .values({
          id,
          domain,
          tree_key: `${domain.split('.').reverse().join('.')}.`,
          state: 'active',
          legal_basis: 'court_ruling',
          legal_reference: 'x',
          legal_date: '2026-11-01',
          requesting_unit: 'x',
          site_type: null,
          effective_at: '2026-11-01T00:00:00.000Z',
          expires_at: null,
          source: 'api',
          external_id: null,
          note: null,
          created_at: '2026-11-01T00:00:00.000Z',
          updated_at: '2026-11-01T00:00:00.000Z',
        })
        .execute();
      for (const file of ['hosts.txt', 'adblock.txt', 'entries.csv', 'stix.json']) {
        expect((await get(`${FEEDS}/${file}`)).body, file).not.toContain(domain);
      }
      expect((await get('/api/v1/blocklist/rpz.zone')).body).not.toContain(domain);
      const { attributes } = await misp();
      expect(attributes.map((a) => a.value)).not.toContain(domain);
      const json = (await get(`${FEEDS}/entries.json`)).json();
      expect(json.entries.map((e: { domain: string }) => e.domain)).not.toContain(domain);
      expect(json.revoked).toContainEqual({ id, domain, state: 'withheld', endedAt: null });
    },
  );

  it('every feed route is in the OpenAPI document; other MISP files are 404', async () => {
    const doc = (await get('/openapi.json')).json();
    for (const file of ['misp/hashes.csv', 'misp/manifest.json', 'stix.json', 'entries.csv']) {
      expect(Object.keys(doc.paths)).toContain(`${FEEDS}/${file}`);
    }
    expect((await get(`${FEEDS}/misp/other.json`)).statusCode).toBe(404);
  });
});
