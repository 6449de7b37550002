import { Type } from '@sinclair/typebox';
import { ErrorResponseSchema, literalUnion } from '../http/index.js';
import type { App, RouteContext } from '../http/index.js';
import { AppError, notFound } from '../shared/errors.js';
import { CASE_STATUSES, INDICATOR_TYPES } from '../vocabulary/index.js';
import {
  HASH_LIST_NAMES,
  MAX_SEARCH_PREFIXES,
  isHashListName,
  parsePrefix,
} from './hash-prefix.js';
import { hashListUpdate, newHashListNode, searchHashes } from './hash-lists.service.js';

/** Longest `prefixes` value: 30 prefixes of 6 characters (8 with padding) and their commas. */
const PREFIXES_MAX_CHARS = MAX_SEARCH_PREFIXES * 9;

const HashSearchQuerySchema = Type.Object(
  {
    prefixes: Type.String({
      minLength: 1,
      maxLength: PREFIXES_MAX_CHARS,
      description:
        `1 to ${MAX_SEARCH_PREFIXES} hash prefixes, comma-separated: each the base64url ` +
        '(RFC 4648 §5, 6 characters, `==` padding optional) of the first 4 bytes of a SHA-256 ' +
        'full hash (400 invalid_prefix, 400 too_many_prefixes)',
    }),
  },
  { additionalProperties: false },
);

const HashSearchResponseSchema = Type.Object({
  fullHashes: Type.Array(
    Type.Object({
      fullHash: Type.String({
        pattern: '^[A-Za-z0-9_-]{43}$',
        description: 'Base64url (no padding) of the 32-byte SHA-256 full hash',
      }),
      kind: literalUnion(INDICATOR_TYPES, 'The indicator type the hash input is of'),
      status: literalUnion(CASE_STATUSES, 'Public state of the most serious case holding it'),
      label: Type.Object({ 'zh-TW': Type.String(), en: Type.String() }),
    }),
    {
      description:
        'Warn-worthy entries (confirmed fraud, high risk, published blocklist domains) whose ' +
        'full hash starts with one of the prefixes; never cases still being checked',
    },
  ),
  cacheSeconds: Type.Integer({
    minimum: 0,
    description: 'Seconds the client may keep this answer for these prefixes, found or not',
  }),
});

const HashListParamsSchema = Type.Object({
  name: Type.String({
    maxLength: 64,
    description: `The list: ${HASH_LIST_NAMES.join(' or ')} (404 hash_list_not_found)`,
  }),
});

const HashListQuerySchema = Type.Object(
  {
    version: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 2_147_483_647,
        description:
          'The version of the client’s copy; without it (or with one too old or unknown) the ' +
          'whole list is sent',
      }),
    ),
  },
  { additionalProperties: false },
);

const HashListResponseSchema = Type.Object({
  name: literalUnion(HASH_LIST_NAMES),
  version: Type.Integer({ minimum: 1, description: 'The version after applying this answer' }),
  partial: Type.Boolean({
    description: 'true: an update of the given version; false: the whole list (replace the copy)',
  }),
  additions: Type.String({
    description: 'Base64 (padded) of the concatenated sorted 4-byte prefixes to add',
  }),
  removalIndices: Type.Array(Type.Integer({ minimum: 0 }), {
    description: 'Indices into the client’s sorted old list of the prefixes to remove, ascending',
  }),
  checksum: Type.String({
    description:
      'Base64 SHA-256 of the concatenated sorted prefixes of the whole list after the update',
  }),
});

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
  const limit = (perMinute: number) =>
    perMinute > 0 ? { max: perMinute, timeWindow: 60_000 } : false;
  app.get(
    '/api/v1/hashes/search',
    {
      config: { rateLimit: limit(deps.config.hashLists.searchRateLimitPerMinute) },
      schema: {
        tags: ['lookup'],
        summary: 'Full hashes of warn-worthy links and contacts starting with given 4-byte prefixes',
        description:
          'The client hashes locally and sends only prefixes: the server never learns the link ' +
          'or number checked. See README "Private checks" for the hash inputs.',
        querystring: HashSearchQuerySchema,
        response: { 200: HashSearchResponseSchema, 400: ErrorResponseSchema, 429: ErrorResponseSchema },
      },
    },
    async (request) => searchHashes(deps, node, parsePrefixList(request.query.prefixes)),
  );
  app.get(
    '/api/v1/hash-lists/:name',
    {
      config: { rateLimit: limit(deps.config.hashLists.listRateLimitPerMinute) },
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
