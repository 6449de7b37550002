import { conflict } from '../shared/errors.js';

/**
 * Stages of a case through 報案 → 分案 → 確認 → 通知下架:
 * `triage` (reported, not yet routed), `verification` (routed, awaiting its verifier),
 * `need_info` (the verifier asked a question), `decided` (verdict recorded), `notified`
 * (takedown notices sent), `removed` (every notice ended in removal or restriction).
 */
export const CASE_STAGES = [
  'triage',
  'verification',
  'need_info',
  'decided',
  'notified',
  'removed',
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

/** Allowed stage changes. Analysts' verdict overrides re-enter `decided` from any later stage. */
const CASE_TRANSITIONS: Readonly<Record<CaseStage, readonly CaseStage[]>> = {
  triage: ['verification', 'decided'],
  verification: ['verification', 'need_info', 'decided'],
  need_info: ['verification', 'decided'],
  decided: ['decided', 'notified', 'removed'],
  notified: ['removed', 'decided'],
  removed: ['decided'],
};

/** True when a case may move from `from` to `to`. */
export function canMoveCase(from: CaseStage, to: CaseStage): boolean {
  return CASE_TRANSITIONS[from].includes(to);
}

/** Throws 409 `illegal_transition` unless the case may move from `from` to `to`. */
export function assertCaseTransition(from: CaseStage, to: CaseStage): void {
  if (!canMoveCase(from, to)) {
    throw conflict('illegal_transition', `A case in stage ${from} cannot move to ${to}.`);
  }
}

/** Reads a stored stage (unknown values count as `triage`). */
export function stageOf(value: string): CaseStage {
  return CASE_STAGES.find((s) => s === value) ?? 'triage';
}
