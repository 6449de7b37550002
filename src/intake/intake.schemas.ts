import { Type } from '@sinclair/typebox';
import { PlatformSchema, PublicCaseSchema, literalUnion } from '../cases/index.js';
import { REPORT_LIMITS } from './intake.service.js';

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
    channel: Type.Optional(
      literalUnion(['web', 'api', 'line', 'app'] as const, 'How the report was sent; default api'),
    ),
  },
  { additionalProperties: false, description: 'At least one of url and text' },
);

export const ReportResponseSchema = Type.Object({
  report: Type.Object({ id: Type.String(), receivedAt: Type.String({ format: 'date-time' }) }),
  case: PublicCaseSchema,
  newCase: Type.Boolean({ description: 'False when the report joined an existing case' }),
});
