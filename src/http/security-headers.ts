import helmet, { type HelmetOptions } from 'helmet';

/**
 * The response headers Helmet (helmet 8) sets for `options`, computed once: Helmet's middleware
 * is run against a recording response and what it sets is kept. With static options (no CSP
 * nonces, no function-valued directives) Helmet sets the same headers on every response, so
 * computing them once gives the same result as running it per request.
 * Throws what Helmet throws for invalid options (at start, not per request).
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
    getHeader(name: string) {
      return headers[name.toLowerCase()];
    },
  };
  // Helmet's middleware only calls setHeader/removeHeader on the response and reads nothing of
  // the request; a recorder stands in for both (typed as Node's classes by helmet).
  const middleware = helmet(options) as unknown as (
    req: object,
    res: typeof recorder,
    next: (err?: unknown) => void,
  ) => void;
  middleware({}, recorder, (err) => {
    if (err) throw err instanceof Error ? err : new Error(String(err));
  });
  return Object.freeze(headers);
}

/**
 * The headers of an API answer (JSON, never rendered as a page), after OWASP's REST Security
 * Cheat Sheet ("Security Headers") and its HTTP Headers Cheat Sheet: nothing may be loaded or
 * framed by such a response (`default-src 'none'; frame-ancestors 'none'`, `X-Frame-Options:
 * DENY` for older browsers), no media-type sniffing, HTTPS only (HSTS, one year, subdomains),
 * readable by the same origin only (CORP), no referrer, and no copy kept by browsers or shared
 * caches (`Cache-Control: no-store`: staff answers carry reporters' personal data). A route may
 * set its own value of any of them (the public feeds allow caching for a minute).
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
});

/**
 * An `onRequest` hook that sets the security headers of every response, computed once: on an
 * answer of a route for which `isApi(routeUrl)` holds (the matched route's pattern, e.g.
 * `/api/v1/cases/:id`), API_SECURITY_HEADERS; on every other response (pages, assets, the web
 * UI's fallback, unknown paths) Helmet's headers for `pageOptions` (see `helmetHeaders`), as
 * `@fastify/helmet` would set them — but without its cost: `@fastify/helmet` 13 builds a new
 * Helmet middleware on every request, which took more than half of a bare route's throughput
 * (bench/lookup). A route may still set its own value of any of these headers.
 * Throws at once for options Helmet refuses.
 */
export function securityHeadersHook(
  pageOptions: Readonly<HelmetOptions>,
  isApi: (routeUrl: string) => boolean,
): (
  request: { routeOptions: { url?: string | undefined } },
  reply: { headers(values: Record<string, string>): unknown },
  done: () => void,
) => void {
  const pageHeaders = helmetHeaders(pageOptions);
  return (request, reply, done) => {
    const route = request.routeOptions.url;
    reply.headers(route !== undefined && isApi(route) ? API_SECURITY_HEADERS : pageHeaders);
    done();
  };
}
