import { Type } from '@sinclair/typebox';
import { PLATFORMS } from '../indicators/index.js';
import { CASE_STATUSES, DECIDED_VERDICTS, VERDICTS } from './status.js';

/** A string schema limited to `values` (JSON Schema `enum`), typed as their union. */
export const literalUnion = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({
    type: 'string',
    enum: [...values],
    ...(description === undefined ? {} : { description }),
  });

export const PlatformSchema = literalUnion(PLATFORMS, 'Platform carrying the content');
export const VerdictSchema = literalUnion(VERDICTS);
export const DecidedVerdictSchema = literalUnion(DECIDED_VERDICTS);

export const PublicCaseSchema = Type.Object(
  {
    id: Type.String({ description: 'Public case ID, e.g. C7K2M9QX4TR' }),
    status: literalUnion(CASE_STATUSES),
    label: Type.Object({ 'zh-TW': Type.String(), en: Type.String() }),
    colour: literalUnion(['red', 'yellow', 'grey', 'green'] as const),
    verdict: Type.String(),
    reportCount: Type.Integer({ minimum: 0 }),
    platform: Type.String(),
    firstReportedAt: Type.String({ format: 'date-time' }),
    lastReportedAt: Type.String({ format: 'date-time' }),
    decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    summary: Type.Union([Type.String(), Type.Null()]),
    urls: Type.Array(Type.String()),
    indicators: Type.Array(Type.Object({ type: Type.String(), value: Type.String() })),
    source: Type.String(),
    mergedInto: Type.Union([Type.String(), Type.Null()], {
      description:
        'The case this one was merged into by an analyst (its reports now live there), else null',
    }),
  },
  { description: 'The public view of a case (no reporter data)' },
);

export const PublicVerdictSchema = Type.Object({
  verdict: Type.String(),
  decidedAt: Type.String({ format: 'date-time' }),
  note: Type.Union([Type.String(), Type.Null()]),
});

export const CaseParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9]+$' }),
});

export const VerdictBodySchema = Type.Object(
  {
    verdict: DecidedVerdictSchema,
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const CaseResponseSchema = Type.Object({ case: PublicCaseSchema });

export const StaffCaseExtrasSchema = Type.Object(
  {
    summary: Type.Union([Type.String(), Type.Null()], {
      description: 'The summary as reported, personal data included',
    }),
    personalIndicators: Type.Array(Type.Object({ type: Type.String(), value: Type.String() }), {
      description: 'Indicators reporters gave only as their own personal data (never public)',
    }),
  },
  {
    description:
      'Only for analysts, admins and the verifier the case is routed to: what the public view leaves out as personal data',
  },
);

export const CaseDetailResponseSchema = Type.Object({
  case: Type.Composite([
    PublicCaseSchema,
    Type.Object({
      verdicts: Type.Array(PublicVerdictSchema, { description: 'Oldest first' }),
      staff: Type.Optional(StaffCaseExtrasSchema),
    }),
  ]),
});

export const TimelineResponseSchema = Type.Object({
  steps: Type.Array(
    Type.Object({
      step: literalUnion([
        'reported',
        'triaged',
        'sent_to_party',
        'sent_to_agency',
        'decided',
        'platform_notified',
        'removed',
      ] as const),
      at: Type.String({ format: 'date-time' }),
      detail: Type.Record(Type.String(), Type.String()),
    }),
  ),
  events: Type.Optional(
    Type.Array(
      Type.Object({
        seq: Type.Integer(),
        at: Type.String({ format: 'date-time' }),
        type: Type.String(),
        subjectType: Type.String(),
        subjectId: Type.String(),
        actor: Type.String(),
        data: Type.Record(Type.String(), Type.Unknown()),
      }),
      { description: 'Analysts and admins only' },
    ),
  ),
});
