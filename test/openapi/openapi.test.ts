/**
 * The OpenAPI document against the app (issue 13): the document is valid OpenAPI 3.1 and every
 * schema in it valid JSON Schema 2020-12; it documents every route Fastify registered and no
 * other; and a scenario that makes every documented operation answer a real success (and, where
 * the operation documents a 4xx, a real error) checks each response with ./conformance.ts: its
 * status is documented, its Content-Type is one documented for that status, and its body is what
 * that media type and schema say. An operation added without a call here fails the suite.
 * Capture fetches only a loopback server this test starts.
 */
// The harness first: it loads the app in the order the server does.
import {
  adminHeaders,
  apiKeyFor,
  buildTestApp,
  createUser,
  listenOnLoopback,
  loginAs,
  testDialects,
  type LoopbackServer,
} from '../harness.js';
import { createHash, createHmac } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINE_WEBHOOK_BODY_LIMIT } from '../../src/line/index.js';
import { integrateLog } from '../../src/log/index.js';
import { generateVapidKeys } from '../../src/followers/index.js';
import { NOTICE_STATES } from '../../src/takedown/index.js';
import { createDecisionLink } from '../../src/verification/index.js';
import { solidPng } from '../intake/images.js';
import { Conformance, registeredRoutes, type OpenApiDocument } from './conformance.js';

type Ctx = Awaited<ReturnType<typeof buildTestApp>>;

/** The LINE channel secret of this test's app (webhook signatures). */
const LINE_SECRET = 'openapi-line-channel-secret-0123456789';
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Headers = Record<string, string>;

/** A multipart/form-data report with one screenshot, as a browser's FormData encodes it. */
async function multipartReport(
  fields: Record<string, string>,
  screenshot: Buffer,
  type: string,
): Promise<{ payload: Buffer; headers: Headers }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('screenshot', new Blob([new Uint8Array(screenshot)], { type }), 'ad');
  const encoded = new Request('http://scamnet.test/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { 'content-type': encoded.headers.get('content-type') ?? '' },
  };
}

/** Smallest files `file-type` recognises as JPEG and WebP (intake decides by magic bytes). */
const JPEG = Buffer.from('ffd8ffdb00430001', 'hex');
const WEBP = Buffer.concat([
  Buffer.from('RIFF', 'latin1'),
  Buffer.from([0x1a, 0, 0, 0]),
  Buffer.from('WEBPVP8 ', 'latin1'),
  Buffer.alloc(14),
]);

/** Every JSON Schema in an OpenAPI document: parameter, request body and response schemas. */
function schemasOf(doc: OpenApiDocument): Array<[string, Record<string, unknown>]> {
  const found: Array<[string, Record<string, unknown>]> = [];
  const walk = (value: unknown, where: string): void => {
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (
        key === 'schema' &&
        typeof child === 'object' &&
        child !== null &&
        !Array.isArray(child)
      ) {
        found.push([where, { ...child }]);
      } else {
        walk(child, `${where}/${key}`);
      }
    }
  };
  walk(doc.paths, '#/paths');
  return found;
}

describe.each(testDialects())('the OpenAPI document on %s', (dialect) => {
  let ctx: Ctx;
  let server: LoopbackServer;
  let port = 0;
  let doc: OpenApiDocument;
  let conformance: Conformance;

  beforeAll(async () => {
    server = await listenOnLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><head><title>OpenAPI 飆股群組</title></head><body>加入</body></html>');
    });
    ({ port } = server);
    ctx = await buildTestApp(dialect, {
      env: {
        CAPTURE_ALLOW_LOOPBACK: 'true',
        CAPTURE_ALLOWED_PORTS: `80,443,${port}`,
        DECISION_LINK_SECRET: 'decision-link-secret-for-openapi-0123456789',
        PUBLIC_BASE_URL: 'https://scamnet.test',
        SWEEP_INTERVAL_SECONDS: '0',
        // The LINE webhook is registered only with a channel; its calls here carry no events,
        // so nothing is sent to the (loopback) API.
        LINE_CHANNEL_SECRET: LINE_SECRET,
        LINE_CHANNEL_ACCESS_TOKEN: 'openapi-line-channel-access-token',
        LINE_API_BASE_URL: `http://127.0.0.1:${port}`,
        LINE_DATA_API_BASE_URL: `http://127.0.0.1:${port}`,
        ...Object.fromEntries(
          Object.entries(generateVapidKeys()).map(([k, v]) => [
            k === 'publicKey' ? 'WEB_PUSH_VAPID_PUBLIC_KEY' : 'WEB_PUSH_VAPID_PRIVATE_KEY',
            v,
          ]),
        ),
        WEB_PUSH_SUBJECT: 'mailto:ops@scamnet.test',
      },
    });
    doc = (await ctx.app.inject({ url: '/openapi.json' })).json();
    conformance = new Conformance(doc);
  });
  afterAll(async () => {
    await ctx.close();
    await server.close();
  });

  it('is a valid OpenAPI 3.1 document whose schemas are valid JSON Schema 2020-12', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate({ ...doc });
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const ajv = new Ajv2020({ strict: false });
    const schemas = schemasOf(doc);
    expect(schemas.length).toBeGreaterThan(100);
    const invalid = schemas
      .filter(([, schema]) => ajv.validateSchema(schema) !== true)
      .map(([where]) => where);
    expect(invalid).toEqual([]);
  });

  it('documents every route the app registers, and no route it does not', () => {
    const registered = registeredRoutes(ctx.app.printRoutes({ commonPrefix: false }));
    // The listing is parsed: each route read from it must be one Fastify really has.
    for (const route of registered) {
      const [method = '', path = ''] = route.split(' ');
      const url = path.replace(/\{(\w+)\}/g, ':$1');
      expect(ctx.app.hasRoute({ method: method as Method, url }), route).toBe(true);
    }
    const documented = conformance.operations.map((o) => o.key);
    expect(registered.length).toBeGreaterThan(80);
    expect(registered.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((d) => !registered.includes(d))).toEqual([]);
  });

  it('documents the paging and filters of every staff list, and answers them with the total', () => {
    const lists: Record<string, { items: string; params: string[] }> = {
      '/api/v1/verification/queue': {
        items: 'items',
        params: ['entityId', 'caseId', 'q', 'indicator', 'minAgeHours', 'maxAgeHours'],
      },
      '/api/v1/cases': {
        items: 'items',
        params: ['stage', 'scamType', 'platform', 'q', 'indicator', 'minAgeHours', 'after'],
      },
      '/api/v1/verification/history': {
        items: 'decisions',
        params: ['verdict', 'minAgeHours', 'maxAgeHours'],
      },
      '/api/v1/me/reports': { items: 'reports', params: [] },
      '/api/v1/notices': {
        items: 'notices',
        params: ['platform', 'state', 'caseId', 'sort', 'minAgeHours', 'maxAgeHours'],
      },
      '/api/v1/blocklist/entries': {
        items: 'entries',
        params: ['state', 'domain', 'q', 'source', 'after'],
      },
    };
    for (const [path, list] of Object.entries(lists)) {
      const operation = (doc.paths[path] as Record<string, unknown> | undefined)?.get as
        | {
            parameters?: Array<{ name: string; in: string; schema?: Record<string, unknown> }>;
            responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
          }
        | undefined;
      expect(operation, path).toBeDefined();
      const query = (operation?.parameters ?? []).filter((p) => p.in === 'query');
      const names = query.map((p) => p.name);
      for (const name of ['limit', 'offset', ...list.params]) expect(names, path).toContain(name);
      const limit = query.find((p) => p.name === 'limit')?.schema;
      expect(limit?.minimum, path).toBe(1);
      expect(typeof limit?.maximum, path).toBe('number');
      const body = operation?.responses['200']?.content?.['application/json']?.schema as
        { properties?: Record<string, unknown>; required?: string[] } | undefined;
      for (const field of [list.items, 'total', 'limit', 'offset']) {
        expect(Object.keys(body?.properties ?? {}), path).toContain(field);
        expect(body?.required, path).toContain(field);
      }
    }
    // Notice states come from the state machine, not from a copy.
    const state = (
      doc.paths['/api/v1/notices'] as {
        get: { parameters: Array<{ name: string; schema: { items?: { enum?: string[] } } }> };
      }
    ).get.parameters.find((p) => p.name === 'state');
    expect(state?.schema.items?.enum).toEqual([...NOTICE_STATES]);
  });

  it('answers every operation with a documented status, media type and body', async () => {
    const problems: string[] = [];
    /** Statuses seen per operation key. */
    const seen = new Map<string, Set<number>>();
    /** `status mediaType` seen per operation key, for the 2xx responses. */
    const mediaSeen = new Map<string, Set<string>>();

    const call = async (
      method: Method,
      url: string,
      status: number,
      options: { headers?: Headers; payload?: Record<string, unknown> | Buffer } = {},
    ) => {
      const res = await ctx.app.inject({
        method,
        url,
        headers: options.headers ?? {},
        ...(options.payload === undefined ? {} : { payload: options.payload }),
      });
      const operation = conformance.operationFor(method, url);
      const what = `${method} ${url} → ${res.statusCode}`;
      if (operation === undefined) {
        problems.push(`${what}: no documented operation`);
        return res;
      }
      if (res.statusCode !== status) {
        problems.push(`${what}: expected ${status} (${res.body.slice(0, 200)})`);
      }
      for (const p of conformance.check(operation, res)) problems.push(`${what}: ${p}`);
      seen.set(operation.key, (seen.get(operation.key) ?? new Set()).add(res.statusCode));
      if (res.statusCode < 300) {
        const type = String(res.headers['content-type'] ?? '').split(';', 1)[0] ?? '';
        const media = mediaSeen.get(operation.key) ?? new Set();
        mediaSeen.set(operation.key, media.add(`${res.statusCode} ${type}`));
      }
      return res;
    };
    const get = (url: string, status: number, headers: Headers = {}) =>
      call('GET', url, status, { headers });
    const post = (
      url: string,
      status: number,
      payload: Record<string, unknown> = {},
      headers: Headers = adminHeaders,
    ) => call('POST', url, status, { headers, payload });
    /** Posts `payload` twice: the first is accepted (`accepted`), the same again is a conflict. */
    const postTwice = async (
      url: string,
      payload: Record<string, unknown> = {},
      headers: Headers = adminHeaders,
      accepted = 200,
    ) => {
      await post(url, accepted, payload, headers);
      await post(url, 409, payload, headers);
    };
    const none: Headers = {};

    // --- operations and the registry -----------------------------------------------------
    await get('/healthz', 200);
    await get('/openapi.json', 200);
    const figure = {
      id: 'openapi-figure',
      kind: 'public_figure',
      nameZh: '王大明',
      nameEn: 'Wang Da-ming',
      contactEmail: 'office@wang.test',
    };
    await postTwice('/api/v1/entities', figure, adminHeaders, 201);
    await get('/api/v1/entities', 200, adminHeaders);
    await get('/api/v1/entities', 401);
    await get('/api/v1/entities/openapi-figure', 200, adminHeaders);
    await get('/api/v1/entities/no-such-entity', 404, adminHeaders);
    await call('PATCH', '/api/v1/entities/openapi-figure', 200, {
      headers: adminHeaders,
      payload: { aliases: ['王董'] },
    });
    await call('PATCH', '/api/v1/entities/openapi-figure', 401, { payload: { aliases: [] } });

    const verifier = await apiKeyFor(ctx, { role: 'verifier', entityIds: ['openapi-figure'] });
    const facebook = await apiKeyFor(ctx, { role: 'platform_liaison', platform: 'facebook' });
    const reporterUser = await createUser(ctx, { role: 'reporter' });
    const reporter = await loginAs(ctx, reporterUser);

    // --- reports --------------------------------------------------------------------------
    const report = async (payload: Record<string, unknown>, headers: Headers = none) =>
      (await call('POST', '/api/v1/reports', 201, { payload, headers })).json().case.id as string;
    await call('POST', '/api/v1/reports', 400, { payload: {} });
    const partner = await apiKeyFor(ctx, {
      role: 'reporter',
      sourceKind: 'partner',
      sourceName: 'openapi-partner',
    });
    const batch = {
      reports: [
        { externalId: 'p-1', url: 'https://batch.openapi-scam.com.tw/1' },
        { externalId: 'p-2', url: 'not a url' },
      ],
    };
    await post('/api/v1/reports/batch', 200, batch, partner.headers);
    await post('/api/v1/reports/batch', 400, { reports: [] }, partner.headers);
    await post('/api/v1/reports/batch', 401, batch, none);
    await post(
      '/api/v1/reports/batch',
      413,
      { reports: Array.from({ length: 1001 }, () => ({ text: 'x' })) },
      partner.headers,
    );
    await post(
      '/api/v1/reports/batch',
      403,
      batch,
      (await apiKeyFor(ctx, { role: 'reporter' })).headers,
    );
    const mine = await get('/api/v1/reports/mine?limit=1', 200, partner.headers);
    await get(`/api/v1/reports/mine?since=${mine.json().next as string}`, 200, partner.headers);
    await get('/api/v1/reports/mine?since=bad', 400, partner.headers);
    await get('/api/v1/reports/mine', 401);
    const scanner = await apiKeyFor(ctx, {
      role: 'reporter',
      sourceKind: 'scanner',
      sourceName: 'openapi-scanner',
    });
    const scannedAd = {
      adId: 'openapi-ad-1',
      platform: 'facebook',
      adText: '飆股群組 https://ad.openapi-scam.com.tw/',
      firstSeenAt: '2026-11-28T00:00:00Z',
      lastSeenAt: '2026-11-28T01:00:00Z',
      disclosure: null,
    };
    await post('/api/v1/scanner/ads', 200, { ads: [scannedAd] }, scanner.headers);
    await post('/api/v1/scanner/ads', 403, { ads: [scannedAd] }, partner.headers);
    await post('/api/v1/scanner/ads', 401, { ads: [scannedAd] }, none);
    await post('/api/v1/scanner/ads', 400, { ads: [] }, scanner.headers);
    await post(
      '/api/v1/scanner/ads',
      413,
      { ads: Array.from({ length: 1001 }, () => scannedAd) },
      scanner.headers,
    );
    const siteCase = await report({ url: 'https://shop.openapi-scam.com.tw/pay?id=1' });
    const captureCase = await report({ url: `http://127.0.0.1:${port}/landing` });
    const figureCase = await report({
      url: 'https://www.facebook.com/ads/library/?id=7001',
      text: '王大明親自帶你投資飆股！加入LINE群組，保證獲利，名額有限',
      platform: 'facebook',
    });
    const infoCase = await report({
      url: 'https://www.facebook.com/ads/library/?id=7002',
      text: '王大明推薦虛擬貨幣平台，每天穩賺百分之五，快來註冊開戶',
      platform: 'facebook',
    });
    const linkCase = await report({
      url: 'https://www.facebook.com/ads/library/?id=7003',
      text: '王大明送你免費理財課程，填寫資料就能領取紅利與講義',
      platform: 'facebook',
    });
    const mergeTarget = await report({ text: '您的包裹無法投遞，請點擊連結更新地址與付款資料' });
    const mergeSource = await report({ text: '中獎通知：恭喜獲得百萬獎金，請先繳交手續費領取' });
    const splitCase = await report({ url: 'https://split.openapi-scam.com.tw/a' });
    await report({ url: 'https://split.openapi-scam.com.tw/a' }, reporter.headers);

    const screenshots: Array<[Buffer, string]> = [
      [solidPng(8, 6), 'image/png'],
      [JPEG, 'image/jpeg'],
      [WEBP, 'image/webp'],
    ];
    const screenshotCase: string[] = [];
    for (const [index, [bytes, type]] of screenshots.entries()) {
      const form = await multipartReport(
        { url: `https://shot-${index}.openapi-scam.com.tw/`, consent: 'true' },
        bytes,
        type,
      );
      const res = await call('POST', '/api/v1/reports', 201, form);
      screenshotCase.push(res.json().case.id);
    }

    // --- following a case (Web Push) ------------------------------------------------------
    await get('/api/v1/push/vapid-public-key', 200);
    const subscription = {
      endpoint: `http://127.0.0.1:${port}/push/openapi`,
      keys: {
        p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url'),
        auth: Buffer.alloc(16, 2).toString('base64url'),
      },
    };
    const followed = await post(`/api/v1/cases/${siteCase}/followers`, 201, { subscription }, none);
    await post(`/api/v1/cases/${siteCase}/followers`, 400, { subscription: {} }, none);
    await post('/api/v1/cases/C0000000000/followers', 404, { subscription }, none);
    const unsubscribeToken = String(followed.json().unsubscribeToken);
    await call('DELETE', `/api/v1/followers/${unsubscribeToken}`, 204);
    await call('DELETE', `/api/v1/followers/${unsubscribeToken}`, 404);
    await call('DELETE', '/api/v1/followers/not.a.token', 400);

    // --- public lookups -------------------------------------------------------------------
    await get(
      `/api/v1/lookup?url=${encodeURIComponent('https://shop.openapi-scam.com.tw/pay?id=1')}`,
      200,
    );
    await get('/api/v1/lookup', 400);
    const checked = await post(
      '/api/v1/lookup',
      200,
      { q: '朋友傳來 https://shop.openapi-scam.com.tw/pay?id=1 加LINE @openapi88' },
      none,
    );
    expect(checked.json().verdict.outcome).toBe('on_record');
    await post('/api/v1/lookup', 400, { q: 'x', url: 'https://x.com.tw/' }, none);
    await post('/api/v1/lookup', 413, { q: 'x'.repeat(70_000) }, none);
    await call('POST', '/api/v1/lookup', 415, {
      headers: { 'content-type': 'text/plain' },
      payload: Buffer.from('lai659'),
    });
    // --- the LINE webhook (signed as LINE signs; no events) ---------------------------------
    const lineBody = Buffer.from(JSON.stringify({ destination: `U${'0'.repeat(32)}`, events: [] }));
    const lineSigned = (body: Buffer): Headers => ({
      'content-type': 'application/json',
      'x-line-signature': createHmac('sha256', LINE_SECRET).update(body).digest('base64'),
    });
    await call('POST', '/api/v1/line/webhook', 200, {
      headers: lineSigned(lineBody),
      payload: lineBody,
    });
    await call('POST', '/api/v1/line/webhook', 401, {
      headers: { 'content-type': 'application/json' },
      payload: lineBody,
    });
    const notJson = Buffer.from('{"events": [');
    await call('POST', '/api/v1/line/webhook', 400, {
      headers: lineSigned(notJson),
      payload: notJson,
    });
    await call('POST', '/api/v1/line/webhook', 413, {
      headers: { 'content-type': 'application/json' },
      payload: Buffer.alloc(LINE_WEBHOOK_BODY_LIMIT + 1, 0x20),
    });
    await call('POST', '/api/v1/line/webhook', 415, {
      headers: { 'content-type': 'text/plain' },
      payload: Buffer.from('events'),
    });
    // The hash-prefix API: the 4-byte prefix of SHA-256("line_id:openapi88"), and a bad one.
    const lineIdPrefix = createHash('sha256')
      .update('line_id:openapi88')
      .digest()
      .subarray(0, 4)
      .toString('base64url');
    await get(`/api/v1/hashes/search?prefixes=${lineIdPrefix},AAAAAA`, 200);
    await get('/api/v1/hashes/search?prefixes=AAAAAB', 400);
    const urls = await get('/api/v1/hash-lists/urls', 200);
    await get(`/api/v1/hash-lists/urls?version=${urls.json().version}`, 200);
    await get('/api/v1/hash-lists/indicators?version=x', 400);
    await get('/api/v1/hash-lists/phones', 404);
    await get(`/api/v1/search?q=${encodeURIComponent('王大明')}`, 200);
    await get('/api/v1/search', 400);
    await get(`/api/v1/cases/${siteCase}`, 200);
    await get('/api/v1/cases/C0000000000', 404);
    await get(`/api/v1/cases/${siteCase}/timeline`, 200);
    await get('/api/v1/cases/C0000000000/timeline', 404);
    await get('/api/v1/cases/trending?window=7d&limit=5', 200);
    await get('/api/v1/cases/trending?limit=999', 400);
    await get('/api/v1/stats?from=2026-11-01&to=2026-11-30', 200);
    await get('/api/v1/stats', 400);

    // --- triage and verification ----------------------------------------------------------
    await get(`/api/v1/cases/${figureCase}/triage`, 200, adminHeaders);
    await get('/api/v1/cases/C0000000000/triage', 404, adminHeaders);
    await call('PATCH', `/api/v1/cases/${siteCase}/triage`, 200, {
      headers: adminHeaders,
      payload: { reason: 'openapi', riskScore: 80 },
    });
    await call('PATCH', `/api/v1/cases/${siteCase}/triage`, 400, {
      headers: adminHeaders,
      payload: { riskScore: 80 },
    });
    await get('/api/v1/cases?limit=50', 200, adminHeaders);
    await get(
      `/api/v1/cases?limit=10&offset=10&q=${encodeURIComponent('飆股')}&platform=website&minAgeHours=0`,
      200,
      adminHeaders,
    );
    await get('/api/v1/cases?limit=201', 400, adminHeaders);
    await get('/api/v1/cases', 401);
    await get('/api/v1/verification/queue', 200, verifier.headers);
    await get(
      `/api/v1/verification/queue?q=${encodeURIComponent('王大明')}&indicator=${encodeURIComponent('@wang888')}&maxAgeHours=24&limit=5&offset=0&caseId=${figureCase}`,
      200,
      verifier.headers,
    );
    await get('/api/v1/verification/queue?indicator=hello%20world', 400, verifier.headers);
    await get('/api/v1/verification/queue?entityId=someone-else', 403, verifier.headers);
    await get('/api/v1/verification/queue', 401);
    await postTwice(
      `/api/v1/cases/${figureCase}/decision`,
      { decision: 'fraud' },
      verifier.headers,
    );
    await get('/api/v1/verification/history', 200, verifier.headers);
    await get(
      '/api/v1/verification/history?verdict=fraud&minAgeHours=0&limit=5&offset=5',
      200,
      verifier.headers,
    );
    await get('/api/v1/verification/history?verdict=undecided', 400, verifier.headers);
    await get('/api/v1/verification/history', 401);
    await post(
      `/api/v1/cases/${infoCase}/decision`,
      200,
      { decision: 'need_info', question: '廣告在哪個帳號出現？' },
      verifier.headers,
    );
    await call('POST', `/api/v1/cases/${infoCase}/info-answer`, 204, {
      headers: adminHeaders,
      payload: { answer: '粉絲專頁「王大明投資」' },
    });
    await post(`/api/v1/cases/${infoCase}/info-answer`, 409, { answer: 'again' });
    await post(`/api/v1/cases/${siteCase}/verdict`, 200, { verdict: 'fraud' });
    await post('/api/v1/cases/C0000000000/verdict', 404, { verdict: 'fraud' });

    const token = await ctx.deps.db
      .transaction()
      .execute((trx) => createDecisionLink(trx, ctx.deps, linkCase, 'openapi-figure'));
    await get(`/api/v1/decision-links/${token}`, 200);
    await get('/api/v1/decision-links/bogus-token.bogus-signature', 404);
    await post(`/api/v1/decision-links/${token}`, 200, { decision: 'high_risk' }, none);
    await post(`/api/v1/decision-links/${token}`, 409, { decision: 'fraud' }, none);

    // --- cases: campaign, reports, merge, split -------------------------------------------
    await get(`/api/v1/cases/${figureCase}/campaign`, 200, adminHeaders);
    await get('/api/v1/cases/C0000000000/campaign', 404, adminHeaders);
    const splitReports = (await get(`/api/v1/cases/${splitCase}/reports`, 200, adminHeaders)).json()
      .reports as Array<{ id: string }>;
    await get('/api/v1/cases/C0000000000/reports', 404, adminHeaders);
    await postTwice(`/api/v1/cases/${mergeTarget}/merge`, { sourceCaseId: mergeSource });
    await post(`/api/v1/cases/${splitCase}/split`, 200, {
      reportIds: [splitReports.at(-1)?.id ?? ''],
    });
    await post(`/api/v1/cases/${splitCase}/split`, 400, { reportIds: [] });

    // --- evidence: captures, blobs and the log --------------------------------------------
    const captured = await post(`/api/v1/cases/${captureCase}/captures`, 201);
    await post('/api/v1/cases/C0000000000/captures', 404);
    const capture = captured.json().captures[0] as { id: string; bodySha256: string };
    await get(`/api/v1/cases/${captureCase}/captures`, 200, adminHeaders);
    await get('/api/v1/cases/C0000000000/captures', 404, adminHeaders);
    await get(`/api/v1/captures/${capture.id}`, 200, adminHeaders);
    await get(`/api/v1/captures/E${'0'.repeat(16)}`, 404, adminHeaders);
    await get(`/api/v1/blobs/${capture.bodySha256}`, 200, adminHeaders);
    for (const [bytes] of screenshots) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      await get(`/api/v1/blobs/${sha256}`, 200, adminHeaders);
    }
    await get(`/api/v1/blobs/${'0'.repeat(64)}`, 404, adminHeaders);
    await get(`/api/v1/cases/${screenshotCase[0] ?? ''}/reports`, 200, adminHeaders);

    await get('/api/v1/log/key', 200);
    // The sequencer's events waiting, then integrated (as the server's timer would).
    await get('/api/v1/log/sth', 200);
    await integrateLog(ctx.deps);
    const sth = (await get('/api/v1/log/sth', 200)).json() as { treeSize: number };
    await get('/api/v1/log/proof/inclusion?leaf=0', 200);
    await get('/api/v1/log/proof/inclusion', 400);
    await get(`/api/v1/log/proof/consistency?first=1&second=${sth.treeSize}`, 200);
    await get('/api/v1/log/proof/consistency', 400);
    await get('/api/v1/log/entries?start=0&end=1', 200);
    await get('/api/v1/log/entries?start=0', 400);

    // --- takedown -------------------------------------------------------------------------
    const notices = (await get('/api/v1/notices', 200, facebook.headers)).json().notices as Array<{
      id: string;
      caseId: string;
    }>;
    await get('/api/v1/notices', 401);
    await get(
      `/api/v1/notices?state=${NOTICE_STATES[0]}&state=${NOTICE_STATES[1]}&sort=deadline&caseId=${figureCase}&maxAgeHours=1000&limit=10&offset=0`,
      200,
      facebook.headers,
    );
    await get('/api/v1/notices?platform=tiktok', 403, facebook.headers);
    await get('/api/v1/notices?state=lost', 400, adminHeaders);
    const noticeId = notices.find((n) => n.caseId === figureCase)?.id ?? 'missing';
    await get(`/api/v1/notices/${noticeId}`, 200, facebook.headers);
    await get('/api/v1/notices/N0000000000', 404, facebook.headers);
    await postTwice(`/api/v1/notices/${noticeId}/acknowledge`, {}, facebook.headers);
    await postTwice(
      `/api/v1/notices/${noticeId}/outcome`,
      { outcome: 'removed' },
      facebook.headers,
    );
    await call('PUT', '/api/v1/platforms/facebook/channel', 200, {
      headers: adminHeaders,
      payload: { email: 'takedown@facebook.test' },
    });
    await call('PUT', '/api/v1/platforms/myspace/channel', 400, {
      headers: adminHeaders,
      payload: { email: 'takedown@myspace.test' },
    });
    await get('/api/v1/platforms/channels', 200, adminHeaders);
    await get('/api/v1/platforms/channels', 401);
    await get('/api/v1/platforms/compliance?from=2026-11-01&to=2026-12-01', 200, adminHeaders);
    await get('/api/v1/platforms/compliance', 400, adminHeaders);
    await get('/api/v1/sanctions', 200, adminHeaders);
    await get('/api/v1/sanctions', 401);
    await post('/api/v1/sweep', 200);
    await post('/api/v1/sweep', 401, {}, none);
    // Staff send the notices still due: one again after the platform rejected the first.
    const resendCase = await report({
      url: 'https://www.facebook.com/openapi.money.page/posts/7',
      platform: 'facebook',
      text: '老師帶單飆股穩賺',
    });
    await post(`/api/v1/cases/${resendCase}/verdict`, 200, { verdict: 'fraud' });
    await post(`/api/v1/cases/${resendCase}/notices`, 409);
    const resent = (await get('/api/v1/notices', 200, facebook.headers)).json().notices as Array<{
      id: string;
      caseId: string;
    }>;
    await post(
      `/api/v1/notices/${resent.find((n) => n.caseId === resendCase)?.id ?? 'missing'}/outcome`,
      200,
      { outcome: 'rejected', reason: 'not found on our side' },
      facebook.headers,
    );
    await post(`/api/v1/cases/${resendCase}/notices`, 201);
    await post(`/api/v1/cases/${resendCase}/notices`, 401, {}, none);

    // --- blocklist ------------------------------------------------------------------------
    const fromCase = await post('/api/v1/blocklist/entries/from-case', 201, { caseId: siteCase });
    await post('/api/v1/blocklist/entries/from-case', 200, { caseId: siteCase });
    await post('/api/v1/blocklist/entries/from-case', 404, { caseId: 'C0000000000' });
    const siteEntry: string = fromCase.json().entry.id;
    const legalBasis = { kind: 'court_ruling', reference: '115年度聲字第13號', date: '2026-11-28' };
    await post(`/api/v1/blocklist/entries/${siteEntry}/activate`, 200, {
      legalBasis,
      requestingUnit: '刑事警察局',
      siteType: '電子商務',
    });
    await post(`/api/v1/blocklist/entries/${siteEntry}/activate`, 409, { legalBasis });
    const manual = await post('/api/v1/blocklist/entries', 201, {
      domain: 'manual.openapi-scam.com.tw',
    });
    await post('/api/v1/blocklist/entries', 401, { domain: 'x.openapi-scam.com.tw' }, none);
    const manualEntry: string = manual.json().entry.id;
    await post(`/api/v1/blocklist/entries/${manualEntry}/appeal`, 409, { note: 'too early' });
    await post(`/api/v1/blocklist/entries/${manualEntry}/activate`, 200, {
      legalBasis,
      requestingUnit: '刑事警察局',
    });
    await post(`/api/v1/blocklist/entries/${manualEntry}/lift`, 200, { note: 'ruling reversed' });
    await get('/api/v1/blocklist/entries', 200, adminHeaders);
    await get(
      '/api/v1/blocklist/entries?q=openapi&source=api&state=proposed&limit=10&offset=0',
      200,
      adminHeaders,
    );
    await get('/api/v1/blocklist/entries?limit=1001', 400, adminHeaders);
    await get('/api/v1/blocklist/entries', 401);
    await get(`/api/v1/blocklist/entries/${siteEntry}`, 200, adminHeaders);
    await get(`/api/v1/blocklist/entries/B${'0'.repeat(12)}`, 404, adminHeaders);
    await get('/api/v1/blocklist/domains.txt', 200);

    const feeds = [
      'feeds/hosts.txt',
      'feeds/adblock.txt',
      'feeds/entries.csv',
      'feeds/entries.json',
      'feeds/stix.json',
      'feeds/misp/manifest.json',
      'feeds/misp/hashes.csv',
      'rpz.zone',
    ];
    const manifest = (await get('/api/v1/blocklist/feeds/misp/manifest.json', 200)).json();
    await get('/api/v1/blocklist/rpz/omissions', 200, adminHeaders);
    await get('/api/v1/blocklist/rpz/omissions', 401);
    feeds.push(`feeds/misp/${Object.keys(manifest)[0] ?? 'missing'}.json`);
    for (const feed of feeds) {
      const url = `/api/v1/blocklist/${feed}`;
      const plain = await get(url, 200);
      await get(url, 200, { 'accept-encoding': 'gzip' });
      await get(url, 304, { 'if-none-match': String(plain.headers.etag) });
    }

    // --- statistics: bulletins and the transparency report --------------------------------
    const week = '/api/v1/bulletins/2026-W47';
    await call('PUT', `${week}/reminders`, 200, {
      headers: adminHeaders,
      payload: { reminders: ['小心假投資廣告'] },
    });
    await call('PUT', `${week}/reminders`, 401, { payload: { reminders: [] } });
    await postTwice(`${week}/publish`);
    await get('/api/v1/bulletins', 200);
    await get('/api/v1/bulletins/feed.atom', 200);
    await get(week, 200);
    await get('/api/v1/bulletins/2026-W99', 400);
    await get(`${week}/csv`, 200);
    await get('/api/v1/bulletins/2026-W99/csv', 400);
    await get('/api/v1/transparency?year=2026', 200);
    await get('/api/v1/transparency?from=2026-01-01', 400);
    await get('/api/v1/transparency/csv?year=2026', 200);
    await get('/api/v1/transparency/csv?from=2026-01-01', 400);

    // --- identity -------------------------------------------------------------------------
    await get('/api/v1/me/reports', 200, reporter.headers);
    await get('/api/v1/me/reports?limit=5&offset=5', 200, reporter.headers);
    await get('/api/v1/me/reports?offset=-1', 400, reporter.headers);
    await get('/api/v1/me/reports', 401);
    const analyst = await createUser(ctx, { role: 'analyst' });
    await post(
      '/api/v1/auth/login',
      200,
      { email: analyst.email, password: analyst.password },
      none,
    );
    await post(
      '/api/v1/auth/login',
      401,
      { email: analyst.email, password: 'not-it-at-all' },
      none,
    );
    const session = await loginAs(ctx, analyst);
    await get('/api/v1/auth/me', 200, session.headers);
    await get('/api/v1/auth/me', 401);
    await post(
      '/api/v1/auth/password',
      204,
      { currentPassword: analyst.password, newPassword: 'a-new-long-password-for-openapi' },
      session.headers,
    );
    await post(
      '/api/v1/auth/password',
      403,
      { currentPassword: analyst.password, newPassword: 'another-long-password' },
      adminHeaders,
    );
    const other = await loginAs(ctx, reporterUser);
    await post('/api/v1/auth/logout', 403, {}, { cookie: other.cookie });
    await post('/api/v1/auth/logout', 204, {}, other.headers);

    await get('/api/v1/users', 200, adminHeaders);
    await get('/api/v1/users', 401);
    const created = await post('/api/v1/users', 201, {
      email: 'openapi-new@example.test',
      role: 'analyst',
    });
    await post('/api/v1/users', 409, { email: 'openapi-new@example.test', role: 'analyst' });
    const userId: string = created.json().user.id;
    await get(`/api/v1/users/${userId}`, 200, adminHeaders);
    await get(`/api/v1/users/U${'0'.repeat(16)}`, 404, adminHeaders);
    await call('PATCH', `/api/v1/users/${userId}`, 200, {
      headers: adminHeaders,
      payload: { displayName: 'OpenAPI' },
    });
    await call('PATCH', `/api/v1/users/${userId}`, 400, { headers: adminHeaders, payload: {} });
    await post(`/api/v1/users/${userId}/disable`, 200);
    await post(`/api/v1/users/${userId}/disable`, 401, {}, none);
    await post(`/api/v1/users/${userId}/enable`, 200);
    await post(`/api/v1/users/${userId}/enable`, 401, {}, none);
    await post(`/api/v1/users/${userId}/password`, 200, {});
    await post(`/api/v1/users/${userId}/password`, 401, {}, none);
    await get('/api/v1/api-keys', 200, adminHeaders);
    await get('/api/v1/api-keys', 401);
    const key = await post('/api/v1/api-keys', 201, { name: 'openapi', role: 'analyst' });
    await post('/api/v1/api-keys', 401, { name: 'openapi', role: 'analyst' }, none);
    await post(`/api/v1/api-keys/${String(key.json().apiKey.id)}/revoke`, 200);
    await post(`/api/v1/api-keys/${'0'.repeat(10)}/revoke`, 404);

    // Replacing the routing rules with themselves: last, so routing above was the default.
    const rules = (await get('/api/v1/routing-rules', 200, adminHeaders)).json().rules as Array<
      Record<string, unknown>
    >;
    await get('/api/v1/routing-rules', 401);
    await call('PUT', '/api/v1/routing-rules', 200, {
      headers: adminHeaders,
      payload: {
        rules: rules.map(
          ({ priority, scamType, impersonatedKind, platform, target, note, enabled }) => ({
            priority,
            scamType,
            impersonatedKind,
            platform,
            target,
            note,
            enabled,
          }),
        ),
      },
    });
    await call('PUT', '/api/v1/routing-rules', 400, {
      headers: adminHeaders,
      payload: { rules: [] },
    });

    expect(problems).toEqual([]);
    const operations = conformance.operations;
    expect(
      operations
        .filter((o) => ![...(seen.get(o.key) ?? [])].some((s) => s < 300))
        .map((o) => o.key),
      'operations without a real success',
    ).toEqual([]);
    expect(
      operations
        .filter((o) => Object.keys(o.responses).some((s) => s.startsWith('4')))
        .filter((o) => ![...(seen.get(o.key) ?? [])].some((s) => s >= 400 && s < 500))
        .map((o) => o.key),
      'operations documenting a 4xx without a real one',
    ).toEqual([]);
    // Every media type documented for a success was really sent.
    const unsent = operations.flatMap((o) =>
      Object.entries(o.responses)
        .filter(([status]) => status.startsWith('2'))
        .flatMap(([status, response]) =>
          Object.keys(response.content ?? {})
            .map((type) => `${status} ${type.split(';', 1)[0] ?? ''}`)
            .filter((m) => !(mediaSeen.get(o.key) ?? new Set()).has(m))
            .map((m) => `${o.key} ${m}`),
        ),
    );
    expect(unsent, 'documented success media types never sent').toEqual([]);
  });
});
