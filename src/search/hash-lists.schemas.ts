/**
 * Request and response schemas of the hash-prefix API (README "Private checks"); the CLI's
 * private check validates the server's answers with the same response schemas.
 */
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion } from '../http/index.js';
import { CASE_STATUSES, INDICATOR_TYPES } from '../vocabulary/index.js';
import { HASH_LIST_NAMES, MAX_SEARCH_PREFIXES } from './hash-prefix.js';

/** Longest `prefixes` value: 30 prefixes of 6 characters (8 with padding) and their commas. */
const PREFIXES_MAX_CHARS = MAX_SEARCH_PREFIXES * 9;

export const HashSearchQuerySchema = Type.Object(
  {
    prefixes: Type.String({
      maxLength: PREFIXES_MAX_CHARS,
      description:
        `1 to ${MAX_SEARCH_PREFIXES} hash prefixes, comma-separated: each the base64url ` +
        '(RFC 4648 §5, 6 characters, `==` padding optional) of the first 4 bytes of a SHA-256 ' +
        'full hash (400 invalid_prefix, 400 too_many_prefixes)',
    }),
  },
  { additionalProperties: false },
);

export const HashSearchResponseSchema = Type.Object({
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

export const HashListParamsSchema = Type.Object({
  name: Type.String({
    maxLength: 64,
    description: `The list: ${HASH_LIST_NAMES.join(' or ')} (404 hash_list_not_found)`,
  }),
});

export const HashListQuerySchema = Type.Object(
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

export const HashListResponseSchema = Type.Object({
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

/** The body of a hashes/search answer. */
export type HashSearchResponse = Static<typeof HashSearchResponseSchema>;
/** The body of a hash-lists answer. */
export type HashListResponse = Static<typeof HashListResponseSchema>;
