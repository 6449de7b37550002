import type { Kysely } from 'kysely';
import {
  assertCaseTransition,
  caseNotFound,
  requireCase,
  getPublicCases,
  recordVerdict,
  setCaseStage,
  stageOf,
  statusFactsOf,
  statusOf,
  type PublicCase,
} from '../cases/index.js';

import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest, conflict, forbidden } from '../shared/errors.js';
import type { Database } from '../store/index.js';
import { createNoticesForCase, withdrawOpenNotices } from '../takedown/index.js';

import { VERIFIER_DECISIONS, type CaseStage, type VerifierDecision } from '../vocabulary/index.js';
import { recordEvent } from '../log/index.js';
import { actorLabel, authorize } from '../policy/index.js';
import type { Actor } from '../policy/index.js';
/** What a verifier can decide in one step (DESIGN.md verdicts, or a question back). */
export const DECISIONS = VERIFIER_DECISIONS;
export type Decision = VerifierDecision;

export interface DecisionInput {
  decision: Decision;
  /** Free text kept with the verdict (≤ 2,000 characters). */
  note?: string | undefined;
  /** Required with `need_info`: what the verifier needs to know. */
  question?: string | undefined;
}

/** Stages in which the routed verifier may decide. */
const VERIFIER_STAGES: readonly CaseStage[] = ['verification', 'need_info'];

/**
 * Decides a case (確認) in the caller's transaction — the one path for every verdict:
 * - a verifier may decide only a case routed to one of their entities, and only while it awaits
 *   verification (403 `forbidden`, 409 `illegal_transition` otherwise);
 * - analysts and admins may decide or override at any stage;
 * - `need_info` records the question and moves the case to `need_info`;
 * - a verdict is recorded with actor, time, note and before/after; `fraud` creates the takedown
 *   notices (stage `notified` when any were created); reversing a fraud verdict withdraws the
 *   open notices.
 * @throws 400 `validation_failed` (need_info without a question); 404 `case_not_found`.
 */
export async function decideInTransaction(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'clock' | 'config'>,
  actor: Actor,
  caseId: string,
  input: DecisionInput,
): Promise<void> {
  authorize(actor, 'case.decide');
  const row = await requireCase(trx, caseId);
  const stage = stageOf(row.stage);
  if (actor.role === 'verifier') {
    if (row.routed_entity_id === null || !actor.entityIds.includes(row.routed_entity_id)) {
      throw forbidden('This case is not routed to your entity.');
    }
    if (!VERIFIER_STAGES.includes(stage)) assertCaseTransition(stage, 'verification');
  }
  const at = isoTime(deps.clock.now());
  const who = actorLabel(actor);
  const note = input.note?.trim() || null;

  if (input.decision === 'need_info') {
    const question = input.question?.trim();
    if (question === undefined || question === '') {
      throw badRequest('validation_failed', 'need_info needs the question.', 'question');
    }
    assertCaseTransition(stage, 'need_info');
    await setCaseStage(trx, caseId, 'need_info', { at, infoQuestion: question });
    await recordEvent(trx, {
      type: 'case.need_info',
      subjectType: 'case',
      subjectId: caseId,
      actor: who,
      at,
      data: { before: { stage }, after: { stage: 'need_info' }, question },
    });
    return;
  }

  const verdict = input.decision;
  assertCaseTransition(stage, 'decided');
  const status = statusOf(verdict, await statusFactsOf(trx, row));
  await recordVerdict(trx, {
    caseId,
    verdict,
    status,
    note,
    actor: who,
    at,
    stage: 'decided',
    clearQuestion: true,
  });
  await recordEvent(trx, {
    type: 'case.verdict',
    subjectType: 'case',
    subjectId: caseId,
    actor: who,
    at,
    data: {
      before: { verdict: row.verdict, status: row.status, stage },
      after: { verdict, status, stage: 'decided' },
      note,
      role: actor.role,
    },
  });
  if (verdict === 'fraud' && row.verdict !== 'fraud') {
    // The case moves to `notified` when a notice is delivered (markNoticeDelivered), not now.
    await createNoticesForCase(trx, deps, caseId, who);
  } else if (verdict !== 'fraud' && row.verdict === 'fraud') {
    await withdrawOpenNotices(trx, deps, {
      caseId,
      actor: who,
      reason: `verdict changed to ${verdict}`,
    });
  }
}

/** decideInTransaction in its own transaction, returning the public view of the case. */
export async function decideCase(
  deps: ServiceDeps,
  actor: Actor,
  caseId: string,
  input: DecisionInput,
): Promise<PublicCase> {
  await deps.db
    .transaction()
    .execute((trx) => decideInTransaction(trx, deps, actor, caseId, input));
  deps.log.info({ caseId, decision: input.decision, actor: actorLabel(actor) }, 'case decided');
  const [view] = await getPublicCases(deps, [caseId]);
  if (view === undefined) throw caseNotFound(caseId);
  return view;
}

/**
 * An analyst's or admin's verdict on any case at any stage (the staff override path; verifiers
 * use decideCase on the cases routed to them). @throws 403 for other roles; as decideCase.
 */
export async function overrideVerdict(
  deps: ServiceDeps,
  actor: Actor,
  caseId: string,
  input: DecisionInput & { decision: Exclude<Decision, 'need_info'> },
): Promise<PublicCase> {
  authorize(actor, 'case.set_verdict');
  return decideCase(deps, actor, caseId, input);
}

/**
 * Staff answer a verifier's question: the case goes back to `verification` with the answer on
 * the record. @throws 409 `illegal_transition` unless the case is in `need_info`.
 */
export async function answerInfoRequest(
  deps: ServiceDeps,
  actor: Actor,
  caseId: string,
  answer: string,
): Promise<void> {
  authorize(actor, 'case.answer_verifier');
  const text = answer.trim();
  if (text === '') throw badRequest('validation_failed', 'The answer is empty.', 'answer');
  const at = isoTime(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    const row = await requireCase(trx, caseId);
    const stage = stageOf(row.stage);
    if (stage !== 'need_info') {
      throw conflict('illegal_transition', `Case ${caseId} has no open question (stage ${stage}).`);
    }
    await setCaseStage(trx, caseId, 'verification', { at, infoQuestion: null });
    await recordEvent(trx, {
      type: 'case.info_answered',
      subjectType: 'case',
      subjectId: caseId,
      actor: actorLabel(actor),
      at,
      data: {
        question: row.info_question,
        answer: text,
        before: { stage },
        after: { stage: 'verification' },
      },
    });
  });
}
