import { Type } from '@sinclair/typebox';
import { NullableString } from '../http/index.js';
import { DecidedVerdictSchema, literalUnion } from '../http/index.js';
import { CASE_STATUSES, INDICATOR_TYPES, TIMELINE_STEPS } from '../vocabulary/index.js';

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
    summary: NullableString,
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
  note: NullableString,
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

/** The block of a fraud website as its case page shows it (public data of the blocklist entry). */
export const PublicBlockingSchema = Type.Object(
  {
    domain: Type.String(),
    state: Type.String({ description: 'proposed, active, appealed, lifted or expired' }),
    legalBasis: NullableString,
    legalReference: NullableString,
    legalDate: NullableString,
    requestingUnit: NullableString,
    effectiveAt: NullableString,
    expiresAt: NullableString,
    source: Type.String({ description: 'Where the entry came from (case, api, tw165, …)' }),
  },
  { description: 'A blocklist entry linked to the case, the most binding first' },
);

export const KnownScamSchema = Type.Object(
  {
    type: literalUnion(INDICATOR_TYPES),
    value: Type.String({ description: 'The indicator as the scam case holds it' }),
    case: PublicCaseSchema,
  },
  {
    description:
      'A confirmed scam (a case with a fraud verdict) holding the same phone, LINE ID (with or ' +
      'without @), e-mail, bank account or crypto address, or reporting the site a link points to',
  },
);

export const KnownScamsSchema = Type.Array(KnownScamSchema, {
  description: 'Confirmed scams sharing an indicator with this content, at most 10',
});

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
      blocking: Type.Array(PublicBlockingSchema, {
        description:
          'Blocklist entries of the case (a fraud website): what blocks it, on which legal basis, requested by whom, since when',
      }),
      complianceFindings: Type.Array(
        Type.Object({
          kind: Type.Literal('ad_disclosure_missing'),
          platform: Type.String(),
          adId: Type.String({ description: "The ad library's ID of the ad" }),
          firstSeenAt: Type.String({ format: 'date-time' }),
          lastSeenAt: Type.String({ format: 'date-time' }),
        }),
        {
          description:
            "The platform's compliance findings on this case: ads found by scanning that did " +
            'not show who commissioned and paid for them (the ad real-name rule)',
        },
      ),
      staff: Type.Optional(StaffCaseExtrasSchema),
    }),
  ]),
  knownScams: KnownScamsSchema,
});

export const TimelineResponseSchema = Type.Object({
  steps: Type.Array(
    Type.Object({
      step: literalUnion(TIMELINE_STEPS),
      at: Type.String({ format: 'date-time' }),
      detail: Type.Record(Type.String(), Type.String(), {
        description:
          'scamType and platform (triaged), verdict (decided), platform (platform_notified); source when the step comes from an imported data set (e.g. tw165)',
      }),
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
