/** Decisions a verifier or analyst can record (DESIGN.md vocabulary), plus `undecided` while open. */
export const VERDICTS = ['undecided', 'fraud', 'high_risk', 'not_fraud'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The verdicts a person can set (not `undecided`). */
export const DECIDED_VERDICTS = ['fraud', 'high_risk', 'not_fraud'] as const;
export type DecidedVerdict = (typeof DECIDED_VERDICTS)[number];

/** What a verifier can answer in one step: a verdict, or a question back (`need_info`). */
export const VERIFIER_DECISIONS = [...DECIDED_VERDICTS, 'need_info'] as const;
export type VerifierDecision = (typeof VERIFIER_DECISIONS)[number];

/**
 * Public case states. The first six are DESIGN.md's "Public status labels" (after the reference
 * site); the others say only what the records show where those would claim more:
 * - `fraud_confirmed`: confirmed fraud whose platform has not (yet) been told — no takedown
 *   notice of it was delivered (DESIGN.md's `fraud_notified` claims a delivery);
 * - a confirmed fraud **website** is not a platform's content: its states are about blocking —
 *   `site_confirmed` (no blocklist entry yet), `block_proposed` (an entry awaits its legal basis),
 *   `blocked` (the domain is no longer resolved: an active entry with its legal basis, or a
 *   publisher's DNS suspension such as the 165 hotline's list), `block_appealed` (out of the zone
 *   while an appeal is decided) and `block_lifted` (the block was lifted or expired).
 */
export const CASE_STATUSES = [
  'processing',
  'awaiting_party',
  'high_risk',
  'fraud_confirmed',
  'fraud_notified',
  'fraud_removed',
  'site_confirmed',
  'block_proposed',
  'blocked',
  'block_appealed',
  'block_lifted',
  'not_fraud',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The colours of public states, as on the reference site. */
export const STATUS_COLOURS = ['red', 'yellow', 'grey', 'green'] as const;
export type StatusColour = (typeof STATUS_COLOURS)[number];

export interface StatusLabel {
  'zh-TW': string;
  en: string;
}

/** Label and colour of each public state (DESIGN.md's six, then the ones above). */
export const STATUS_PRESENTATION: Readonly<
  Record<CaseStatus, { label: StatusLabel; colour: StatusColour }>
> = {
  fraud_confirmed: {
    label: { 'zh-TW': '詐騙訊息，尚未通知平台', en: 'Scam — platform not yet told' },
    colour: 'red',
  },
  fraud_notified: {
    label: { 'zh-TW': '詐騙訊息，已通知平台移除', en: 'Scam — platform told to remove it' },
    colour: 'red',
  },
  fraud_removed: {
    label: { 'zh-TW': '詐騙訊息，平台已移除', en: 'Scam — removed by the platform' },
    colour: 'red',
  },
  site_confirmed: {
    label: { 'zh-TW': '詐騙網站，尚未停止解析', en: 'Scam website — not blocked yet' },
    colour: 'red',
  },
  block_proposed: {
    label: { 'zh-TW': '詐騙網站，已提報停止解析', en: 'Scam website — proposed for blocking' },
    colour: 'red',
  },
  blocked: {
    label: { 'zh-TW': '詐騙網站，已停止解析', en: 'Scam website — blocked (no longer resolved)' },
    colour: 'red',
  },
  block_appealed: {
    label: {
      'zh-TW': '詐騙網站，停止解析申訴中',
      en: 'Scam website — block suspended during an appeal',
    },
    colour: 'red',
  },
  block_lifted: {
    label: { 'zh-TW': '詐騙網站，已恢復解析', en: 'Scam website — block ended' },
    colour: 'red',
  },
  awaiting_party: {
    label: {
      'zh-TW': '疑似詐騙訊息，已通知本人',
      en: 'Suspected scam — the impersonated party has been asked',
    },
    colour: 'yellow',
  },
  high_risk: { label: { 'zh-TW': '高風險訊息', en: 'High risk' }, colour: 'yellow' },
  processing: { label: { 'zh-TW': '處理中', en: 'Being checked' }, colour: 'grey' },
  not_fraud: { label: { 'zh-TW': '非詐騙訊息', en: 'Not a scam' }, colour: 'green' },
};

/** Type guard for stored verdict strings. */
export function isVerdict(value: string): value is Verdict {
  return (VERDICTS as readonly string[]).includes(value);
}

/** Type guard for stored status strings. */
export function isCaseStatus(value: string): value is CaseStatus {
  return (CASE_STATUSES as readonly string[]).includes(value);
}

/** Public progress steps (the reference site's 處理進度, and the blocking of a fraud website). */
export const TIMELINE_STEPS = [
  'reported',
  'triaged',
  'sent_to_party',
  'sent_to_agency',
  'decided',
  'platform_notified',
  'removed',
  'block_proposed',
  'blocked',
  'block_appealed',
  'block_lifted',
] as const;
export type TimelineStep = (typeof TIMELINE_STEPS)[number];
