/**
 * Fetches a reported URL as evidence, one hop at a time, with SSRF protection on every hop:
 *
 * 1. the URL must be http(s), without credentials, on an allowed port;
 * 2. the host name is resolved (through an injectable resolver) and every address must pass the
 *    address policy (address-policy.ts); an IP literal is checked as it is;
 * 3. the connection goes to the checked address only: undici's connector is replaced by one that
 *    dials that address (TLS still verifies the certificate for the host name), so a second DNS
 *    answer can never redirect the connection (no DNS rebinding);
 * 4. redirects are not followed by undici: each Location becomes a new hop, checked again, up to
 *    the redirect limit; the whole capture has one deadline and each body a byte limit.
 *
 * Each hop is recorded (URL, address, status, Location, response headers, timing); the final
 * body is kept (up to the byte limit) with its SHA-256, size, content type and HTML title.
 */
import { lookup } from 'node:dns/promises';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Agent, buildConnector, request, type Dispatcher } from 'undici';
import { checkAddress, checkHostName, ipLiteralOf, type AddressPolicy } from './address-policy.js';

/** Resolves a host name to its addresses (A and AAAA). Throws an Error with `code` on failure. */
export type Resolver = (
  hostname: string,
) => Promise<readonly { address: string; family: number }[]>;

/** The system resolver (getaddrinfo, as the OS resolves names). */
export const systemResolver: Resolver = (hostname) =>
  lookup(hostname, { all: true, verbatim: true });

/** Limits and switches of one capture. */
export interface CaptureOptions extends AddressPolicy {
  readonly allowedPorts: readonly number[];
  readonly maxRedirects: number;
  /** Largest body kept per hop, bytes. */
  readonly maxBytes: number;
  /** Deadline for all hops together, ms. */
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly resolver?: Resolver;
  /** Wall-clock source for the recorded hop times (ms since the epoch). */
  readonly now?: () => number;
}

/** One request/response of a capture. */
export interface CaptureHop {
  url: string;
  /** The IP address connected to (after the policy check), when one was. */
  address: string | null;
  status: number | null;
  location: string | null;
  /** Response headers, lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** ISO 8601 UTC. */
  startedAt: string;
  /** Time to the end of the body (or the error), ms. */
  elapsedMs: number;
  /** Set when this hop ended the capture with an error. */
  error?: string;
}

/** Why a capture stopped without a final response. */
export type CaptureErrorCode =
  | 'invalid_url'
  | 'unsupported_scheme'
  | 'credentials_in_url'
  | 'blocked_port'
  | 'blocked_host'
  | 'blocked_address'
  | 'dns_nxdomain'
  | 'dns_error'
  | 'too_many_redirects'
  | 'timeout'
  | 'network_error';

/** Codes that mean the SSRF policy refused the destination (nothing was sent there). */
export const REFUSAL_CODES: readonly CaptureErrorCode[] = [
  'invalid_url',
  'unsupported_scheme',
  'credentials_in_url',
  'blocked_port',
  'blocked_host',
  'blocked_address',
];

/** The result of capturing one URL. */
export interface CaptureResult {
  url: string;
  /** `fetched`: a final (non-redirect) response; `refused`: policy; `failed`: network/limits. */
  outcome: 'fetched' | 'refused' | 'failed';
  hops: CaptureHop[];
  finalUrl: string | null;
  status: number | null;
  contentType: string | null;
  /** The final body, at most maxBytes. */
  body: Uint8Array | null;
  bodySha256: string | null;
  bodyTruncated: boolean;
  title: string | null;
  error: { code: CaptureErrorCode; message: string } | null;
}

class CaptureError extends Error {
  readonly code: CaptureErrorCode;
  constructor(code: CaptureErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80;
}

/** Checks one hop's URL and destination; returns the address to connect to. */
async function checkDestination(
  url: URL,
  options: CaptureOptions,
  resolver: Resolver,
): Promise<string> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CaptureError('unsupported_scheme', `${url.protocol} URLs are not captured`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new CaptureError('credentials_in_url', 'URLs with credentials are not captured');
  }
  const port = url.port === '' ? defaultPort(url.protocol) : Number(url.port);
  if (!options.allowedPorts.includes(port)) {
    throw new CaptureError('blocked_port', `port ${port} is not an allowed port`);
  }
  const literal = ipLiteralOf(url.hostname);
  if (literal !== undefined) {
    const verdict = checkAddress(literal, options);
    if (!verdict.allowed)
      throw new CaptureError('blocked_address', `${literal}: ${verdict.reason}`);
    return verdict.address;
  }
  const hostProblem = checkHostName(url.hostname);
  if (hostProblem !== undefined) throw new CaptureError('blocked_host', hostProblem);
  let answers: readonly { address: string }[];
  try {
    answers = await resolver(url.hostname);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code === 'ENOTFOUND' || code === 'ENODATA') {
      throw new CaptureError('dns_nxdomain', `${url.hostname} does not resolve (${code})`);
    }
    throw new CaptureError('dns_error', `resolving ${url.hostname} failed (${code || 'error'})`);
  }
  if (answers.length === 0)
    throw new CaptureError('dns_nxdomain', `${url.hostname} has no address`);
  // Every answer must pass: a name that also points inside is refused outright.
  let chosen: string | undefined;
  for (const answer of answers) {
    const verdict = checkAddress(answer.address, options);
    if (!verdict.allowed) {
      throw new CaptureError(
        'blocked_address',
        `${url.hostname} resolves to ${answer.address}: ${verdict.reason}`,
      );
    }
    chosen ??= verdict.address;
  }
  if (chosen === undefined)
    throw new CaptureError('dns_nxdomain', `${url.hostname} has no address`);
  return chosen;
}

/** An undici Agent whose every connection dials `address`, whatever the URL's host resolves to. */
function pinnedAgent(url: URL, address: string, connectTimeoutMs: number): Agent {
  const connect = buildConnector({ timeout: connectTimeoutMs });
  const isLiteral = ipLiteralOf(url.hostname) !== undefined;
  return new Agent({
    connections: 1,
    pipelining: 0,
    connect: (options, callback) => {
      if (options.hostname !== url.hostname) {
        callback(new Error(`refusing to connect to ${options.hostname}`), null);
        return;
      }
      connect(
        {
          ...options,
          hostname: address,
          ...(isLiteral ? {} : { servername: url.hostname }),
        },
        callback,
      );
    },
  });
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Stops reading a body; the abort error this raises on the stream is expected. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** Reads a body up to `maxBytes`, then stops reading and destroys the stream. */
async function readLimited(
  body: Dispatcher.ResponseData['body'],
  maxBytes: number,
): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    if (size + buffer.length > maxBytes) {
      chunks.push(buffer.subarray(0, maxBytes - size));
      size = maxBytes;
      truncated = true;
      break;
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  if (truncated) discard(body);
  return { bytes: Buffer.concat(chunks, size), truncated };
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) {
      const code = Number.parseInt(entity.slice(2), 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    if (entity.startsWith('#')) {
      const code = Number.parseInt(entity.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

/**
 * The `<title>` of an HTML document, decoded with the charset of the Content-Type header or of a
 * `<meta charset>` in the first 4 KiB (UTF-8 otherwise; Big5 and GBK pages are common here),
 * entities decoded, whitespace collapsed, at most 500 characters.
 * @returns null when there is no title or the body is not HTML.
 */
export function extractTitle(body: Uint8Array, contentType: string | null): string | null {
  if (contentType !== null && !/html|xml/i.test(contentType)) return null;
  const head = Buffer.from(body.subarray(0, 4096)).toString('latin1');
  const charset =
    /charset=["']?([\w-]+)/i.exec(contentType ?? '')?.[1] ??
    /<meta[^>]+charset=["']?([\w-]+)/i.exec(head)?.[1] ??
    'utf-8';
  let text: string;
  try {
    text = new TextDecoder(charset.toLowerCase()).decode(body.subarray(0, 1_048_576));
  } catch {
    text = new TextDecoder('utf-8').decode(body.subarray(0, 1_048_576));
  }
  const match = /<title[^>]*>([\s\S]*?)<\/title\s*>/i.exec(text);
  if (match?.[1] === undefined) return null;
  const title = decodeEntities(match[1]).replace(/\s+/g, ' ').trim();
  return title === '' ? null : title.slice(0, 500);
}

/**
 * Captures `url` following redirects hop by hop under the SSRF policy and limits in `options`.
 * Never throws for network or policy problems: they end the capture with `outcome` `refused`
 * or `failed` and an error code; the hops up to then are kept.
 * @param url the URL as reported (absolute http/https).
 */
export async function captureUrl(url: string, options: CaptureOptions): Promise<CaptureResult> {
  const resolver = options.resolver ?? systemResolver;
  const now = options.now ?? Date.now;
  const deadline = performance.now() + options.timeoutMs;
  const signal = AbortSignal.timeout(options.timeoutMs);
  const hops: CaptureHop[] = [];
  const result = (
    outcome: CaptureResult['outcome'],
    rest: Partial<CaptureResult> = {},
  ): CaptureResult => ({
    url,
    outcome,
    hops,
    finalUrl: null,
    status: null,
    contentType: null,
    body: null,
    bodySha256: null,
    bodyTruncated: false,
    title: null,
    error: null,
    ...rest,
  });
  const fail = (error: CaptureError): CaptureResult =>
    result(REFUSAL_CODES.includes(error.code) ? 'refused' : 'failed', {
      error: { code: error.code, message: error.message },
    });

  let current: URL;
  try {
    current = new URL(url);
  } catch {
    return fail(new CaptureError('invalid_url', 'not an absolute URL'));
  }
  for (let redirects = 0; ; redirects += 1) {
    const started = performance.now();
    const hop: CaptureHop = {
      url: current.href,
      address: null,
      status: null,
      location: null,
      headers: {},
      startedAt: new Date(now()).toISOString(),
      elapsedMs: 0,
    };
    hops.push(hop);
    let agent: Agent | undefined;
    try {
      const address = await checkDestination(current, options, resolver);
      hop.address = address;
      const remaining = Math.max(1, deadline - performance.now());
      agent = pinnedAgent(current, address, remaining);
      const response = await request(current, {
        dispatcher: agent,
        method: 'GET',
        signal,
        headersTimeout: remaining,
        bodyTimeout: remaining,
        headers: {
          'user-agent': options.userAgent,
          accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
          'accept-encoding': 'identity',
          'accept-language': 'zh-TW,zh;q=0.9,en;q=0.8',
        },
      });
      hop.status = response.statusCode;
      hop.headers = flattenHeaders(response.headers);
      const location = hop.headers.location;
      if (response.statusCode >= 300 && response.statusCode < 400 && location !== undefined) {
        hop.location = location;
        discard(response.body);
        hop.elapsedMs = Math.round(performance.now() - started);
        if (redirects >= options.maxRedirects) {
          throw new CaptureError(
            'too_many_redirects',
            `more than ${options.maxRedirects} redirects`,
          );
        }
        try {
          current = new URL(location, current);
        } catch {
          throw new CaptureError('invalid_url', `Location ${location} is not a URL`);
        }
        continue;
      }
      const { bytes, truncated } = await readLimited(response.body, options.maxBytes);
      hop.elapsedMs = Math.round(performance.now() - started);
      const contentType = hop.headers['content-type'] ?? null;
      const encoded = (hop.headers['content-encoding'] ?? 'identity') !== 'identity';
      return result('fetched', {
        finalUrl: current.href,
        status: response.statusCode,
        contentType,
        body: bytes,
        bodySha256: createHash('sha256').update(bytes).digest('hex'),
        bodyTruncated: truncated,
        title: encoded ? null : extractTitle(bytes, contentType),
      });
    } catch (error) {
      hop.elapsedMs = Math.round(performance.now() - started);
      const captureError =
        error instanceof CaptureError
          ? error
          : signal.aborted || isTimeout(error)
            ? new CaptureError('timeout', `no complete response within ${options.timeoutMs} ms`)
            : new CaptureError('network_error', describe(error));
      hop.error = captureError.code;
      return fail(captureError);
    } finally {
      await agent?.destroy().catch(() => undefined);
    }
  }
}

function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error ? String(error.code) : '';
  return /TIMEOUT/i.test(code) || error.name === 'TimeoutError' || error.name === 'AbortError';
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error ? ` (${String(error.code)})` : '';
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${code}${cause}`;
}
