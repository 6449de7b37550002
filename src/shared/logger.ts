import { destination, pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Path segments that are bearer secrets: decision links, unfollow links (web and API). */
const SECRET_PATH_SEGMENT = /(\/(?:decision-links|decide|followers|unfollow)\/)[^/?#]+/g;

/**
 * The public checks, whose query is what a person received (a link, a number, a message) or the
 * hash prefixes of it: the log keeps that a check was made, never what was checked.
 */
const CHECK_QUERY = /^(\/api\/v1\/(?:lookup|hashes\/search)\/?)\?.*$/s;

/**
 * `url` as the request log keeps it: the secret tokens of SECRET_PATH_SEGMENT's paths replaced
 * by `[redacted]`, and the query of a public check (CHECK_QUERY) by `[redacted]`.
 */
export function redactSecretPaths(url: string): string {
  return url.replace(SECRET_PATH_SEGMENT, '$1[redacted]').replace(CHECK_QUERY, '$1?[redacted]');
}

/** A request as the request log records it (Fastify's fields, the URL's tokens redacted). */
function requestForLog(request: {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number } | null;
}) {
  return {
    method: request.method,
    url: redactSecretPaths(request.url ?? ''),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * The process logger (pino, JSON lines on stderr so stdout stays free for CLI output).
 * Authorization headers and cookies are redacted, and so are the tokens of decision and unfollow
 * links in request URLs (secrets are never logged) and the query of a public check (what a
 * person checked is not kept).
 */
export function createLogger(level: string, stream: DestinationStream = destination(2)): Logger {
  return pino(
    {
      level,
      serializers: { req: requestForLog },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
    stream,
  );
}
