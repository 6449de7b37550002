import { Type, type Static } from '@sinclair/typebox';
import { NullableString } from '../http/index.js';
import { ComplianceSchema } from '../takedown/index.js';

const LabelSchema = Type.Object({ 'zh-TW': Type.String(), en: Type.String() });

const ChangeSchema = Type.Object(
  {
    current: Type.Integer(),
    previous: Type.Integer(),
    change: Type.Integer(),
    changePercent: Type.Union([Type.Number(), Type.Null()], {
      description: 'change / previous × 100, one decimal; null when previous is 0',
    }),
  },
  { description: 'A count with its change against the previous period' },
);

/** A period of whole local days (see statistics/periods.ts). */
export const PeriodSchema = Type.Object({
  startDate: Type.String({ description: 'First local day, YYYY-MM-DD' }),
  endDate: Type.String({ description: 'Last local day (inclusive), YYYY-MM-DD' }),
  days: Type.Integer(),
  timeZone: Type.String({ description: 'IANA time zone of the dates' }),
  startsAt: Type.String({ description: 'ISO 8601 UTC instant of the first local midnight' }),
  endsAt: Type.String({ description: 'ISO 8601 UTC instant the period ends (exclusive)' }),
});

const VerdictChangesFields = {
  fraud: ChangeSchema,
  highRisk: ChangeSchema,
  notFraud: ChangeSchema,
};

/** GET /api/v1/stats. */
export const StatsSchema = Type.Object({
  period: PeriodSchema,
  previousPeriod: PeriodSchema,
  reports: ChangeSchema,
  newCases: ChangeSchema,
  confirmed: Type.Object(VerdictChangesFields),
  byPlatform: Type.Array(
    Type.Object({
      group: Type.String(),
      name: LabelSchema,
      platforms: Type.Array(Type.String()),
      reports: Type.Object(ChangeSchema.properties, {
        description: 'Reports received: each report’s platform, else its case’s',
      }),
      newCases: ChangeSchema,
      ...VerdictChangesFields,
    }),
  ),
  byScamType: Type.Array(
    Type.Object({ scamType: Type.String(), name: LabelSchema, ...VerdictChangesFields }),
  ),
  bySource: Type.Array(
    Type.Object({
      sourceKind: Type.String({ description: 'citizen, scanner, public_figure, agency, …' }),
      name: LabelSchema,
      reports: ChangeSchema,
    }),
    { description: 'Reports received by who sent them' },
  ),
  adDisclosure: Type.Array(
    Type.Object({
      platform: Type.String(),
      ads: Type.Integer({ description: 'Ads the scanner first found in the period' }),
      missingDisclosure: Type.Integer({
        description: 'Of them, ads showing no commissioner/payer (a platform compliance finding)',
      }),
    }),
  ),
  takedown: Type.Array(ComplianceSchema),
});

const ShareSchema = Type.Object({
  key: Type.String(),
  name: LabelSchema,
  count: Type.Integer(),
  share: Type.Number({ description: 'Percent of the week’s total, one decimal' }),
  previousCount: Type.Integer(),
  previousShare: Type.Number(),
  shareChange: Type.Number({ description: 'share − previousShare, percentage points' }),
});

/** The weekly bulletin (週快訊), as JSON and as the published snapshot. */
export const BulletinSchema = Type.Object({
  week: Type.String({ description: 'YYYY-Www' }),
  weekStart: Type.Union([Type.Literal('sunday'), Type.Literal('monday')]),
  period: PeriodSchema,
  previousWeek: Type.String(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('published')]),
  publishedAt: NullableString,
  cumulative: Type.Object({
    since: Type.Union([Type.String(), Type.Null()], {
      description: 'Local date of the first report ever received',
    }),
    reports: Type.Integer(),
    confirmedFraud: Type.Integer(),
  }),
  reports: ChangeSchema,
  confirmedFraud: ChangeSchema,
  platformShares: Type.Array(ShareSchema, { description: 'Of the week’s confirmed fraud cases' }),
  topScamTypes: Type.Array(ShareSchema, { description: 'Top three, of confirmed fraud cases' }),
  sourceShares: Type.Optional(
    Type.Array(ShareSchema, {
      description:
        'Of the week’s reports, by who sent them (民眾 / AI 掃描 / 公眾人物 …); absent from ' +
        'bulletins published before sources were recorded',
    }),
  ),
  hotKeywords: Type.Array(
    Type.Object({
      keyword: Type.String(),
      count: Type.Integer(),
      expected: Type.Number(),
      score: Type.Number(),
    }),
  ),
  topImpersonated: Type.Array(
    Type.Object({
      entityId: Type.String(),
      name: LabelSchema,
      count: Type.Integer(),
      previousCount: Type.Integer(),
    }),
  ),
  reminders: Type.Array(Type.String()),
});

/** One bulletin as the JSON API and the snapshot store it. */
export type Bulletin = Static<typeof BulletinSchema>;

/** A share row of a bulletin (platform group or scam type). */
export type Share = Static<typeof ShareSchema>;

/** Query of a period: local dates and an optional time zone. */
export const PeriodQuerySchema = Type.Object(
  {
    from: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'First day, YYYY-MM-DD' }),
    to: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Last day, inclusive' }),
    timeZone: Type.Optional(
      Type.String({ maxLength: 64, description: 'IANA zone; default STATS_TIME_ZONE' }),
    ),
  },
  { additionalProperties: false },
);

export const WeekParamsSchema = Type.Object({
  week: Type.String({ pattern: '^\\d{4}-W\\d{2}$', description: 'YYYY-Www, e.g. 2025-W27' }),
});

/** Analysts' reminders of a bulletin: plain text paragraphs. */
export const RemindersBodySchema = Type.Object(
  {
    reminders: Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { maxItems: 10 }),
  },
  { additionalProperties: false },
);

export const PublishedListSchema = Type.Object({
  bulletins: Type.Array(
    Type.Object({
      week: Type.String(),
      publishedAt: Type.String(),
      period: PeriodSchema,
      reports: Type.Object(ChangeSchema.properties, { description: 'Reports of the week' }),
      confirmedFraud: Type.Object(ChangeSchema.properties, {
        description: 'Cases confirmed as fraud in the week',
      }),
    }),
  ),
});

const ActionCounts = Type.Object({
  proposed: Type.Integer(),
  activated: Type.Integer(),
  appealed: Type.Integer(),
  reinstated: Type.Integer(),
  lifted: Type.Integer(),
  expired: Type.Integer(),
});

/** GET /api/v1/transparency. */
export const TransparencySchema = Type.Object({
  statistics: StatsSchema,
  blocklist: Type.Array(Type.Object({ legalBasis: Type.String(), counts: ActionCounts })),
  appeals: Type.Object({
    filed: Type.Integer(),
    upheld: Type.Integer(),
    rejected: Type.Integer(),
    pending: Type.Integer(),
  }),
});

/** Query of the transparency report: a year, or from and to. */
export const TransparencyQuerySchema = Type.Object(
  {
    year: Type.Optional(
      Type.String({ pattern: '^\\d{4}$', description: 'Calendar year, e.g. 2025' }),
    ),
    from: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    timeZone: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
