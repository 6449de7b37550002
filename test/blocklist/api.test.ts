import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { adminHeaders, testDialects, useTestApp } from '../harness.js';
import { postReport } from '../factories.js';

describe.each(testDialects())('blocklist HTTP API on %s', (dialect) => {
  const ctx = useTestApp(dialect);
  let entryId = '';
  let caseId = '';

  const post = (
    url: string,
    payload: Record<string, unknown>,
    headers: Record<string, string> = adminHeaders,
  ) => ctx.app.inject({ method: 'POST', url, payload, headers });

  it('proposes from a confirmed case, activates with a legal basis, and publishes in every feed', async () => {
    const report = await postReport(ctx.app, {
      url: 'https://shop.api-scam.com.tw/pay?id=1',
      platform: 'website',
    });
    caseId = report.json().case.id;
    await post(`/api/v1/cases/${caseId}/verdict`, { verdict: 'fraud' });

    const proposed = await post('/api/v1/blocklist/entries/from-case', { caseId });
    expect(proposed.statusCode).toBe(201);
    expect(proposed.json()).toMatchObject({
      created: true,
      entry: { domain: 'api-scam.com.tw', state: 'proposed', caseIds: [caseId] },
    });
    entryId = proposed.json().entry.id;

    const noBasis = await post(`/api/v1/blocklist/entries/${entryId}/activate`, {});
    expect(noBasis.statusCode).toBe(400);
    expect(noBasis.json().error.code).toBe('legal_basis_required');

    const activated = await post(`/api/v1/blocklist/entries/${entryId}/activate`, {
      legalBasis: { kind: 'court_ruling', reference: '115年度聲字第7號', date: '2026-11-28' },
      requestingUnit: '刑事警察局',
      siteType: '電子商務',
    });
    expect(activated.statusCode).toBe(200);
    expect(activated.json().entry.state).toBe('active');

    const hosts = await ctx.app.inject({ url: '/api/v1/blocklist/feeds/hosts.txt' });
    expect(hosts.body.split('\n')).toContain('0.0.0.0 api-scam.com.tw');
    const adblock = await ctx.app.inject({ url: '/api/v1/blocklist/feeds/adblock.txt' });
    expect(adblock.body.split('\n')).toContain('||api-scam.com.tw^');
    const csv = await ctx.app.inject({ url: '/api/v1/blocklist/feeds/entries.csv' });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toMatch(/api-scam\.com\.tw,active,court_ruling,115年度聲字第7號,2026-11-28/);
    const json = await ctx.app.inject({ url: '/api/v1/blocklist/feeds/entries.json' });
    expect(json.json().entries[0]).toMatchObject({
      domain: 'api-scam.com.tw',
      caseIds: [caseId],
      urls: ['https://shop.api-scam.com.tw/pay?id=1'],
    });
    const stix = await ctx.app.inject({ url: '/api/v1/blocklist/feeds/stix.json' });
    expect(stix.headers['content-type']).toMatch(/^application\/stix\+json/);
    expect(stix.json().objects.map((o: { pattern?: string }) => o.pattern)).toContain(
      "[url:value = 'https://shop.api-scam.com.tw/pay?id=1']",
    );
    const manifest = await ctx.app.inject({ url: '/api/v1/blocklist/feeds/misp/manifest.json' });
    const [eventId] = Object.keys(manifest.json());
    const event = await ctx.app.inject({ url: `/api/v1/blocklist/feeds/misp/${eventId}.json` });
    expect(event.json().Event.Attribute[0]).toMatchObject({
      type: 'domain',
      value: 'api-scam.com.tw',
    });
    const missing = await ctx.app.inject({ url: '/api/v1/blocklist/feeds/misp/nope.json' });
    expect(missing.statusCode).toBe(404);
    const zone = await ctx.app.inject({ url: '/api/v1/blocklist/rpz.zone' });
    expect(zone.body).toMatch(/^\*\.api-scam\.com\.tw CNAME \.$/m);
  });

  it('feeds answer 304 to If-None-Match and gzip when accepted; the ETag changes with the content', async () => {
    const first = await ctx.app.inject({
      url: '/api/v1/blocklist/feeds/entries.json',
      headers: { 'accept-encoding': 'gzip, deflate' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers.vary).toMatch(/accept-encoding/i);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/".+"$/);
    const plain = await ctx.app.inject({ url: '/api/v1/blocklist/feeds/entries.json' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(first.rawPayload).toString('utf8')).toBe(plain.body);
    expect(plain.headers.etag).toBe(etag);

    const notModified = await ctx.app.inject({
      url: '/api/v1/blocklist/feeds/entries.json',
      headers: { 'if-none-match': etag },
    });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    const refused = await ctx.app.inject({
      url: '/api/v1/blocklist/feeds/entries.json',
      headers: { 'accept-encoding': 'gzip;q=0' },
    });
    expect(refused.headers['content-encoding']).toBeUndefined();

    const lifted = await post(`/api/v1/blocklist/entries/${entryId}/lift`, {
      note: 'appeal upheld',
    });
    expect(lifted.json().entry.state).toBe('lifted');
    const after = await ctx.app.inject({
      url: '/api/v1/blocklist/feeds/entries.json',
      headers: { 'if-none-match': etag },
    });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.json().entries).toEqual([]);
  });

  it('the audit trail of an entry lists every change', async () => {
    const res = await ctx.app.inject({
      url: `/api/v1/blocklist/entries/${entryId}`,
      headers: adminHeaders,
    });
    expect(res.json().events.map((e: { type: string }) => e.type)).toEqual([
      'blocklist_entry.proposed',
      'blocklist_entry.activated',
      'blocklist_entry.lifted',
    ]);
    const list = await ctx.app.inject({
      url: '/api/v1/blocklist/entries?state=lifted',
      headers: adminHeaders,
    });
    expect(list.json().entries.map((e: { id: string }) => e.id)).toEqual([entryId]);
  });

  it('the guard refuses platforms by rule; only analysts and admins change or read entries', async () => {
    const refused = await post('/api/v1/blocklist/entries', { domain: 'm.facebook.com' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({
      code: 'domain_refused',
      details: { field: 'domain', rule: 'platform' },
    });
    const anonymous = await post(
      '/api/v1/blocklist/entries',
      { domain: 'x.com.tw' },
      {
        authorization: '',
      },
    );
    expect(anonymous.statusCode).toBe(401);
    const list = await ctx.app.inject({ url: '/api/v1/blocklist/entries' });
    expect(list.statusCode).toBe(401);
    const unknownField = await post('/api/v1/blocklist/entries', { domain: 'x.com.tw', extra: 1 });
    expect(unknownField.statusCode).toBe(400);
    const badTransition = await post(`/api/v1/blocklist/entries/${entryId}/delete`, {});
    expect(badTransition.statusCode).toBe(400);
  });

  it('every blocklist route is in the OpenAPI document', async () => {
    const doc = (await ctx.app.inject({ url: '/openapi.json' })).json();
    for (const p of [
      '/api/v1/blocklist/feeds/stix.json',
      '/api/v1/blocklist/feeds/misp/manifest.json',
      '/api/v1/blocklist/entries/{id}/activate',
      '/api/v1/blocklist/entries/from-case',
      '/api/v1/blocklist/rpz.zone',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });
});
