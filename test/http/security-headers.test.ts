/**
 * Helmet's security headers on every kind of response (issue 14: they are computed once at start
 * instead of by a new Helmet middleware per request). The set checked is Helmet 8's defaults
 * plus the app's CSP; each kind of response must carry all of them: an API answer, an API
 * error, an unknown path, and /healthz.
 */
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { helmetHeaders } from '../../src/http/index.js';
import { testDialects, useTestApp } from '../harness.js';

const EXPECTED = {
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

describe.each(testDialects())('security headers on every response on %s', (dialect) => {
  const ctx = useTestApp(dialect);

  const responses = {
    'an API answer': { method: 'GET', url: '/api/v1/lookup?q=lai659' },
    'an API error': { method: 'GET', url: '/api/v1/lookup' },
    'an unknown path': { method: 'GET', url: '/api/v1/no-such-route' },
    '/healthz': { method: 'GET', url: '/healthz' },
  } as const;

  it.each(Object.entries(responses))('%s carries the headers and the CSP', async (_, request) => {
    const res = await ctx.app.inject(request);
    for (const [name, value] of Object.entries(EXPECTED)) {
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
