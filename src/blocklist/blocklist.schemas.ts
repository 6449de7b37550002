import { Type } from '@sinclair/typebox';
import { NullableString } from '../http/index.js';
import { PAGE_FIELDS, pagingQuery, searchQuery } from '../http/index.js';
import {
  ENTRY_MAX_PAGE_SIZE,
  ENTRY_PAGE_SIZE,
  ENTRY_STATES,
  LEGAL_BASES,
} from './blocklist.types.js';
import { PROTECTION_RULES } from '../indicators/index.js';

const literalUnion = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({
    type: 'string',
    enum: [...values],
    ...(description === undefined ? {} : { description }),
  });

const Text = (max: number, description?: string) =>
  Type.String({
    minLength: 1,
    maxLength: max,
    ...(description === undefined ? {} : { description }),
  });

/** A legal basis in requests and responses. */
export const LegalBasisSchema = Type.Object(
  {
    kind: literalUnion(
      LEGAL_BASES,
      'court_ruling, administrative_disposition, emergency_order, or published_suspension (the requesting authority published that the domain was suspended; the publication names no instrument)',
    ),
    reference: Text(
      200,
      'Reference number of the ruling or disposition, or where the authority published the suspension',
    ),
    date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' }),
  },
  { additionalProperties: false },
);

/** A blocklist entry as the API shows it to analysts and admins. */
export const EntrySchema = Type.Object({
  id: Type.String({ description: 'B + 12 Crockford base32 characters' }),
  domain: Type.String(),
  state: literalUnion(ENTRY_STATES),
  legalBasis: Type.Union([LegalBasisSchema, Type.Null()]),
  requestingUnit: NullableString,
  siteType: NullableString,
  effectiveAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  source: Type.String(),
  note: NullableString,
  caseIds: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const EntryResponseSchema = Type.Object({ entry: EntrySchema });

export const EntryDetailResponseSchema = Type.Object({
  entry: EntrySchema,
  events: Type.Array(
    Type.Object({
      type: Type.String(),
      actor: Type.String(),
      at: Type.String({ format: 'date-time' }),
      data: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
});

export const EntryListResponseSchema = Type.Object({
  entries: Type.Array(EntrySchema),
  next: Type.Union([Type.String(), Type.Null()], {
    description: 'pass as `after` for the next page',
  }),
  ...PAGE_FIELDS,
});

export const EntryParamsSchema = Type.Object({
  id: Type.String({ pattern: '^B[0-9A-Z]{12}$' }),
});

export const EntryListQuerySchema = Type.Object(
  {
    state: Type.Optional(literalUnion(ENTRY_STATES)),
    domain: Type.Optional(Text(253, 'This domain exactly (any case, IDN or punycode)')),
    q: searchQuery('Text the domain contains (any case; an IDN in full is searched as punycode)'),
    source: Type.Optional(
      Text(200, 'Entries from this source: case, api, tw165, an import file name, …'),
    ),
    after: Type.Optional(
      Type.String({
        pattern: '^B[0-9A-Z]{12}$',
        description: 'Continue after this entry (`next` of the previous page); not with offset',
      }),
    ),
    ...pagingQuery({ defaultLimit: ENTRY_PAGE_SIZE, max: ENTRY_MAX_PAGE_SIZE }),
  },
  { additionalProperties: false },
);

export const NewEntryBodySchema = Type.Object(
  {
    domain: Text(253, 'Host or registrable domain (any case, IDN or punycode)'),
    caseIds: Type.Optional(
      Type.Array(Type.String({ pattern: '^C[0-9A-Z]{10}$' }), { maxItems: 100 }),
    ),
    siteType: Type.Optional(Text(100)),
    requestingUnit: Type.Optional(Text(200)),
    legalBasis: Type.Optional(LegalBasisSchema),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const FromCaseBodySchema = Type.Object(
  {
    caseId: Type.String({ pattern: '^C[0-9A-Z]{10}$' }),
    domain: Type.Optional(
      Text(253, 'One of the case’s hosts or domains (default: its website’s registrable domain)'),
    ),
    siteType: Type.Optional(Text(100)),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const FromCaseResponseSchema = Type.Object({ entry: EntrySchema, created: Type.Boolean() });

export const ActivateBodySchema = Type.Object(
  {
    legalBasis: Type.Optional(LegalBasisSchema),
    requestingUnit: Type.Optional(Text(200)),
    siteType: Type.Optional(Text(100)),
    effectiveAt: Type.Optional(
      Type.String({ maxLength: 40, description: 'ISO 8601 with a zone; default now' }),
    ),
    expiresAt: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 with a zone' })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const TransitionBodySchema = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const TransitionParamsSchema = Type.Object({
  id: Type.String({ pattern: '^B[0-9A-Z]{12}$' }),
  transition: literalUnion(['appeal', 'reinstate', 'lift'] as const),
});

/** The active entries the RPZ zone leaves out, for staff (GET /api/v1/blocklist/rpz/omissions). */
export const ZoneOmissionsResponseSchema = Type.Object({
  origin: Type.String({ description: 'RPZ_ORIGIN the names were checked under' }),
  serial: Type.Integer({ description: 'SOA serial of the zone read' }),
  omitted: Type.Array(
    Type.Object({
      entryId: Type.String(),
      domain: Type.String(),
      rule: literalUnion(
        [...PROTECTION_RULES, 'too_long_for_origin'] as const,
        'the guard rule that refuses the name, or too_long_for_origin',
      ),
      matched: Type.String({ description: 'the label, suffix or domain that matched' }),
      message: Type.String(),
    }),
  ),
});
