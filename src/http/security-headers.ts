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
 * An `onRequest` hook that sets Helmet's security headers (see `helmetHeaders`) on every
 * response, as `@fastify/helmet` would, but from headers computed once: `@fastify/helmet` 13
 * builds a new Helmet middleware on every request, which took more than half of a bare route's
 * throughput (bench/lookup). A route may still set its own value of any of these headers.
 * Throws at once for options Helmet refuses.
 */
export function securityHeadersHook(
  options: Readonly<HelmetOptions>,
): (
  request: unknown,
  reply: { headers(values: Record<string, string>): unknown },
  done: () => void,
) => void {
  const headers = helmetHeaders(options);
  return (_request, reply, done) => {
    reply.headers(headers);
    done();
  };
}
