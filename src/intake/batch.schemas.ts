import { Type, type TSchema } from '@sinclair/typebox';
import { NullableString } from '../http/index.js';
import { PublicCaseSchema } from '../cases/index.js';
import { SOURCE_REPORTS_LIMIT, SOURCE_REPORTS_MAX } from '../identity/index.js';
import { REPORT_BATCH_MAX } from './batch.service.js';

/**
 * One report of a batch. Its fields are typed here; what they say (a URL that reads as a web
 * address, text within the limits, a known platform, an externalId of 1–200 characters) is
 * checked per report, so one bad report is answered alone and costs the others nothing.
 */
export const BatchReportSchema = Type.Object(
  {
    externalId: Type.Optional(
      Type.String({
        description:
          "The source's own ID of the report (1–200 characters): the same ID from the same " +
          'source is the same report, answered `duplicate`',
      }),
    ),
    url: Type.Optional(Type.String({ description: 'The suspicious URL' })),
    text: Type.Optional(Type.String({ description: 'The message or ad text' })),
    title: Type.Optional(Type.String({ description: 'Title of the content (ad headline)' })),
    platform: Type.Optional(Type.String({ description: 'Platform carrying the content' })),
  },
  { additionalProperties: false },
);

/** The items of a batch body: 1 to REPORT_BATCH_MAX `noun` (`reports`, `ads`) of `item`. */
const batchItems = <Item extends TSchema>(item: Item, noun: string) =>
  Type.Array(item, {
    minItems: 1,
    maxItems: REPORT_BATCH_MAX,
    description: `1 to ${REPORT_BATCH_MAX} ${noun}; more is 413 batch_too_large`,
  });

export const BatchBodySchema = Type.Object(
  { reports: batchItems(BatchReportSchema, 'reports') },
  { additionalProperties: false },
);

export const BatchItemResultSchema = Type.Object({
  index: Type.Integer({ description: 'Position of the report in the batch, from 0' }),
  externalId: NullableString,
  status: Type.Union([
    Type.Literal('accepted'),
    Type.Literal('duplicate'),
    Type.Literal('rejected'),
  ]),
  reportId: Type.Optional(Type.String()),
  caseId: Type.Optional(Type.String()),
  newCase: Type.Optional(Type.Boolean()),
  error: Type.Optional(
    Type.Object({
      code: Type.String({ description: 'Stable error code, as a single report would get it' }),
      message: Type.String(),
    }),
  ),
});

export const BatchResponseSchema = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  results: Type.Array(BatchItemResultSchema),
});

export const SourceReportsQuerySchema = Type.Object(
  {
    since: Type.Optional(
      Type.String({ maxLength: 200, description: 'The `next` of an earlier page' }),
    ),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: SOURCE_REPORTS_MAX, default: SOURCE_REPORTS_LIMIT }),
    ),
  },
  { additionalProperties: false },
);

export const SourceReportsResponseSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      externalId: NullableString,
      receivedAt: Type.String({ format: 'date-time' }),
      url: NullableString,
      platform: NullableString,
      case: PublicCaseSchema,
    }),
  ),
  next: NullableString,
  hasMore: Type.Boolean(),
});

export const ScannedAdSchema = Type.Object(
  {
    adId: Type.String({ description: "The ad library's own ID of the ad" }),
    platform: Type.String({ description: 'Platform whose ad library showed it' }),
    advertiserName: Type.Optional(Type.String()),
    advertiserId: Type.Optional(Type.String()),
    payerName: Type.Optional(Type.String()),
    adText: Type.Optional(Type.String()),
    landingUrl: Type.Optional(Type.String()),
    firstSeenAt: Type.String({ description: 'ISO 8601' }),
    lastSeenAt: Type.String({ description: 'ISO 8601, not before firstSeenAt' }),
    disclosure: Type.Union([Type.String(), Type.Null()], {
      description:
        'Who commissioned and who paid for the ad, as the platform shows it (ad real-name ' +
        "rule); null or blank (the platform showed none) is flagged as the platform's " +
        'compliance finding. Required: a scanner that did not read it cannot say it was missing.',
    }),
  },
  { additionalProperties: false },
);

export const ScannerFeedBodySchema = Type.Object(
  { ads: batchItems(ScannedAdSchema, 'ads') },
  { additionalProperties: false },
);
