import { Type } from '@sinclair/typebox';
import { NullableString } from '../http/index.js';

/**
 * Takedown compliance of one platform over a period (compliance.ts PlatformCompliance): counts of
 * notices by outcome, hours to removal (null without removals), and the fine exposure of the
 * sanction ledger. Served by `GET /api/v1/compliance` and inside `GET /api/v1/stats`.
 */
export const ComplianceSchema = Type.Object({
  platform: Type.String(),
  noticesSent: Type.Integer(),
  removedWithinDeadline: Type.Integer(),
  removedLate: Type.Integer(),
  rejected: Type.Integer(),
  open: Type.Integer(),
  missedDeadlines: Type.Integer(),
  overdue: Type.Integer({ description: 'Notices that missed their first deadline' }),
  sanctions: Type.Integer({ description: 'Sanction-ledger entries of these notices' }),
  medianHoursToRemoval: Type.Union([Type.Number(), Type.Null()]),
  p90HoursToRemoval: Type.Union([Type.Number(), Type.Null()]),
  fineExposure: Type.Object({
    min: Type.Number(),
    max: Type.Number(),
    currency: NullableString,
  }),
});
