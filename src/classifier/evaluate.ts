import { classifyScamType, SCAM_TYPES } from '../triage/index.js';
import { classifyText, type ScamClassifierModel } from './classifier.js';
import type { LabelledRow } from './dataset.js';

/** Precision, recall and F1 of one class, with its support (true rows). */
export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Per-class scores and the macro average over classes with support or predictions. */
export function scores(
  truth: readonly string[],
  predicted: readonly string[],
  labels: readonly string[],
): { perClass: ClassScores[]; macroF1: number } {
  const perClass = labels.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    truth.forEach((t, i) => {
      const p = predicted[i];
      if (p === label && t === label) tp += 1;
      else if (p === label) fp += 1;
      else if (t === label) fn += 1;
    });
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support: tp + fn, predicted: tp + fp };
  });
  const counted = perClass.filter((c) => c.support > 0 || c.predicted > 0);
  const macroF1 = counted.reduce((s, c) => s + c.f1, 0) / (counted.length || 1);
  return { perClass: perClass.map(({ predicted: _, ...c }) => c), macroF1 };
}

/** Held-out evaluation of the model beside the keyword rules and the majority class. */
export interface Evaluation {
  heldOut: number;
  scam: Record<'model' | 'rules' | 'majority', { perClass: ClassScores[]; macroF1: number }>;
  scamType: Record<'model' | 'rules' | 'majority', { perClass: ClassScores[]; macroF1: number }>;
}

/**
 * Evaluates on the held-out rows: scam vs not scam (the rules call a text a scam when
 * classifyScamType finds any keyword; the model when P(scam) ≥ 0.5), and the scam type of the
 * held-out scam rows.
 */
export function evaluateScamClassifier(
  model: ScamClassifierModel,
  rows: readonly LabelledRow[],
): Evaluation {
  const test = rows.filter((r) => r.heldOut);
  const truth = test.map((r) => (r.scam ? 'scam' : 'not_scam'));
  const model1 = test.map((r) => (classifyText(model, r.text).scam >= 0.5 ? 'scam' : 'not_scam'));
  const rules1 = test.map((r) =>
    classifyScamType(r.text).matched.length > 0 ? 'scam' : 'not_scam',
  );
  const train = rows.filter((r) => !r.heldOut);
  const scamShare = train.filter((r) => r.scam).length / (train.length || 1);
  const majority1 = test.map(() => (scamShare >= 0.5 ? 'scam' : 'not_scam'));
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
      majority: scores(
        truth2,
        scamRows.map(() => majorityType),
        SCAM_TYPES,
      ),
    },
  };
}

function table(title: string, rows: ClassScores[], macroF1: number): string {
  const lines = [`${title}  macro-F1 ${macroF1.toFixed(3)}`];
  for (const r of rows) {
    if (r.support === 0 && r.precision === 0) continue;
    lines.push(
      `  ${r.label.padEnd(16)} P ${r.precision.toFixed(3)}  R ${r.recall.toFixed(3)}  F1 ${r.f1.toFixed(3)}  n ${r.support}`,
    );
  }
  return lines.join('\n');
}

/** Human-readable held-out report of an Evaluation (printed by `eval` and bench/classifier.ts). */
export function formatEvaluation(evaluation: Evaluation): string {
  const out = [`held-out rows: ${evaluation.heldOut}`, '', 'scam vs not scam:'];
  for (const name of ['model', 'rules', 'majority'] as const) {
    const s = evaluation.scam[name];
    out.push(table(`[${name}]`, s.perClass, s.macroF1));
  }
  out.push('', 'scam type (held-out scam rows):');
  for (const name of ['model', 'rules', 'majority'] as const) {
    const s = evaluation.scamType[name];
    out.push(table(`[${name}]`, s.perClass, s.macroF1));
  }
  return out.join('\n');
}
