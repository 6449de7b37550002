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
