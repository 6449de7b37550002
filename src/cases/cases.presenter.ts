import type { Static } from '@sinclair/typebox';

import type { CaseIndicatorRow, CaseRow, VerdictRow } from './cases.repo.js';
import type {
  PublicBlockingSchema,
  PublicCaseSchema,
  PublicVerdictSchema,
  StaffCaseExtrasSchema,
} from './cases.schemas.js';

import { STATUS_PRESENTATION, isCaseStatus, type CaseStatus } from '../vocabulary/index.js';
export type PublicCase = Static<typeof PublicCaseSchema>;
export type StaffCaseExtras = Static<typeof StaffCaseExtrasSchema>;
export type PublicVerdict = Static<typeof PublicVerdictSchema>;
export type PublicBlocking = Static<typeof PublicBlockingSchema>;

/** Characters of the reported text shown publicly as the case summary. */
export const SUMMARY_LENGTH = 280;

/**
 * The public view of a case: never a reporter's identity or contact data, never staff actors.
 * The summary is the public one (personal data redacted at intake: `public_summary`, null when
 * nothing was redacted).
 * @param indicators this case's public indicators (listCaseIndicators, already limited).
 */
export function presentCase(
  row: CaseRow,
  indicators: readonly CaseIndicatorRow[],
  mergedInto: string | null = null,
): PublicCase {
  const status: CaseStatus = isCaseStatus(row.status) ? row.status : 'processing';
  const { label, colour } = STATUS_PRESENTATION[status];
  const own = indicators.filter((i) => i.caseId === row.id);
  return {
    id: row.id,
    status,
    label,
    colour,
    verdict: row.verdict,
    reportCount: Number(row.report_count),
    platform: row.platform,
    firstReportedAt: row.first_reported_at,
    lastReportedAt: row.last_reported_at,
    decidedAt: row.decided_at,
    summary: row.public_summary ?? row.summary,
    urls: own.filter((i) => i.type === 'url').map((i) => i.value),
    indicators: own.map((i) => ({ type: i.type, value: i.value })),
    source: row.source,
    mergedInto,
  };
}

/**
 * What staff see of a case beyond its public view (analysts, admins, the verifier it is routed
 * to): the summary as reported and the indicators the public view leaves out as personal data.
 */
export function presentStaffExtras(
  row: CaseRow,
  personalIndicators: readonly CaseIndicatorRow[],
): StaffCaseExtras {
  return {
    summary: row.summary,
    personalIndicators: personalIndicators
      .filter((i) => i.caseId === row.id)
      .map((i) => ({ type: i.type, value: i.value })),
  };
}

/** Public verdict history: the decision, when, and the note; not who (staff stay anonymous). */
export function presentVerdicts(rows: readonly VerdictRow[]): PublicVerdict[] {
  return rows.map((r) => ({ verdict: r.verdict, decidedAt: r.decidedAt, note: r.note }));
}
