/**
 * Fetches a reported URL as evidence, one hop at a time, every hop through the guarded client
 * (outbound.ts: scheme, credentials, port, resolved and pinned address under the SSRF policy of
 * address-policy.ts). Redirects are not followed by the client: each Location becomes a new hop,
 * checked again, up to the redirect limit; the whole capture has one deadline and each body a
 * byte limit.
 *
 * Each hop is recorded (URL, address, status, Location, response headers, timing); the final
 * body is kept (up to the byte limit) with its SHA-256, size, content type and HTML title.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { CaptureOutcome } from '../vocabulary/index.js';
import {
  discardBody,
  guardedRequest,
  OUTBOUND_REFUSAL_CODES,
  OutboundError,
  readBody,
  toOutboundError,
  type OutboundErrorCode,
  type OutboundPolicy,
  type Resolver,
} from './outbound.js';

export { systemResolver, type Resolver } from './outbound.js';

/** Limits and switches of one capture. */
export interface CaptureOptions extends OutboundPolicy {
  readonly maxRedirects: number;
  /** Largest body kept per hop, bytes. */
  readonly maxBytes: number;
  /** Deadline for all hops together, ms. */
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly resolver?: Resolver | undefined;
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
export type CaptureErrorCode = OutboundErrorCode | 'too_many_redirects';

/** Codes that mean the SSRF policy refused the destination (nothing was sent there). */
export const REFUSAL_CODES: readonly CaptureErrorCode[] = OUTBOUND_REFUSAL_CODES;

/** The result of capturing one URL. */
export interface CaptureResult {
  url: string;
  /** `fetched`: a final (non-redirect) response; `refused`: policy; `failed`: network/limits. */
  outcome: CaptureOutcome;
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
  // The first <title> and the first </title> after it, each found once: a lazy
  // `<title>([\s\S]*?)</title>` is retried from every `<title`, quadratic on a hostile page
  // (56 KB of `<title>` took 0.6 s; the 1 MiB read here, minutes).
  const open = /<title[^<>]{0,200}>/i.exec(text);
  if (open === null) return null;
  const start = open.index + open[0].length;
  const end = text.slice(start).search(/<\/title\s{0,100}>/i);
  if (end < 0) return null;
  const title = decodeEntities(text.slice(start, start + end))
    .replace(/\s+/g, ' ')
    .trim();
  return title === '' ? null : title.slice(0, 500);
}

/**
 * Captures `url` following redirects hop by hop, each hop through the guarded client under the
 * SSRF policy and limits in `options`. Never throws for network or policy problems: they end the
 * capture with `outcome` `refused` or `failed` and an error code; the hops up to then are kept.
 * @param url the URL as reported (absolute http/https).
 */
export async function captureUrl(url: string, options: CaptureOptions): Promise<CaptureResult> {
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
  const fail = (error: { code: CaptureErrorCode; message: string }): CaptureResult =>
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
    const remaining = Math.max(1, deadline - performance.now());
    try {
      const step = await guardedRequest(
        current,
        options,
        {
          method: 'GET',
          signal,
          timeoutMs: remaining,
          headers: {
            'user-agent': options.userAgent,
            accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
            'accept-encoding': 'identity',
            'accept-language': 'zh-TW,zh;q=0.9,en;q=0.8',
          },
        },
        async (response): Promise<{ next: URL } | { final: CaptureResult }> => {
          hop.address = response.address;
          hop.status = response.statusCode;
          hop.headers = { ...response.headers };
          const location = hop.headers.location;
          if (response.statusCode >= 300 && response.statusCode < 400 && location !== undefined) {
            hop.location = location;
            discardBody(response.body);
            hop.elapsedMs = Math.round(performance.now() - started);
            if (redirects >= options.maxRedirects) {
              throw new CaptureError(
                'too_many_redirects',
                `more than ${options.maxRedirects} redirects`,
              );
            }
            try {
              return { next: new URL(location, current) };
            } catch {
              throw new CaptureError('invalid_url', `Location ${location} is not a URL`);
            }
          }
          const { bytes, truncated } = await readBody(response.body, options.maxBytes);
          hop.elapsedMs = Math.round(performance.now() - started);
          const contentType = hop.headers['content-type'] ?? null;
          const encoded = (hop.headers['content-encoding'] ?? 'identity') !== 'identity';
          return {
            final: result('fetched', {
              finalUrl: current.href,
              status: response.statusCode,
              contentType,
              body: bytes,
              bodySha256: createHash('sha256').update(bytes).digest('hex'),
              bodyTruncated: truncated,
              title: encoded ? null : extractTitle(bytes, contentType),
            }),
          };
        },
      );
      if ('final' in step) return step.final;
      current = step.next;
    } catch (error) {
      hop.elapsedMs = Math.round(performance.now() - started);
      let failure: CaptureError | OutboundError =
        error instanceof CaptureError
          ? error
          : toOutboundError(error, options.timeoutMs, signal, hop.address);
      if (failure instanceof OutboundError) {
        hop.address = failure.address ?? hop.address;
        // The deadline is the whole capture's, not what was left of it for this hop.
        if (failure.code === 'timeout') {
          failure = new OutboundError(
            'timeout',
            `no complete response within ${options.timeoutMs} ms`,
            failure.address,
          );
        }
      }
      hop.error = failure.code;
      return fail(failure);
    }
  }
}
