/**
 * The guarded HTTP client: the only way scamnet code makes an outbound HTTP request (evidence
 * capture and its redirect hops, takedown re-checks, screenshots' sub-requests, platform
 * webhooks). ESLint bans `fetch`, undici and node:http(s) requests everywhere else in src/.
 *
 * One call is one request to one URL, under SSRF protection (address-policy.ts):
 * 1. the URL must be http(s), without credentials, on an allowed port;
 * 2. an IP-literal host (`http://[::1]:8082/`, brackets stripped) is checked as it is; a name is
 *    refused when it is local by convention, else resolved (through an injectable resolver) and
 *    every address it has must pass the policy;
 * 3. the connection goes to the checked address only: undici's connector is replaced by one that
 *    dials that address (TLS still verifies the certificate for the host name), so a second DNS
 *    answer can never redirect the connection (no DNS rebinding between check and connect);
 * 4. redirects are never followed here: a caller that follows them (capture) makes each Location
 *    a new call, checked again — every hop passes the guard.
 */
import { lookup } from 'node:dns/promises';
import { Agent, buildConnector, request, type Dispatcher } from 'undici';
import type { Config } from '../config/index.js';
import {
  checkAddress,
  checkHostName,
  ipLiteralOf,
  stripBrackets,
  type AddressPolicy,
} from './address-policy.js';

/** Resolves a host name to its addresses (A and AAAA). Throws an Error with `code` on failure. */
export type Resolver = (
  hostname: string,
) => Promise<readonly { address: string; family: number }[]>;

/** The system resolver (getaddrinfo, as the OS resolves names). */
export const systemResolver: Resolver = (hostname) =>
  lookup(hostname, { all: true, verbatim: true });

/** Where outbound requests may go. */
export interface OutboundPolicy extends AddressPolicy {
  /** Destination ports allowed (CAPTURE_ALLOWED_PORTS; 80 and 443 by default). */
  readonly allowedPorts: readonly number[];
  /** Name resolution; the system resolver by default (tests inject their own). */
  readonly resolver?: Resolver | undefined;
}

/**
 * The outbound policy of a deployment: CAPTURE_ALLOW_LOOPBACK and CAPTURE_ALLOWED_PORTS govern
 * every outbound request, not only captures.
 */
export function outboundPolicyOf(
  config: Pick<Config, 'evidence'>,
  resolver?: Resolver,
): OutboundPolicy {
  return {
    allowLoopback: config.evidence.captureAllowLoopback,
    allowedPorts: config.evidence.captureAllowedPorts,
    ...(resolver === undefined ? {} : { resolver }),
  };
}

/** Why an outbound request was refused or did not complete. */
export type OutboundErrorCode =
  | 'invalid_url'
  | 'unsupported_scheme'
  | 'credentials_in_url'
  | 'blocked_port'
  | 'blocked_host'
  | 'blocked_address'
  | 'dns_nxdomain'
  | 'dns_error'
  | 'timeout'
  | 'network_error';

/** Codes that mean the guard refused the destination (nothing was sent there). */
export const OUTBOUND_REFUSAL_CODES: readonly OutboundErrorCode[] = [
  'invalid_url',
  'unsupported_scheme',
  'credentials_in_url',
  'blocked_port',
  'blocked_host',
  'blocked_address',
];

/** A refused or failed outbound request. */
export class OutboundError extends Error {
  readonly code: OutboundErrorCode;
  /** The checked address, when the guard got as far as choosing one. */
  readonly address: string | null;
  constructor(code: OutboundErrorCode, message: string, address: string | null = null) {
    super(message);
    this.name = 'OutboundError';
    this.code = code;
    this.address = address;
  }

  /** True when the guard refused the destination (as opposed to a network failure). */
  get refused(): boolean {
    return OUTBOUND_REFUSAL_CODES.includes(this.code);
  }
}

function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80;
}

/**
 * Checks one URL's scheme, credentials, port and destination against `policy`, resolving a host
 * name when needed; every address of the name must pass.
 * @returns the address to connect to.
 * @throws OutboundError `unsupported_scheme`, `credentials_in_url`, `blocked_port`,
 *   `blocked_host`, `blocked_address`, `dns_nxdomain`, `dns_error`.
 */
export async function checkDestination(url: URL, policy: OutboundPolicy): Promise<string> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundError('unsupported_scheme', `${url.protocol} URLs are not fetched`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new OutboundError('credentials_in_url', 'URLs with credentials are not fetched');
  }
  const port = url.port === '' ? defaultPort(url.protocol) : Number(url.port);
  if (!policy.allowedPorts.includes(port)) {
    throw new OutboundError('blocked_port', `port ${port} is not an allowed port`);
  }
  const literal = ipLiteralOf(url.hostname);
  if (literal !== undefined) {
    const verdict = checkAddress(literal, policy);
    if (!verdict.allowed) {
      throw new OutboundError('blocked_address', `${literal}: ${verdict.reason}`);
    }
    return verdict.address;
  }
  const hostProblem = checkHostName(url.hostname);
  if (hostProblem !== undefined) throw new OutboundError('blocked_host', hostProblem);
  let answers: readonly { address: string }[];
  try {
    answers = await (policy.resolver ?? systemResolver)(url.hostname);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code === 'ENOTFOUND' || code === 'ENODATA') {
      throw new OutboundError('dns_nxdomain', `${url.hostname} does not resolve (${code})`);
    }
    throw new OutboundError('dns_error', `resolving ${url.hostname} failed (${code || 'error'})`);
  }
  // Every answer must pass: a name that also points inside is refused outright.
  let chosen: string | undefined;
  for (const answer of answers) {
    const verdict = checkAddress(answer.address, policy);
    if (!verdict.allowed) {
      throw new OutboundError(
        'blocked_address',
        `${url.hostname} resolves to ${answer.address}: ${verdict.reason}`,
      );
    }
    chosen ??= verdict.address;
  }
  if (chosen === undefined) {
    throw new OutboundError('dns_nxdomain', `${url.hostname} has no address`);
  }
  return chosen;
}

/**
 * An undici Agent whose every connection dials `address`, whatever the URL's host resolves to.
 * The host undici asks for is compared without IPv6 brackets (undici strips them, WHATWG URL
 * hosts keep them).
 */
function pinnedAgent(url: URL, address: string, connectTimeoutMs: number): Agent {
  const connect = buildConnector({ timeout: connectTimeoutMs });
  const host = stripBrackets(url.hostname);
  const isLiteral = ipLiteralOf(url.hostname) !== undefined;
  return new Agent({
    connections: 1,
    pipelining: 0,
    connect: (options, callback) => {
      if (stripBrackets(options.hostname) !== host) {
        callback(new Error(`refusing to connect to ${options.hostname}`), null);
        return;
      }
      connect(
        {
          ...options,
          hostname: address,
          // SNI carries host names only (RFC 6066 §3), never an address.
          ...(isLiteral ? {} : { servername: host }),
        },
        callback,
      );
    },
  });
}

/** One outbound request. */
export interface OutboundRequest {
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  /** Text, or bytes (an encrypted Web Push payload). */
  readonly body?: string | Uint8Array | undefined;
  /** Time limit for connecting, the response headers and each body read, ms. */
  readonly timeoutMs: number;
  /** Aborts the request (e.g. a deadline shared by several hops). */
  readonly signal?: AbortSignal | undefined;
}

/** The response, while its body can still be read. */
export interface OutboundResponse {
  /** The address connected to (after the policy check). */
  readonly address: string;
  readonly statusCode: number;
  /** Response headers, lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Dispatcher.ResponseData['body'];
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
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

/**
 * An error from connecting or reading as an OutboundError: `timeout` when `signal` fired or the
 * error is a timeout, else `network_error`; OutboundErrors pass unchanged.
 */
export function toOutboundError(
  error: unknown,
  timeoutMs: number,
  signal?: AbortSignal,
  address: string | null = null,
): OutboundError {
  if (error instanceof OutboundError) return error;
  if (signal?.aborted === true || isTimeout(error)) {
    return new OutboundError('timeout', `no complete response within ${timeoutMs} ms`, address);
  }
  return new OutboundError('network_error', describe(error), address);
}

/** Stops reading a body; the abort error this raises on the stream is expected. */
export function discardBody(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/**
 * Reads a body up to `maxBytes`, then stops reading and destroys the stream.
 * @returns the bytes read and whether the body was longer.
 */
export async function readBody(
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
  if (truncated) discardBody(body);
  return { bytes: Buffer.concat(chunks, size), truncated };
}

/**
 * Sends one request to `url` under `policy` (see the module comment) and hands the response to
 * `consume`, whose result is returned; the connection is closed when `consume` settles, so the
 * body must be read (or discarded) inside it. Redirects are returned, not followed.
 * @throws OutboundError: a refusal (`OUTBOUND_REFUSAL_CODES`, nothing sent), `dns_nxdomain`,
 *   `dns_error`, `timeout` or `network_error` before a response; errors thrown by `consume`
 *   pass through unchanged.
 */
export async function guardedRequest<T>(
  url: string | URL,
  policy: OutboundPolicy,
  init: OutboundRequest,
  consume: (response: OutboundResponse) => Promise<T>,
): Promise<T> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new OutboundError('invalid_url', 'not an absolute URL');
  }
  const address = await checkDestination(target, policy);
  const signal = init.signal ?? AbortSignal.timeout(init.timeoutMs);
  const agent = pinnedAgent(target, address, init.timeoutMs);
  try {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(target, {
        dispatcher: agent,
        method: init.method,
        signal,
        headersTimeout: init.timeoutMs,
        bodyTimeout: init.timeoutMs,
        headers: { ...init.headers },
        ...(init.body === undefined ? {} : { body: init.body }),
      });
    } catch (error) {
      throw toOutboundError(error, init.timeoutMs, signal, address);
    }
    return await consume({
      address,
      statusCode: response.statusCode,
      headers: flattenHeaders(response.headers),
      body: response.body,
    });
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}
