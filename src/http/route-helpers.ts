import { Type, type TSchema, type TString } from '@sinclair/typebox';
import { MAX_AGE_HOURS, MAX_OFFSET, MAX_PAGE_SIZE, type Page } from '../shared/paging.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.js';
import { ErrorResponseSchema } from './error-schema.js';
import type { App } from './types.js';

/** OpenAPI security of routes that take a bearer credential or a web session. */
export const SIGNED_IN: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { cookieAuth: [] }];

/** OpenAPI security of staff routes that take a bearer credential only (API key or token). */
export const BEARER_ONLY: Array<Record<string, string[]>> = [{ bearerAuth: [] }];

/** The options of a route whose schema carries `tag`, `summary`, `security` and `schema`. */
type SecuredRoute<S> = {
  schema: { tags: string[]; summary: string; security: Array<Record<string, string[]>> } & S;
};

function securedRoute<S extends object>(
  security: Array<Record<string, string[]>>,
  tag: string,
  summary: string,
  schema: S,
): SecuredRoute<S> {
  return { schema: { tags: [tag], summary, security, ...schema } };
}

/**
 * The options of a route for signed-in callers: its schema is tagged `tag` (the capability),
 * summarised `summary`, secured by SIGNED_IN, and has the `params`, `querystring`, `body` and
 * `response` given in `schema` (they feed OpenAPI as written).
 */
export function signedInRoute<S extends object>(
  tag: string,
  summary: string,
  schema: S,
): SecuredRoute<S> {
  return securedRoute(SIGNED_IN, tag, summary, schema);
}

/** As signedInRoute, for a route that takes a bearer credential only (BEARER_ONLY). */
export function bearerRoute<S extends object>(
  tag: string,
  summary: string,
  schema: S,
): SecuredRoute<S> {
  return securedRoute(BEARER_ONLY, tag, summary, schema);
}

/** A route response map entry `{ status: ErrorResponse }` for each of `statuses`. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorResponseSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorResponseSchema]));
}

/** A response documented per media type: `{ description, content: { [mediaType]: { schema } } }`. */
export interface MediaResponse<S extends TSchema> {
  readonly description: string;
  readonly content: Record<string, { schema: S }>;
}

/**
 * A response entry for a body that is not serialized from an object: the media types it is
 * really sent as (RFC 6838 names without charset, e.g. `text/csv`; a parameter only where it
 * names the format, as in `application/stix+json;version=2.1`), each with `schema`. This is
 * Fastify 5's per-media-type response form, which @fastify/swagger copies into the OpenAPI 3.1
 * `content` map. Handlers answering with it set the type (`reply.type(…)`) and send a string or
 * Buffer, which Fastify passes through unserialized.
 */
export function mediaResponse<S extends TSchema>(
  description: string,
  mediaTypes: readonly string[],
  schema: S,
): MediaResponse<S> {
  return {
    description,
    content: Object.fromEntries(mediaTypes.map((mediaType) => [mediaType, { schema }])),
  };
}

/** A response entry for a text body (`text/plain`, `text/csv`, `text/html`, …) of one media type. */
export function textResponse(mediaType: string, description: string): MediaResponse<TString> {
  return mediaResponse(description, [mediaType], Type.String());
}

/**
 * The query parameter of every CSV route: `bom=true` (or `1`) starts the file with a UTF-8 byte
 * order mark so that Excel opens it as UTF-8; default without.
 */
export const CSV_BOM_QUERY = {
  bom: Type.Optional(
    Type.Union(
      [Type.Literal('true'), Type.Literal('false'), Type.Literal('1'), Type.Literal('0')],
      {
        description: 'true or 1: start with a UTF-8 byte order mark (for Excel)',
      },
    ),
  ),
};

/** True when a CSV route's query asks for a byte order mark (see CSV_BOM_QUERY). */
export function wantsBom(query: { bom?: string | undefined }): boolean {
  return query.bom === 'true' || query.bom === '1';
}

/**
 * The paging parameters of every staff list (see shared/paging.ts): `limit` (1–`max`, default
 * `defaultLimit`) and `offset` (items to skip). Out-of-range values answer 400
 * `validation_failed` naming the field.
 */
export function pagingQuery(options: { defaultLimit: number; max?: number }) {
  const max = options.max ?? MAX_PAGE_SIZE;
  return {
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: max,
        description: `Items per page, 1–${max}; default ${options.defaultLimit}`,
      }),
    ),
    offset: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_OFFSET,
        description: 'Items to skip: the 0-based position of the first item of the page; default 0',
      }),
    ),
  };
}

/**
 * A list page as its route answers it: the items under `key` (`notices`, `reports`, …) beside the
 * paging fields (see PAGE_FIELDS).
 */
export function pageBody<K extends string, T>(
  key: K,
  page: Page<T>,
): Record<K, T[]> & Omit<Page<T>, 'items'> {
  const { items, ...fields } = page;
  // A computed key widens to string: `key` is K by the signature.
  return { ...fields, ...({ [key]: items } as Record<K, T[]>) };
}

/** The paging fields of every staff list response: the true total and the page asked for. */
export const PAGE_FIELDS = {
  total: Type.Integer({
    minimum: 0,
    description: 'Items matching the filters on every page (a count, not the page length)',
  }),
  limit: Type.Integer({ minimum: 1, description: 'Items per page' }),
  offset: Type.Integer({ minimum: 0, description: 'Position of the first item of this page' }),
};

/** The age filter of staff lists, in whole hours before now (each list names what it measures). */
export function ageQuery(measuredFrom: string) {
  return {
    minAgeHours: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_AGE_HOURS,
        description: `Only items at least this many hours old (${measuredFrom})`,
      }),
    ),
    maxAgeHours: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_AGE_HOURS,
        description: `Only items at most this many hours old (${measuredFrom}); not below minAgeHours`,
      }),
    ),
  };
}

/** Longest free-text search (`q`) of a staff list, characters. */
export const LIST_SEARCH_CHARS = 200;

/** A free-text search parameter of a staff list: contains, case-insensitive. */
export function searchQuery(description: string) {
  return Type.Optional(Type.String({ minLength: 1, maxLength: LIST_SEARCH_CHARS, description }));
}

/**
 * A route's per-client rate limit (`config.rateLimit` of @fastify/rate-limit): `perWindow`
 * requests per client IP per `windowMs` (default a minute); for 0 `undefined`, so the route has
 * only the API-wide limit (API_RATE_LIMIT_PER_MINUTE). Beyond it the route answers 429
 * `rate_limited` with `Retry-After` (http/error-handler.ts).
 */
export function perClientLimit(
  perWindow: number,
  windowMs = 60_000,
): { max: number; timeWindow: number } | undefined {
  return perWindow > 0 ? { max: perWindow, timeWindow: windowMs } : undefined;
}

/**
 * A per-client limit shared by several routes, or one of several limits of a route (sign-in):
 * an `onRequest`/`preHandler` hook counting every request under `key(request)` (default the
 * client IP) in `name`'s counter, counted per node or in RATE_LIMIT_REDIS_URL like the others.
 * Beyond `max` per `windowMs` it answers 429 `rate_limited` with `Retry-After` (seconds).
 * @returns the hooks to register: that one, or none with `max` 0 (no limit, and no cost on the
 * route's requests). Routes using it set `config.rateLimit: false` when the API-wide limit
 * should not count them too (only while `max` > 0: see sharedLimitConfig).
 */
export function sharedClientLimit(
  app: App,
  limit: { name: string; max: number; windowMs: number; key?: (request: FastifyRequest) => string },
): Array<(request: FastifyRequest, reply: FastifyReply) => Promise<void>> {
  if (limit.max <= 0) return [];
  const keyOf = limit.key ?? ((request: FastifyRequest) => request.ip);
  const check = app.createRateLimit({
    max: limit.max,
    timeWindow: limit.windowMs,
    keyGenerator: (request) => `${limit.name}|${keyOf(request)}`,
  });
  const hook = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const result = await check(request);
    if (result.isAllowed || !result.isExceeded) return;
    void reply.header('retry-after', String(result.ttlInSeconds));
    const minutes = Math.max(1, Math.ceil(result.ttlInSeconds / 60));
    throw new AppError(
      429,
      'rate_limited',
      `Too many requests: try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      { details: { retryAfterSeconds: result.ttlInSeconds } },
    );
  };
  return [hook];
}

/**
 * The `config.rateLimit` of a route limited by sharedClientLimit(`max`): out of the API-wide
 * limit while its own counts (`max` > 0), under it otherwise.
 */
export function sharedLimitConfig(max: number): false | undefined {
  return max > 0 ? false : undefined;
}
