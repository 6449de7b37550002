import { conflict } from '../shared/errors.js';

import { CASE_STAGES, type CaseStage } from '../vocabulary/index.js';
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
