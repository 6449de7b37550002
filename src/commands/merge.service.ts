import type { Kysely } from 'kysely';

import {
  copyIndicatorLinks,
  deleteIndicatorLinks,
  listStaffReports,
  moveCaseKeys,
  moveReports,
  prepareStoredReport,
  reportsOfCase,
  type CaseReportView,
} from '../intake/index.js';

import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest, conflict, notFound } from '../shared/errors.js';
import { newCaseId } from '../shared/ids.js';
import { retryOnConflict, type Database } from '../store/index.js';
import { triageCase } from '../triage/index.js';
import {
  caseNotFound,
  requireCase,
  insertCase,
  lockCase,
  recordCaseMerge,
  setCaseReportCounts,
  stageOf,
  type LockedCase,
} from '../cases/index.js';

import { moveCaseFollowers } from '../followers/index.js';
import { recordEvent } from '../log/index.js';
import { actorLabel, authorize } from '../policy/index.js';
import { rebuildCaseIndexes } from './index.js';
import type { Actor } from '../policy/index.js';

/** Stages whose takedown notices concern the case's own content: such a case is never merged away. */
const NOTICE_STAGES = new Set(['notified', 'removed']);

/** Most reports moved by one split. */
export const SPLIT_MAX_REPORTS = 1000;

export type { CaseReportView } from '../intake/index.js';

/** Case `caseId`, locked for the rest of the transaction (cases' lockCase). @throws 404. */
async function loadCaseForUpdate(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'dialect'>,
  caseId: string,
): Promise<LockedCase> {
  const row = await lockCase(trx, deps.dialect, caseId);
  if (row === undefined) throw caseNotFound(caseId);
  return row;
}

/**
 * Rebuilds what intake derived from a case's reports: its near-duplicate texts and bands, its
 * search terms (rebuildCaseIndexes), and its report count and first/last report times.
 */
async function reindexCase(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'config'>,
  caseId: string,
  now: string,
): Promise<void> {
  const rebuilt = await rebuildCaseIndexes(trx, deps, caseId);
  await setCaseReportCounts(trx, caseId, rebuilt, now);
}

/** Result of mergeCases. */
export interface MergeResult {
  caseId: string;
  mergedCaseId: string;
  movedReports: number;
}

/**
 * Merges case `sourceId` into case `targetId` in one transaction (analysts and admins): every
 * report, merge key, indicator, near-duplicate text, search term and follower of the source moves
 * to the target; the source stays (nothing is deleted) with no reports, and `case_merges` plus a
 * `case.merged` event on each case record what happened.
 * @throws AppError 401/403 (role); 400 `same_case`; 404 `case_not_found`; 409 `verdict_conflict`
 *   (both decided, different verdicts), `merge_direction` (a decided case into an undecided one:
 *   merge the other way), `case_has_notices` (the source is in stage notified/removed),
 *   `case_empty` (the source has no reports, e.g. merged before).
 */
export async function mergeCases(
  deps: ServiceDeps,
  actor: Actor,
  input: { targetId: string; sourceId: string; note?: string | undefined },
): Promise<MergeResult> {
  authorize(actor, 'case.merge');
  if (input.targetId === input.sourceId) {
    throw badRequest('same_case', 'A case cannot be merged into itself.', 'sourceCaseId');
  }
  // PostgreSQL may abort it for a lock conflict (statistics counts): it is run again whole.
  return retryOnConflict(() =>
    deps.db.transaction().execute(async (trx) => {
      const [firstId, secondId] = [input.targetId, input.sourceId].sort();
      const locked = new Map<string, LockedCase>();
      for (const id of [firstId, secondId]) {
        if (id !== undefined) locked.set(id, await loadCaseForUpdate(trx, deps, id));
      }
      const target = locked.get(input.targetId);
      const source = locked.get(input.sourceId);
      if (target === undefined || source === undefined) {
        throw notFound('case_not_found', 'No such case.');
      }
      if (source.reportCount === 0) {
        throw conflict('case_empty', `Case ${source.id} has no reports to merge.`);
      }
      const targetDecided = target.verdict !== 'undecided';
      const sourceDecided = source.verdict !== 'undecided';
      if (targetDecided && sourceDecided && target.verdict !== source.verdict) {
        throw conflict(
          'verdict_conflict',
          `Case ${target.id} is decided ${target.verdict} and case ${source.id} ${source.verdict}: change one verdict first.`,
        );
      }
      if (sourceDecided && !targetDecided) {
        throw conflict(
          'merge_direction',
          `Case ${source.id} is decided and ${target.id} is not: merge ${target.id} into ${source.id} instead.`,
        );
      }
      if (NOTICE_STAGES.has(stageOf(source.stage))) {
        throw conflict(
          'case_has_notices',
          `Case ${source.id} has takedown notices about its own content; merge the other case into it.`,
        );
      }
      const now = isoTime(deps.clock.now());
      const move = { fromCaseId: source.id, intoCaseId: target.id };
      const movedReports = await moveReports(trx, move);
      await moveCaseKeys(trx, move);
      // Who follows the source hears what becomes of the merged case.
      await moveCaseFollowers(trx, source.id, target.id);
      await copyIndicatorLinks(trx, move);
      await deleteIndicatorLinks(trx, source.id);
      await reindexCase(trx, deps, source.id, now);
      await reindexCase(trx, deps, target.id, now);
      const label = actorLabel(actor);
      await recordCaseMerge(trx, {
        kind: 'merge',
        fromCaseId: source.id,
        intoCaseId: target.id,
        reportCount: movedReports,
        actor: label,
        note: input.note ?? null,
        at: now,
      });
      for (const [subjectId, data] of [
        [target.id, { from: source.id, reports: movedReports }],
        [source.id, { into: target.id, reports: movedReports }],
      ] as const) {
        await recordEvent(trx, {
          type: 'case.merged',
          subjectType: 'case',
          subjectId,
          actor: label,
          at: now,
          data: { ...data, note: input.note ?? null },
        });
      }
      return { caseId: target.id, mergedCaseId: source.id, movedReports };
    }),
  );
}

/** Result of splitCase. */
export interface SplitResult {
  caseId: string;
  newCaseId: string;
  movedReports: number;
}

/**
 * Splits the reports `reportIds` of case `caseId` into a new case, in one transaction (analysts
 * and admins). The merge keys and indicators that only the moved reports give (recomputed with
 * intake's `prepareReport`) move with them; keys and indicators the remaining reports also give,
 * or that cannot be recomputed (a source's subject indicators), stay. Near-duplicate texts,
 * search terms and counts of both cases are rebuilt; the new case is triaged (stage `triage` →
 * routed) and undecided. Recorded in `case_merges` and as `case.split` events on both cases.
 * @throws AppError 401/403 (role); 404 `case_not_found`; 400 `report_not_in_case` (an ID is not
 *   a report of the case), `split_all_reports` (nothing would remain), `validation_failed`.
 */
export async function splitCase(
  deps: ServiceDeps,
  actor: Actor,
  input: { caseId: string; reportIds: readonly string[]; note?: string | undefined },
): Promise<SplitResult> {
  authorize(actor, 'case.split');
  const wanted = new Set(input.reportIds);
  if (wanted.size === 0 || wanted.size > SPLIT_MAX_REPORTS) {
    throw badRequest(
      'validation_failed',
      `Give 1–${SPLIT_MAX_REPORTS} report IDs to move.`,
      'reportIds',
    );
  }
  // PostgreSQL may abort it for a lock conflict (statistics counts): it is run again whole.
  return retryOnConflict(() =>
    deps.db.transaction().execute(async (trx) => {
      const original = await loadCaseForUpdate(trx, deps, input.caseId);
      const reports = await reportsOfCase(trx, original.id);
      const movedReports = reports.filter((r) => wanted.has(r.id));
      if (movedReports.length !== wanted.size) {
        const missing = [...wanted].find((id) => !reports.some((r) => r.id === id));
        throw badRequest(
          'report_not_in_case',
          `Report ${missing ?? '?'} is not a report of case ${original.id}.`,
          'reportIds',
        );
      }
      if (movedReports.length === reports.length) {
        throw badRequest(
          'split_all_reports',
          'A split must leave at least one report in the case.',
          'reportIds',
        );
      }
      const remaining = reports.filter((r) => !wanted.has(r.id));
      const derived = (rows: typeof reports) => {
        const keys = new Set<string>();
        const indicators = new Set<string>();
        for (const row of rows) {
          const prepared = prepareStoredReport(row, deps.config);
          if (prepared === null) continue;
          for (const key of prepared.keys) keys.add(key);
          for (const indicator of prepared.indicators) indicators.add(indicator.id);
        }
        return { keys, indicators };
      };
      const moving = derived(movedReports);
      const staying = derived(remaining);
      const moveKeys = [...moving.keys].filter((k) => !staying.keys.has(k));
      const moveIndicators = [...moving.indicators].filter((i) => !staying.indicators.has(i));
      const copyIndicators = [...moving.indicators].filter((i) => staying.indicators.has(i));

      const now = isoTime(deps.clock.now());
      const first = movedReports[0];
      const id = newCaseId();
      const summary = (first?.text ?? first?.title ?? null)?.slice(0, 280) ?? null;
      // Its public forms are made when it is reindexed below (refreshCasePublicForms).
      await insertCase(trx, {
        id,
        platform: first?.platform ?? original.platform,
        summary,
        publicSummary: summary,
        publicFormVersion: 0,
        source: first?.source ?? 'split',
        at: now,
        reportedAt: first?.receivedAt ?? now,
      });
      const move = { fromCaseId: original.id, intoCaseId: id };
      await moveReports(trx, { ...move, only: [...wanted] });
      if (moveKeys.length > 0) await moveCaseKeys(trx, { ...move, only: moveKeys });
      const linkIndicators = [...moveIndicators, ...copyIndicators];
      if (linkIndicators.length > 0) {
        await copyIndicatorLinks(trx, { ...move, only: linkIndicators });
      }
      if (moveIndicators.length > 0) {
        await deleteIndicatorLinks(trx, original.id, moveIndicators);
      }
      await reindexCase(trx, deps, original.id, now);
      await reindexCase(trx, deps, id, now);
      const label = actorLabel(actor);
      await recordCaseMerge(trx, {
        kind: 'split',
        fromCaseId: original.id,
        intoCaseId: id,
        reportCount: movedReports.length,
        actor: label,
        note: input.note ?? null,
        at: now,
      });
      await recordEvent(trx, {
        type: 'case.created',
        subjectType: 'case',
        subjectId: id,
        actor: label,
        at: now,
        data: { splitFrom: original.id, reports: movedReports.length },
      });
      for (const [subjectId, data] of [
        [original.id, { into: id, reports: movedReports.length }],
        [id, { from: original.id, reports: movedReports.length }],
      ] as const) {
        await recordEvent(trx, {
          type: 'case.split',
          subjectType: 'case',
          subjectId,
          actor: label,
          at: now,
          data: { ...data, note: input.note ?? null },
        });
      }
      await triageCase(trx, deps, id, 'system:triage');
      return { caseId: original.id, newCaseId: id, movedReports: movedReports.length };
    }),
  );
}

/**
 * The reports of a case, oldest first (analysts and admins; at most `limit`, ≤ 1000).
 * @throws AppError 401/403; 404 `case_not_found`.
 */
export async function listCaseReports(
  deps: ServiceDeps,
  actor: Actor,
  caseId: string,
  limit = 200,
): Promise<CaseReportView[]> {
  authorize(actor, 'case.read_reports');
  await requireCase(deps.db, caseId);
  return listStaffReports(deps.db, caseId, Math.min(Math.max(1, limit), 1000));
}
