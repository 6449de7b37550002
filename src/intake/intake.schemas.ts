import { Type } from '@sinclair/typebox';
import { KnownScamsSchema, PublicCaseSchema } from '../cases/index.js';
import { REPORT_LIMITS } from './intake.service.js';
import { CONTACT_MAX_CHARS } from './report-attachments.js';

import { PlatformSchema, literalUnion } from '../http/index.js';
import { SUBMIT_CHANNELS } from '../vocabulary/index.js';

export const ReportBodySchema = Type.Object(
  {
    url: Type.Optional(
      Type.String({ maxLength: REPORT_LIMITS.urlChars, description: 'The suspicious URL' }),
    ),
    text: Type.Optional(
      Type.String({
        maxLength: REPORT_LIMITS.textChars,
        description: 'The message or ad text; URLs in it are extracted',
      }),
    ),
    platform: Type.Optional(PlatformSchema),
    channel: Type.Optional(literalUnion(SUBMIT_CHANNELS, 'How the report was sent; default api')),
    contact: Type.Optional(
      Type.String({
        maxLength: CONTACT_MAX_CHARS,
        description:
          'An e-mail address or phone number for follow-up (needs consent); shown to analysts ' +
          'only, never on public routes',
      }),
    ),
    consent: Type.Optional(
      Type.Boolean({
        description:
          'The reporter agrees to the use of the contact and screenshot for this report; ' +
          'required (true) when either is given',
      }),
    ),
    entityId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description:
          'Verifiers only (403 otherwise): the entity of theirs the content impersonates; the ' +
          'case is routed to it (default: the one triage found, if theirs, else their first)',
      }),
    ),
    decision: Type.Optional(
      Type.Union([Type.Literal('fraud'), Type.Literal('high_risk'), Type.Literal('not_fraud')], {
        description:
          "Verifiers only (403 otherwise): the impersonated party's verdict, given with the report",
      }),
    ),
    note: Type.Optional(
      Type.String({ maxLength: 2000, description: 'Verifiers only: kept with the decision' }),
    ),
  },
  { additionalProperties: false, description: 'At least one of url and text' },
);

export const ReportResponseSchema = Type.Object({
  report: Type.Object({ id: Type.String(), receivedAt: Type.String({ format: 'date-time' }) }),
  case: PublicCaseSchema,
  newCase: Type.Boolean({ description: 'False when the report joined an existing case' }),
  knownScams: KnownScamsSchema,
});
