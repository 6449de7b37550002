import { ErrorResponseSchema, perClientLimit } from '../http/index.js';
import type { App, RouteContext } from '../http/index.js';
import { AppError, notFound } from '../shared/errors.js';
import { MAX_SEARCH_PREFIXES, isHashListName, parsePrefix } from './hash-prefix.js';
import {
  HashListParamsSchema,
  HashListQuerySchema,
  HashListResponseSchema,
  HashSearchQuerySchema,
  HashSearchResponseSchema,
} from './hash-lists.schemas.js';
import { hashListUpdate, newHashListNode, searchHashes } from './hash-lists.service.js';

/**
 * Reads `prefixes` of hashes/search: 1 to MAX_SEARCH_PREFIXES comma-separated base64url 4-byte
 * prefixes (parsePrefix).
 * @throws AppError 400 `invalid_prefix` (with the position) or `too_many_prefixes`.
 */
export function parsePrefixList(value: string): number[] {
  const parts = value.split(',');
  if (parts.length > MAX_SEARCH_PREFIXES) {
    throw new AppError(
      400,
      'too_many_prefixes',
      `At most ${MAX_SEARCH_PREFIXES} prefixes per request.`,
      { details: { field: 'prefixes', limit: MAX_SEARCH_PREFIXES, given: parts.length } },
    );
  }
  return parts.map((part, index) => {
    const prefix = parsePrefix(part);
    if (prefix === null) {
      throw new AppError(
        400,
        'invalid_prefix',
        'Each prefix is the base64url of 4 bytes: 6 characters of A–Z a–z 0–9 - _.',
        { details: { field: 'prefixes', index } },
      );
    }
    return prefix;
  });
}

/**
 * The privacy-preserving hash-prefix API (README "Private checks", modelled on Safe Browsing
 * v5): `GET /api/v1/hashes/search?prefixes=…` and `GET /api/v1/hash-lists/{name}?version=…`.
 * Public, rate-limited per client IP (HASH_SEARCH_RATE_LIMIT_PER_MINUTE,
 * HASH_LIST_RATE_LIMIT_PER_MINUTE). One node state per app (hash-lists.service.ts).
 */
export function registerHashListRoutes(app: App, { deps }: RouteContext): void {
  const node = newHashListNode();
  app.get(
    '/api/v1/hashes/search',
    {
      config: { rateLimit: perClientLimit(deps.config.hashLists.searchRateLimitPerMinute) },
      schema: {
        tags: ['lookup'],
        summary:
          'Full hashes of warn-worthy links and contacts starting with given 4-byte prefixes',
        description:
          'The client hashes locally and sends only prefixes: the server never learns the link ' +
          'or number checked. See README "Private checks" for the hash inputs.',
        querystring: HashSearchQuerySchema,
        response: {
          200: HashSearchResponseSchema,
          400: ErrorResponseSchema,
          429: ErrorResponseSchema,
        },
      },
    },
    async (request) => searchHashes(deps, node, parsePrefixList(request.query.prefixes)),
  );
  app.get(
    '/api/v1/hash-lists/:name',
    {
      config: { rateLimit: perClientLimit(deps.config.hashLists.listRateLimitPerMinute) },
      schema: {
        tags: ['lookup'],
        summary: 'A hash-prefix list, whole or as an update of the client’s version',
        params: HashListParamsSchema,
        querystring: HashListQuerySchema,
        response: {
          200: HashListResponseSchema,
          400: ErrorResponseSchema,
          404: ErrorResponseSchema,
          429: ErrorResponseSchema,
        },
      },
    },
    async (request) => {
      const { name } = request.params;
      if (!isHashListName(name)) {
        throw notFound('hash_list_not_found', `No hash list ${JSON.stringify(name)}.`);
      }
      return hashListUpdate(deps, node, name, request.query.version);
    },
  );
}
