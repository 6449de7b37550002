import { classifyScamType } from './scam-type.js';
import { classifyText, decideScam, type ScamClassifierModel } from './classifier.js';
import type { LabelledRow } from './dataset.js';
import { scores, type ClassScores } from './evaluate-scores.js';

import { SCAM_TYPES } from '../vocabulary/index.js';
export { scores, type ClassScores } from './evaluate-scores.js';

/** The scorers compared: the model alone, the keyword rules, triage's combination, the majority class. */
export const SCORERS = ['model', 'rules', 'combined', 'majority'] as const;
type Scorer = (typeof SCORERS)[number];

/** Held-out evaluation of the model beside the keyword rules, the combination and the majority class. */
export interface Evaluation {
  heldOut: number;
  scam: Record<Scorer, { perClass: ClassScores[]; macroF1: number }>;
  scamType: Record<Scorer, { perClass: ClassScores[]; macroF1: number }>;
  /** The per-class sources the model file records (chosen on validation folds of the training rows). */
  ruleClasses: string[];
  scamSource: string;
}

/**
 * Evaluates on the held-out rows: scam vs not scam (the rules call a text a scam when
 * classifyScamType finds any keyword; the model when P(scam) ≥ 0.5; the combination is
 * `decideScam`, which triage uses), and the scam type of the held-out scam rows. The majority
 * class is the most frequent class of the training rows.
 */
export function evaluateScamClassifier(
  model: ScamClassifierModel,
  rows: readonly LabelledRow[],
): Evaluation {
  const test = rows.filter((r) => r.heldOut);
  const truth = test.map((r) => (r.scam ? 'scam' : 'not_scam'));
  const verdict = (scam: boolean) => (scam ? 'scam' : 'not_scam');
  const model1 = test.map((r) => verdict(classifyText(model, r.text).scam >= 0.5));
  const rules1 = test.map((r) => verdict(classifyScamType(r.text).matched.length > 0));
  const combined1 = test.map((r) => verdict(decideScam(model, r.text).isScam));
  const train = rows.filter((r) => !r.heldOut);
  const scamShare = train.filter((r) => r.scam).length / (train.length || 1);
  const majority1 = test.map(() => verdict(scamShare >= 0.5));
  const labels1 = ['scam', 'not_scam'];
  const scamRows = test.filter((r) => r.scam && r.scamType !== null);
  const truth2 = scamRows.map((r) => r.scamType ?? 'other');
  const typeCounts = new Map<string, number>();
  for (const r of train) {
    if (r.scam && r.scamType !== null) {
      typeCounts.set(r.scamType, (typeCounts.get(r.scamType) ?? 0) + 1);
    }
  }
  const majorityType = [...typeCounts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'other';
  return {
    heldOut: test.length,
    scam: {
      model: scores(truth, model1, labels1),
      rules: scores(truth, rules1, labels1),
      combined: scores(truth, combined1, labels1),
      majority: scores(truth, majority1, labels1),
    },
    scamType: {
      model: scores(
        truth2,
        scamRows.map((r) => classifyText(model, r.text).scamType),
        SCAM_TYPES,
      ),
      rules: scores(
        truth2,
        scamRows.map((r) => classifyScamType(r.text).scamType),
        SCAM_TYPES,
      ),
      combined: scores(
        truth2,
        scamRows.map((r) => decideScam(model, r.text).scamType),
        SCAM_TYPES,
      ),
      majority: scores(
        truth2,
        scamRows.map(() => majorityType),
        SCAM_TYPES,
      ),
    },
    ruleClasses: [...model.ruleClasses],
    scamSource: model.scamSource,
  };
}

/** One table: a row per class, a column (F1, with P/R) per scorer. */
function table(
  part: Record<Scorer, { perClass: ClassScores[]; macroF1: number }>,
  labels: readonly string[],
  sourceOf: (label: string) => string,
): string[] {
  const head = `  ${'class'.padEnd(16)}${SCORERS.map((s) => s.padStart(18)).join('')}     n  decided by`;
  const lines = [head];
  for (const label of labels) {
    const cells = SCORERS.map((s) => part[s].perClass.find((c) => c.label === label));
    const support = cells[0]?.support ?? 0;
    if (support === 0 && cells.every((c) => (c?.precision ?? 0) === 0)) continue;
    const text = cells
      .map((c) =>
        `${(c?.f1 ?? 0).toFixed(3)} (${(c?.precision ?? 0).toFixed(2)}/${(c?.recall ?? 0).toFixed(2)})`.padStart(
          18,
        ),
      )
      .join('');
    lines.push(`  ${label.padEnd(16)}${text}${String(support).padStart(6)}  ${sourceOf(label)}`);
  }
  lines.push(
    `  ${'macro-F1'.padEnd(16)}${SCORERS.map((s) => part[s].macroF1.toFixed(3).padStart(18)).join('')}`,
  );
  return lines;
}

/** Human-readable held-out report of an Evaluation (printed by `eval` and bench/classify.ts). */
export function formatEvaluation(evaluation: Evaluation): string {
  const out = [
    `held-out rows: ${evaluation.heldOut}; cells are F1 (precision/recall)`,
    '',
    'scam vs not scam:',
    ...table(evaluation.scam, ['scam', 'not_scam'], () => evaluation.scamSource),
    '',
    'scam type (held-out scam rows):',
    ...table(evaluation.scamType, SCAM_TYPES, (label) =>
      evaluation.ruleClasses.includes(label) ? 'rules' : 'model',
    ),
  ];
  return out.join('\n');
}
