import type { ServiceDeps } from '../shared/deps.js';
import { notFound, type AppError } from '../shared/errors.js';
import {
  adComplianceFindings,
  blockingOf,
  findCase,
  findCases,
  findMergeTargets,
  listCaseIndicators,
  listVerdicts,
  recordRemoval,
  recordVerdict,
  setCaseStage,
  setCaseStatus,
  statusFactsOf,
  type CaseRow,
} from './cases.repo.js';
import {
  presentCase,
  presentStaffExtras,
  presentVerdicts,
  type PublicBlocking,
  type PublicCase,
  type PublicVerdict,
  type StaffCaseExtras,
} from './cases.presenter.js';

import { statusOf } from './status.js';
import { assertCaseTransition, stageOf } from './workflow.js';

import { recordEvent } from '../log/index.js';
import { isVerdict, type DecidedVerdict, type CaseStage } from '../vocabulary/index.js';
import { can, type Actor } from '../policy/index.js';

/** The 404 `case_not_found` ("No case with ID …") for a case ID that names no case. */
export function caseNotFound(caseId: string): AppError {
  return notFound('case_not_found', `No case with ID ${caseId}.`);
}

/**
 * The row of case `caseId`, read through `db` (the store or the caller's transaction).
 * @throws AppError 404 `case_not_found` when there is no such case.
 */
export async function requireCase(db: ServiceDeps['db'], caseId: string): Promise<CaseRow> {
  const row = await findCase(db, caseId);
  if (row === undefined) throw caseNotFound(caseId);
  return row;
}

/** Indicators shown per case in public views. */
export const PUBLIC_INDICATORS_PER_CASE = 50;

/**
 * Whether `actor` sees a case's personal data: analysts, admins and a verifier of the entity the
 * case is routed to (who decides it from its reports).
 */
function seesPersonalData(actor: Actor, row: { routed_entity_id: string | null }): boolean {
  if (can(actor, 'case.read_personal_data')) return true;
  return (
    actor.role === 'verifier' &&
    row.routed_entity_id !== null &&
    actor.entityIds.includes(row.routed_entity_id)
  );
}

/**
 * The public view of one case with its verdict history; for staff who may see the case's
 * personal data (analysts, admins, the verifier it is routed to) also `staff`: the summary as
 * reported and the indicators left out as personal data.
 * @throws AppError 404 `case_not_found`.
 */
export async function getPublicCase(
  deps: Pick<ServiceDeps, 'db'>,
  caseId: string,
  actor: Actor = { role: 'public' },
): Promise<
  PublicCase & {
    verdicts: PublicVerdict[];
    blocking: PublicBlocking[];
    complianceFindings: ComplianceFinding[];
    staff?: StaffCaseExtras;
  }
> {
  const row = await requireCase(deps.db, caseId);
  const staff = seesPersonalData(actor, row);
  const [indicators, verdicts, merged, blocking, personal, ads] = await Promise.all([
    listCaseIndicators(deps.db, [row.id], PUBLIC_INDICATORS_PER_CASE),
    listVerdicts(deps.db, row.id),
    Number(row.report_count) === 0 ? findMergeTargets(deps.db, [row.id]) : new Map(),
    blockingOf(deps.db, row.id),
    staff
      ? listCaseIndicators(deps.db, [row.id], PUBLIC_INDICATORS_PER_CASE, 'personal')
      : Promise.resolve([]),
    adComplianceFindings(deps.db, row.id),
  ]);
  return {
    ...presentCase(row, indicators, merged.get(row.id) ?? null),
    verdicts: presentVerdicts(verdicts),
    blocking,
    complianceFindings: ads.map((ad) => ({ kind: 'ad_disclosure_missing' as const, ...ad })),
    ...(staff ? { staff: presentStaffExtras(row, personal) } : {}),
  };
}

/** A platform compliance finding on a case (the scanner's ads without disclosure). */
export interface ComplianceFinding {
  kind: 'ad_disclosure_missing';
  platform: string;
  adId: string;
  firstSeenAt: string;
  lastSeenAt: string;
}

/**
 * Public views of `caseIds`, in the given order (unknown IDs skipped): public summaries and
 * public indicators only, whoever asks.
 */
export async function getPublicCases(
  deps: Pick<ServiceDeps, 'db'>,
  caseIds: readonly string[],
): Promise<PublicCase[]> {
  const rows = await findCases(deps.db, caseIds);
  const empty = rows.filter((r) => Number(r.report_count) === 0).map((r) => r.id);
  const [indicators, merged] = await Promise.all([
    listCaseIndicators(deps.db, caseIds, PUBLIC_INDICATORS_PER_CASE),
    empty.length === 0 ? new Map<string, string>() : findMergeTargets(deps.db, empty),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return caseIds.flatMap((id) => {
    const row = byId.get(id);
    return row === undefined ? [] : [presentCase(row, indicators, merged.get(id) ?? null)];
  });
}

/**
 * Applies a decision carried by an imported data source (e.g. the 165 hotline's list of confirmed
 * fraud sites) inside the caller's transaction: the verdict only when the case is still
 * undecided, so an analyst's decision is never overwritten, and the removal time when the source
 * says the content was taken down.
 * @param at ISO 8601 time of the decision (the source's date).
 */
export async function recordImportedDecision(
  trx: ServiceDeps['db'],
  caseId: string,
  decision: { verdict: DecidedVerdict; note: string; actor: string; removedAt?: string },
  at: string,
): Promise<void> {
  const row = await requireCase(trx, caseId);
  let verdict = row.verdict;
  if (verdict === 'undecided') {
    verdict = decision.verdict;
    const status = statusOf(decision.verdict, await statusFactsOf(trx, row));
    await recordVerdict(trx, {
      caseId,
      verdict,
      status,
      note: decision.note,
      actor: decision.actor,
      at,
    });
    await setCaseStage(trx, caseId, 'decided');
    await recordEvent(trx, {
      type: 'case.verdict',
      subjectType: 'case',
      subjectId: caseId,
      actor: decision.actor,
      at,
      data: {
        before: { verdict: 'undecided', status: row.status, stage: row.stage },
        after: { verdict, status, stage: 'decided' },
        note: decision.note,
      },
    });
  }
  if (decision.removedAt !== undefined && row.removed_at === null && verdict === 'fraud') {
    await recordCaseRemoval(trx, row, decision.removedAt, decision.actor, {
      observedBy: decision.actor,
    });
  }
}

/**
 * Stores the removal of fraud case `row` at `at` (ISO 8601): its status (statusOf with the
 * removal), removal time and stage `removed`, and the `case.removed` event by `actor` with the
 * new status and `detail`. The caller has checked that the case is fraud and not yet removed.
 */
async function recordCaseRemoval(
  trx: ServiceDeps['db'],
  row: CaseRow,
  at: string,
  actor: string,
  detail: Record<string, unknown>,
): Promise<void> {
  const status = statusOf('fraud', { ...(await statusFactsOf(trx, row)), removedAt: at });
  await recordRemoval(trx, { caseId: row.id, status, at });
  await setCaseStage(trx, row.id, 'removed');
  await recordEvent(trx, {
    type: 'case.removed',
    subjectType: 'case',
    subjectId: row.id,
    actor,
    at,
    data: { status, ...detail },
  });
}

/**
 * Moves a case to `stage` inside the caller's transaction, enforcing the workflow (workflow.ts).
 * @throws AppError 409 `illegal_transition`; 404 `case_not_found`.
 */
export async function moveCaseStage(
  trx: ServiceDeps['db'],
  caseId: string,
  stage: CaseStage,
  at: string,
): Promise<CaseStage> {
  const row = await requireCase(trx, caseId);
  const from = stageOf(row.stage);
  assertCaseTransition(from, stage);
  await setCaseStage(trx, caseId, stage, { at });
  return from;
}

/**
 * Records that a fraud case's content was removed (a platform's removal or restriction, or an
 * observed removal): removal time, status `fraud_removed`, stage `removed`, and the event.
 * Does nothing when the case is already marked removed.
 */
export async function markCaseRemoved(
  trx: ServiceDeps['db'],
  caseId: string,
  at: string,
  actor: string,
  detail: Record<string, unknown>,
): Promise<void> {
  const row = await requireCase(trx, caseId);
  if (row.removed_at !== null || row.verdict !== 'fraud') return;
  assertCaseTransition(stageOf(row.stage), 'removed');
  await recordCaseRemoval(trx, row, at, actor, detail);
}

/**
 * Recomputes the public state of `caseIds` from their records (statusOf over statusFactsOf)
 * inside the caller's transaction, after something other than a verdict changed what the records
 * show: a takedown notice was delivered, a blocklist entry linked to the case was proposed,
 * activated, appealed, reinstated, lifted or expired. A changed state is stored and recorded as a
 * `case.status_changed` event (the public progress reads it).
 * @param cause what changed, machine-readable (e.g. `notice_delivered`, `blocklist_entry.activated`).
 * @returns the cases whose state changed.
 */
export async function refreshCaseStatus(
  trx: ServiceDeps['db'],
  caseIds: readonly string[],
  at: string,
  actor: string,
  cause: string,
): Promise<string[]> {
  const changed: string[] = [];
  for (const row of await findCases(trx, [...new Set(caseIds)])) {
    if (!isVerdict(row.verdict)) continue;
    const status = statusOf(row.verdict, await statusFactsOf(trx, row));
    if (status === row.status) continue;
    await setCaseStatus(trx, row.id, { from: row.status, to: status, at });
    await recordEvent(trx, {
      type: 'case.status_changed',
      subjectType: 'case',
      subjectId: row.id,
      actor,
      at,
      data: { before: row.status, after: status, cause },
    });
    changed.push(row.id);
  }
  return changed;
}

/**
 * Records that the impersonated party itself was asked about `caseId` (a decision-link e-mail to
 * it was accepted by the mail server), inside the caller's transaction: an undecided case routed
 * to the entity it impersonates becomes `awaiting_party` (「疑似詐騙訊息，已通知本人」), with a
 * `case.status_changed` event. Does nothing for a case decided or routed elsewhere meanwhile.
 * @returns true when the state changed.
 */
export async function markPartyAsked(
  trx: ServiceDeps['db'],
  caseId: string,
  at: string,
  actor: string,
): Promise<boolean> {
  const row = await findCase(trx, caseId);
  if (
    row === undefined ||
    row.verdict !== 'undecided' ||
    row.status !== 'processing' ||
    row.routed_entity_id === null ||
    row.routed_entity_id !== row.impersonated_entity_id
  ) {
    return false;
  }
  await setCaseStatus(trx, caseId, { from: 'processing', to: 'awaiting_party', at });
  await recordEvent(trx, {
    type: 'case.status_changed',
    subjectType: 'case',
    subjectId: caseId,
    actor,
    at,
    data: { before: 'processing', after: 'awaiting_party', cause: 'decision_link_delivered' },
  });
  return true;
}
