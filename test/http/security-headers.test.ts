/**
 * The security headers of every kind of response, computed once at start (issue 14) instead of
 * by a new Helmet middleware per request: JSON answers (every /api/ route, /healthz,
 * /openapi.json) carry the OWASP REST set (API_SECURITY_HEADERS), everything else (pages, the
 * web UI's fallback, unknown paths) Helmet 8's defaults plus the app's CSP. A route's own value
 * of a header wins over either set.
 */
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { API_SECURITY_HEADERS, helmetHeaders } from '../../src/http/index.js';
import { testDialects, useTestApp } from '../harness.js';

/** Helmet 8's page headers besides the CSP. */
const PAGE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-dns-prefetch-control': 'off',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
  'origin-agent-cluster': '?1',
  'x-download-options': 'noopen',
};

/** The OWASP REST Security Cheat Sheet's set, written out here, not read from the code. */
const API_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
/** The CSP directives of `header`, as name → sorted sources. */
function directives(header: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of String(header).split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out[name] = sources.sort();
  }
  return out;
}

describe('helmetHeaders', () => {
  it('records what the Helmet middleware sets on a response, names in lower case', () => {
    const headers = helmetHeaders({ frameguard: { action: 'deny' }, hsts: false });
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['strict-transport-security']).toBeUndefined();
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(Object.isFrozen(headers)).toBe(true);
  });

  it('refuses invalid options at once, as Helmet does', () => {
    const bad = { contentSecurityPolicy: { directives: { 'bad;name': ["'self'"] } } };
    expect(() => helmetHeaders(bad)).toThrow(/bad;name/);
    // The same options make Helmet itself throw: the refusal is Helmet's, not ours.
    expect(() => helmet(bad)).toThrow(/bad;name/);
  });
});

describe('API_SECURITY_HEADERS', () => {
  it('is the OWASP REST set, frozen', () => {
    expect(API_SECURITY_HEADERS).toEqual(API_HEADERS);
    expect(Object.isFrozen(API_SECURITY_HEADERS)).toBe(true);
  });
});

describe.each(testDialects())('security headers on every response on %s', (dialect) => {
  const ctx = useTestApp(dialect);

  const answers = {
    'an API answer': { method: 'GET', url: '/api/v1/lookup?q=lai659' },
    'an API error': { method: 'GET', url: '/api/v1/lookup' },
    'a staff API refusal': { method: 'GET', url: '/api/v1/cases' },
    '/healthz': { method: 'GET', url: '/healthz' },
    '/openapi.json': { method: 'GET', url: '/openapi.json' },
  } as const;

  it.each(Object.entries(answers))(
    '%s carries the API set and no page header',
    async (_, request) => {
      const res = await ctx.app.inject(request);
      for (const [name, value] of Object.entries(API_HEADERS)) {
        expect(res.headers[name], name).toBe(value);
      }
      // Page-only headers are not sent with JSON (and a wider page CSP would be wrong there).
      for (const name of ['x-dns-prefetch-control', 'origin-agent-cluster', 'x-xss-protection']) {
        expect(res.headers[name], name).toBeUndefined();
      }
    },
  );

  it("keeps a route's own value: the public feed may be cached for a minute", async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/blocklist/domains.txt' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  const pages = {
    'an unknown API path': { method: 'GET', url: '/api/v1/no-such-route' },
    'a page path': { method: 'GET', url: '/cases/no-such-case' },
  } as const;

  it.each(Object.entries(pages))('%s carries the page headers and the CSP', async (_, request) => {
    const res = await ctx.app.inject(request);
    for (const [name, value] of Object.entries(PAGE_HEADERS)) {
      expect(res.headers[name], name).toBe(value);
    }
    const csp = directives(res.headers['content-security-policy']);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['img-src']).toEqual(["'self'", 'blob:', 'data:']);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['frame-ancestors']).toEqual(["'self'"]);
    expect(csp['upgrade-insecure-requests']).toBeUndefined();
  });
});
