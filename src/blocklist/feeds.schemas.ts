import { Type } from '@sinclair/typebox';
import { LegalBasisSchema } from './blocklist.schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
/** MISP writes timestamps as strings of seconds since the epoch. */
const EpochSeconds = Type.String({ pattern: '^[0-9]+$', description: 'Seconds since the epoch' });

/** The body of `entries.json` (feeds.ts jsonFeed). */
export const JsonFeedSchema = Type.Object(
  {
    serial: Type.Integer({
      minimum: 0,
      description: 'SOA serial of the RPZ zone the entries were read at',
    }),
    entries: Type.Array(
      Type.Object({
        id: Type.String(),
        domain: Type.String({ description: 'Blocked with every name under it' }),
        legalBasis: Nullable(LegalBasisSchema),
        requestingUnit: Nullable(Type.String()),
        siteType: Nullable(Type.String()),
        effectiveAt: Nullable(DateTime),
        expiresAt: Nullable(DateTime),
        caseIds: Type.Array(Type.String()),
        urls: Type.Array(Type.String({ format: 'uri' }), {
          description:
            'Canonical URLs reported in the cases, on the domain or under it (RFC 3986 form)',
        }),
      }),
    ),
    revoked: Type.Array(
      Type.Object({
        id: Type.String(),
        domain: Type.String(),
        state: Type.Union(
          ['lifted', 'expired', 'appealed', 'withheld'].map((s) => Type.Literal(s)),
          { description: 'withheld: refused by the protection guard when the feed was rendered' },
        ),
        endedAt: Nullable(DateTime),
      }),
      {
        description:
          'Entries that left the published set within the last revocationDays days (withheld ones: endedAt null)',
      },
    ),
    revocationDays: Type.Integer({
      minimum: 1,
      description: 'How long an ended entry stays listed under revoked (FEED_REVOCATION_DAYS)',
    }),
  },
  { description: 'Active blocklist entries with their legal basis, and recently ended ones' },
);

/** The body of `stix.json`: a STIX 2.1 bundle; each object follows the OASIS STIX 2.1 schemas. */
export const StixBundleSchema = Type.Object(
  {
    type: Type.Literal('bundle'),
    id: Type.String({ pattern: '^bundle--[0-9a-f-]{36}$' }),
    objects: Type.Array(
      Type.Object({
        type: Type.String(),
        spec_version: Type.Literal('2.1'),
        id: Type.String({ pattern: '^[a-z][a-z0-9-]*--[0-9a-f-]{36}$' }),
        created: DateTime,
        modified: DateTime,
        revoked: Type.Optional(
          Type.Boolean({ description: 'true: the indicator ended (permanent, STIX 2.1 §3.2)' }),
        ),
      }),
    ),
  },
  {
    description:
      "STIX 2.1 bundle (OASIS STIX 2.1 §8): scamnet's identity and an indicator per blocked " +
      'domain and per reported URL on it',
  },
);

const MispOrgSchema = Type.Object({ name: Type.String(), uuid: Uuid });
const MispEventHeader = {
  info: Type.String(),
  date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  timestamp: EpochSeconds,
  analysis: Type.String(),
  threat_level_id: Type.String(),
  Orgc: MispOrgSchema,
  Tag: Type.Array(Type.Object({ name: Type.String() })),
};

/** The body of `misp/manifest.json`: event UUID → event header (MISP feed format). */
export const MispManifestSchema = Type.Record(
  Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }),
  Type.Object(MispEventHeader),
  {
    additionalProperties: false,
    description:
      'MISP feed manifest: each event UUID with its header, to fetch changed events only',
  },
);

/** The body of `misp/{uuid}.json`: one MISP event with a domain or url attribute per indicator. */
export const MispEventSchema = Type.Object(
  {
    Event: Type.Object({
      uuid: Uuid,
      ...MispEventHeader,
      publish_timestamp: EpochSeconds,
      published: Type.Boolean(),
      first_publication: EpochSeconds,
      distribution: Type.String(),
      sharing_group_id: Type.String(),
      extends_uuid: Type.String(),
      attribute_count: Type.String({ pattern: '^[0-9]+$' }),
      Attribute: Type.Array(
        Type.Object({
          uuid: Uuid,
          type: Type.Union([Type.Literal('domain'), Type.Literal('url')]),
          category: Type.String(),
          value: Type.String(),
          to_ids: Type.Boolean(),
          distribution: Type.String(),
          sharing_group_id: Type.String(),
          timestamp: EpochSeconds,
          deleted: Type.Boolean({ description: 'true: the indicator ended (kept for the window)' }),
          disable_correlation: Type.Boolean(),
          comment: Type.String(),
        }),
      ),
    }),
  },
  { description: 'MISP feed event' },
);
