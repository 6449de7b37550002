/**
 * The authorisation matrix: every route of the OpenAPI document × every role, including the
 * denials. A route missing from MATRIX fails the suite, so a new route must state who may use it.
 * "Allowed" means the request got past authorisation (any status but 401 `unauthorized` and 403);
 * "denied" means 401 `unauthorized` for the anonymous public and 403 for a signed-in role.
 * Scoped access (a verifier's own entities, a liaison's own platform, a reporter's own reports)
 * is asserted at the end and in the workflow and identity suites.
 */
import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { MISP_EVENT_UUID } from '../../src/blocklist/index.js';

import {
  adminHeaders,
  createUser,
  loginAs,
  testDialects,
  useTestApp,
  type TestSession,
} from '../harness.js';
import { createTestEntities } from '../factories.js';

import type { Role } from '../../src/vocabulary/index.js';
const ROLES: readonly Role[] = [
  'public',
  'reporter',
  'verifier',
  'analyst',
  'platform_liaison',
  'admin',
];
const EVERYONE = ROLES;
const STAFF: Role[] = ['analyst', 'admin'];
const SIGNED_IN_ROLES: Role[] = ['reporter', 'verifier', 'analyst', 'platform_liaison', 'admin'];

interface Rule {
  allow: readonly Role[];
  query?: string;
  body?: Record<string, unknown>;
}

/** Who may call each route (METHOD + OpenAPI path). */
const MATRIX: Record<string, Rule> = {
  'GET /healthz': { allow: EVERYONE },
  'GET /openapi.json': { allow: EVERYONE },
  'POST /api/v1/reports': { allow: EVERYONE, body: { text: 'matrix report' } },
  'GET /api/v1/lookup': { allow: EVERYONE, query: 'q=matrix' },
  'POST /api/v1/lookup': { allow: EVERYONE, body: { q: 'matrix' } },
  // Open to every role: LINE's signature, not a role, decides (401 invalid_signature unsigned).
  'POST /api/v1/line/webhook': { allow: EVERYONE, body: { destination: 'U0', events: [] } },
  'GET /api/v1/search': { allow: EVERYONE, query: 'q=matrix' },
  'GET /api/v1/hashes/search': { allow: EVERYONE, query: 'prefixes=AAAAAA' },
  'GET /api/v1/hash-lists/{name}': { allow: EVERYONE },
  'GET /api/v1/cases/{id}': { allow: EVERYONE },
  'GET /api/v1/cases/{id}/timeline': { allow: EVERYONE },
  'GET /api/v1/cases/trending': { allow: EVERYONE, query: 'window=24h&limit=3' },
  'GET /api/v1/push/vapid-public-key': { allow: EVERYONE },
  'POST /api/v1/cases/{id}/followers': {
    allow: EVERYONE,
    body: {
      subscription: {
        endpoint: 'https://push.example.net/matrix',
        keys: { p256dh: `B${'A'.repeat(86)}`, auth: 'A'.repeat(22) },
      },
    },
  },
  'DELETE /api/v1/followers/{token}': { allow: EVERYONE },
  'GET /api/v1/blocklist/domains.txt': { allow: EVERYONE },
  'GET /api/v1/blocklist/feeds/hosts.txt': { allow: EVERYONE },
  'GET /api/v1/blocklist/feeds/adblock.txt': { allow: EVERYONE },
  'GET /api/v1/blocklist/feeds/entries.csv': { allow: EVERYONE },
  'GET /api/v1/blocklist/feeds/entries.json': { allow: EVERYONE },
  'GET /api/v1/blocklist/feeds/stix.json': { allow: EVERYONE },
  'GET /api/v1/blocklist/feeds/misp/manifest.json': { allow: EVERYONE },
  'GET /api/v1/blocklist/feeds/misp/hashes.csv': { allow: EVERYONE },
  [`GET /api/v1/blocklist/feeds/misp/${MISP_EVENT_UUID}.json`]: { allow: EVERYONE },
  'GET /api/v1/blocklist/rpz.zone': { allow: EVERYONE },
  'GET /api/v1/blocklist/rpz/omissions': { allow: STAFF },
  'GET /api/v1/blocklist/entries': { allow: STAFF },
  'POST /api/v1/blocklist/entries': { allow: STAFF, body: { domain: 'matrix-scam.com.tw' } },
  'GET /api/v1/blocklist/entries/{id}': { allow: STAFF },
  'POST /api/v1/blocklist/entries/from-case': { allow: STAFF, body: { caseId: 'C0000000000' } },
  'POST /api/v1/blocklist/entries/{id}/activate': { allow: STAFF, body: {} },
  'POST /api/v1/blocklist/entries/{id}/{transition}': { allow: STAFF, body: {} },
  'GET /api/v1/log/key': { allow: EVERYONE },
  'GET /api/v1/log/sth': { allow: EVERYONE },
  'GET /api/v1/log/proof/inclusion': { allow: EVERYONE, query: 'leaf=0' },
  'GET /api/v1/log/proof/consistency': { allow: EVERYONE, query: 'first=1' },
  'GET /api/v1/log/entries': { allow: EVERYONE, query: 'start=0&end=1' },
  'POST /api/v1/cases/{id}/captures': { allow: STAFF, body: {} },
  'GET /api/v1/cases/{id}/captures': { allow: ['verifier', ...STAFF] },
  'GET /api/v1/captures/{id}': { allow: ['verifier', ...STAFF] },
  'GET /api/v1/blobs/{sha256}': { allow: ['verifier', ...STAFF] },
  'POST /api/v1/auth/login': {
    allow: EVERYONE,
    body: { email: 'nobody@example.test', password: 'wrong-password-123' },
  },
  'GET /api/v1/auth/me': { allow: SIGNED_IN_ROLES },
  'POST /api/v1/auth/password': {
    allow: ['reporter', 'verifier', 'analyst', 'platform_liaison'],
    body: { currentPassword: 'not-the-password', newPassword: 'another-long-password' },
  },
  'GET /api/v1/me/reports': { allow: ['reporter'] },
  // Only a reporter key issued for a source (none of these credentials): its own suite,
  // test/intake/report-sources.test.ts, shows it allowed.
  'POST /api/v1/reports/batch': { allow: [], body: { reports: [{ text: 'matrix batch' }] } },
  'GET /api/v1/reports/mine': { allow: [] },
  // Only a reporter key issued for a scanner: test/intake/scanner-feed.test.ts.
  'POST /api/v1/scanner/ads': {
    allow: [],
    body: {
      ads: [
        {
          adId: 'm',
          platform: 'facebook',
          adText: 'x',
          firstSeenAt: 'x',
          lastSeenAt: 'x',
          disclosure: null,
        },
      ],
    },
  },
  'GET /api/v1/users': { allow: ['admin'] },
  'POST /api/v1/users': {
    allow: ['admin'],
    body: { email: 'matrix-new@example.test', role: 'analyst' },
  },
  'GET /api/v1/users/{id}': { allow: ['admin'] },
  'PATCH /api/v1/users/{id}': { allow: ['admin'], body: { displayName: 'Matrix' } },
  'POST /api/v1/users/{id}/disable': { allow: ['admin'] },
  'POST /api/v1/users/{id}/enable': { allow: ['admin'] },
  'POST /api/v1/users/{id}/password': {
    allow: ['admin'],
    body: { password: 'a-new-long-password-123' },
  },
  'GET /api/v1/api-keys': { allow: ['admin'] },
  'POST /api/v1/api-keys': { allow: ['admin'], body: { name: 'matrix', role: 'analyst' } },
  'POST /api/v1/api-keys/{id}/revoke': { allow: ['admin'] },
  'GET /api/v1/entities': { allow: ['verifier', ...STAFF] },
  'POST /api/v1/entities': {
    allow: STAFF,
    body: { id: 'matrix-new', kind: 'company', nameZh: '矩陣公司' },
  },
  'GET /api/v1/entities/{id}': { allow: ['verifier', ...STAFF] },
  'PATCH /api/v1/entities/{id}': { allow: STAFF, body: { aliases: ['矩陣'] } },
  'GET /api/v1/routing-rules': { allow: STAFF },
  'PUT /api/v1/routing-rules': {
    allow: ['admin'],
    body: {
      rules: [
        { priority: 10, impersonatedKind: 'any', target: 'impersonated' },
        { priority: 1000, target: 'npa-165' },
      ],
    },
  },
  'GET /api/v1/cases/{id}/triage': { allow: ['verifier', ...STAFF] },
  'PATCH /api/v1/cases/{id}/triage': { allow: STAFF, body: { reason: 'matrix', riskScore: 50 } },
  'GET /api/v1/verification/queue': { allow: ['verifier', ...STAFF] },
  'POST /api/v1/cases/{id}/decision': {
    allow: ['verifier', ...STAFF],
    body: { decision: 'need_info' },
  },
  'POST /api/v1/cases/{id}/verdict': { allow: STAFF, body: { verdict: 'high_risk' } },
  'POST /api/v1/cases/{id}/info-answer': { allow: STAFF, body: { answer: 'matrix' } },
  'GET /api/v1/decision-links/{token}': { allow: EVERYONE },
  'POST /api/v1/decision-links/{token}': { allow: EVERYONE, body: { decision: 'fraud' } },
  'GET /api/v1/notices': { allow: ['platform_liaison', ...STAFF] },
  'GET /api/v1/notices/{id}': { allow: ['platform_liaison', ...STAFF] },
  'POST /api/v1/notices/{id}/acknowledge': { allow: ['platform_liaison', 'admin'] },
  'POST /api/v1/cases/{id}/notices': { allow: STAFF },
  'POST /api/v1/notices/{id}/outcome': {
    allow: ['platform_liaison', ...STAFF],
    body: { outcome: 'rejected', reason: 'matrix' },
  },
  'GET /api/v1/platforms/compliance': {
    allow: ['platform_liaison', ...STAFF],
    query: 'from=2026-01-01&to=2027-01-01',
  },
  'GET /api/v1/sanctions': { allow: ['platform_liaison', ...STAFF] },
  'GET /api/v1/platforms/channels': { allow: ['admin'] },
  'PUT /api/v1/platforms/{platform}/channel': {
    allow: ['admin'],
    body: { email: 'takedown@facebook.test' },
  },
  'POST /api/v1/sweep': { allow: ['admin'] },
  'GET /api/v1/cases': { allow: STAFF },
  'GET /api/v1/verification/history': { allow: ['verifier', ...STAFF] },
  'GET /api/v1/cases/{id}/campaign': { allow: STAFF },
  'GET /api/v1/cases/{id}/reports': { allow: STAFF },
  'POST /api/v1/cases/{id}/merge': { allow: STAFF, body: { sourceCaseId: 'CNOSUCHCASE0' } },
  'POST /api/v1/cases/{id}/split': { allow: STAFF, body: { reportIds: ['RNOSUCHREPORT000000'] } },
  'GET /api/v1/stats': { allow: EVERYONE, query: 'from=2026-11-01&to=2026-11-30' },
  'GET /api/v1/bulletins': { allow: EVERYONE },
  'GET /api/v1/bulletins/feed.atom': { allow: EVERYONE },
  'GET /api/v1/bulletins/{week}': { allow: EVERYONE },
  'GET /api/v1/bulletins/{week}/csv': { allow: EVERYONE },
  'PUT /api/v1/bulletins/{week}/reminders': { allow: STAFF, body: { reminders: ['matrix'] } },
  'POST /api/v1/bulletins/{week}/publish': { allow: STAFF },
  'GET /api/v1/transparency': { allow: EVERYONE, query: 'year=2026' },
  'GET /api/v1/transparency/csv': { allow: EVERYONE, query: 'year=2026' },
  // Last: it ends the sessions the rows above use.
  'POST /api/v1/auth/logout': { allow: EVERYONE },
};

function isDenied(status: number, code: unknown): boolean {
  return status === 403 || (status === 401 && code === 'unauthorized');
}

describe.each(testDialects())('authorisation matrix on %s', (dialect) => {
  const ctx = useTestApp(dialect, {
    env: {
      SWEEP_INTERVAL_SECONDS: '0',
      // The LINE webhook exists only with a channel (no events are sent: LINE is never called).
      LINE_CHANNEL_SECRET: 'matrix-line-channel-secret-0123456789',
      LINE_CHANNEL_ACCESS_TOKEN: 'matrix-line-channel-access-token',
    },
  });
  const headers = new Map<Role, Record<string, string>>();
  const params: Record<string, string> = {};
  let paths: string[] = [];

  beforeAll(async () => {
    const inject = ctx.app.inject.bind(ctx.app);
    await createTestEntities(ctx.app, [
      { id: 'matrix-ent', kind: 'public_figure', nameZh: '矩陣明星' },
    ]);
    const routed = await inject({
      method: 'POST',
      url: '/api/v1/reports',
      // A loopback URL: the capture rows must be refused by policy, never resolve a real name.
      payload: {
        url: 'http://127.0.0.1/matrix/1',
        text: '矩陣明星帶你投資飆股',
        platform: 'facebook',
      },
    });
    params.id = routed.json().case.id;
    const confirmed = await inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { url: 'https://www.facebook.com/matrix.other/posts/2', text: '另一則投資詐騙' },
    });
    await inject({
      method: 'POST',
      url: `/api/v1/cases/${confirmed.json().case.id}/verdict`,
      headers: adminHeaders,
      payload: { verdict: 'fraud' },
    });
    const notices = await inject({ url: '/api/v1/notices', headers: adminHeaders });
    params.noticeId = notices.json().notices[0].id;

    const users = {
      reporter: await createUser(ctx, { role: 'reporter' }),
      verifier: await createUser(ctx, { role: 'verifier', entityIds: ['matrix-ent'] }),
      analyst: await createUser(ctx, { role: 'analyst' }),
      platform_liaison: await createUser(ctx, { role: 'platform_liaison', platform: 'facebook' }),
    };
    // The users/{id} rows disable and re-enable this account: not one whose session is used here.
    params.userId = (await createUser(ctx, { role: 'analyst' })).id;
    headers.set('public', {});
    for (const [role, user] of Object.entries(users)) {
      const session = await loginAs(ctx, user);
      headers.set(role as Role, session.headers);
    }
    headers.set('admin', { ...adminHeaders });
    const doc = (await inject({ url: '/openapi.json' })).json();
    paths = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
  });

  it('states who may use every route of the API, and names no route that does not exist', () => {
    expect(paths.filter((p) => MATRIX[p] === undefined)).toEqual([]);
    expect(Object.keys(MATRIX).filter((p) => !paths.includes(p))).toEqual([]);
  });

  /** A real or well-formed ID for each kind of `{id}`, so schema validation never decides. */
  function idFor(template: string): string {
    if (template.startsWith('/api/v1/notices')) return params.noticeId ?? '';
    if (template.startsWith('/api/v1/users')) return params.userId ?? '';
    if (template.startsWith('/api/v1/entities')) return 'matrix-ent';
    if (template.startsWith('/api/v1/cases')) return params.id ?? '';
    if (template.startsWith('/api/v1/captures')) return `E${'0'.repeat(16)}`;
    if (template.startsWith('/api/v1/blocklist')) return `B${'0'.repeat(12)}`;
    if (template.startsWith('/api/v1/api-keys')) return '0'.repeat(10);
    throw new Error(`no ID for ${template}`);
  }

  function urlOf(route: string, rule: Rule): { method: string; url: string } {
    const [method = 'GET', template = '/'] = route.split(' ');
    const url = template
      .replace('{id}', template.includes('{id}') ? idFor(template) : '')
      .replace('{platform}', 'facebook')
      .replace('{token}', 'bogus-token.bogus-signature')
      .replace('{sha256}', '0'.repeat(64))
      .replace('{file}', 'manifest.json')
      .replace('{transition}', 'lift')
      .replace('{week}', '2026-W40')
      .replace('{name}', 'urls');
    return { method, url: rule.query === undefined ? url : `${url}?${rule.query}` };
  }

  it.each(Object.entries(MATRIX))('%s', async (route, rule) => {
    const { method, url } = urlOf(route, rule);
    for (const role of [...ROLES].sort(
      (a, b) => Number(rule.allow.includes(a)) - Number(rule.allow.includes(b)),
    )) {
      const res = await ctx.app.inject({
        method: method as 'GET',
        url,
        headers: headers.get(role) ?? {},
        ...(rule.body === undefined ? {} : { payload: rule.body }),
      });
      const code: unknown = String(res.headers['content-type'] ?? '').includes('json')
        ? res.json()?.error?.code
        : undefined;
      if (rule.allow.includes(role)) {
        expect(
          isDenied(res.statusCode, code),
          `${role} should pass: ${res.statusCode} ${res.body.slice(0, 200)}`,
        ).toBe(false);
      } else {
        expect(
          isDenied(res.statusCode, code),
          `${role} should be denied: ${res.statusCode} ${res.body.slice(0, 200)}`,
        ).toBe(true);
        expect(res.statusCode, role).toBe(role === 'public' ? 401 : 403);
      }
    }
  });

  it('scopes: a verifier of another entity, a liaison of another platform, a reporter of others', async () => {
    const inject = ctx.app.inject.bind(ctx.app);
    const other = await createUser(ctx, { role: 'verifier', entityIds: ['npa-165'] });
    const otherSession = await loginAs(ctx, other);
    const tiktok = await loginAs(
      ctx,
      await createUser(ctx, { role: 'platform_liaison', platform: 'tiktok' }),
    );
    // What another entity's verifier and another platform's liaison may not see or do.
    const refusals: Array<[TestSession, InjectOptions, number]> = [
      [
        otherSession,
        {
          method: 'POST',
          url: `/api/v1/cases/${params.id}/decision`,
          payload: { decision: 'fraud' },
        },
        403,
      ],
      [otherSession, { url: `/api/v1/cases/${params.id}/triage` }, 404],
      [otherSession, { url: '/api/v1/entities/matrix-ent' }, 403],
      [otherSession, { url: `/api/v1/cases/${params.id}/captures` }, 404],
      [tiktok, { url: `/api/v1/notices/${params.noticeId}` }, 404],
      [
        tiktok,
        {
          method: 'POST',
          url: `/api/v1/notices/${params.noticeId}/outcome`,
          payload: { outcome: 'removed' },
        },
        404,
      ],
    ];
    for (const [session, request, status] of refusals) {
      const res = await inject({ ...request, headers: session.headers });
      expect(res.statusCode, `${request.method ?? 'GET'} ${request.url}`).toBe(status);
    }
    expect(
      (await inject({ url: '/api/v1/notices', headers: tiktok.headers })).json().notices,
    ).toEqual([]);
    const reporter = await loginAs(ctx, await createUser(ctx, { role: 'reporter' }));
    expect(
      (await inject({ url: '/api/v1/me/reports', headers: reporter.headers })).json().reports,
    ).toEqual([]);
  });

  it('a cookie-authenticated change without the CSRF header is refused', async () => {
    const session = (await loginAs(ctx, await createUser(ctx, { role: 'analyst' }))).headers;
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${params.id}/verdict`,
      headers: { cookie: session.cookie },
      payload: { verdict: 'fraud' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf_failed');
  });
});
