import { sha256Hex } from '../shared/ids.js';
import { classifyScamType } from './scam-type.js';
import type { LabelledRow } from './dataset.js';
import {
  predictNaiveBayes,
  textFeatures,
  trainNaiveBayes,
  type NaiveBayesModel,
} from './naive-bayes.js';
import { scores } from './evaluate-scores.js';

import { SCAM_TYPES, isScamType, type ScamType } from '../vocabulary/index.js';
/** Version of the model file format and training recipe; part of the file. */
export const CLASSIFIER_VERSION = 'nb-bigram-2';

/** Smoothing and vocabulary cut of one naive Bayes model; `uniformPrior` drops the class prior. */
export interface NaiveBayesParams {
  alpha: number;
  minCount: number;
  uniformPrior: boolean;
}

/**
 * The grid searched at training time, per model, by cross-validation on the training rows:
 * additive smoothing α, the smallest document frequency kept, and (scam type only) a uniform
 * class prior instead of the training share (the labelled scam rows are mostly `windfall`, which
 * is not the share of real reports).
 */
export const PARAM_GRID: { scam: NaiveBayesParams[]; scamType: NaiveBayesParams[] } = {
  scam: [0.1, 0.5, 1].flatMap((alpha) =>
    [1, 2].map((minCount) => ({ alpha, minCount, uniformPrior: false })),
  ),
  scamType: [0.1, 0.5, 1].flatMap((alpha) =>
    [1, 2].flatMap((minCount) =>
      [false, true].map((uniformPrior) => ({ alpha, minCount, uniformPrior })),
    ),
  ),
};

/** Folds of the cross-validation that chooses parameters and sources (training rows only). */
export const VALIDATION_FOLDS = 5;

/** Which source decides, per class, with both F1 scores on the validation folds. */
export interface SourceChoice {
  label: string;
  /** F1 of the model on the validation folds. */
  model: number;
  /** F1 of the keyword rules (classifyScamType) on the same rows. */
  rules: number;
  /** Validation rows of this class. */
  support: number;
  /** `rules` only when the rules' F1 is strictly higher. */
  source: 'model' | 'rules';
}

/** The trained scam classifier: a scam/not-scam model and a scam-type model. */
export interface ScamClassifierModel {
  version: string;
  /** Training rows by source, for the record. */
  trainedOn: Record<string, number>;
  /** Parameters chosen from PARAM_GRID by validation macro-F1. */
  params: { scam: NaiveBayesParams; scamType: NaiveBayesParams };
  /**
   * What cross-validation on the training rows (VALIDATION_FOLDS folds by SHA-256 of
   * `fold:<id>`; the held-out split is never used) measured: macro-F1 of model and rules for
   * scam/not scam, and per scam type the F1 of both and the source chosen.
   */
  validation: {
    rows: number;
    scam: { model: number; rules: number };
    scamType: { model: number; rules: number; combined: number; perClass: SourceChoice[] };
  };
  /** Who decides scam vs not scam (and so the risk score's text signal). */
  scamSource: 'model' | 'rules';
  /** Scam types the keyword rules decide (when they find one of them); the model decides the rest. */
  ruleClasses: ScamType[];
  scam: NaiveBayesModel;
  scamType: NaiveBayesModel;
}

/** What the model alone says about one text. */
export interface Classification {
  /** Probability that the text is a scam, 0–1. */
  scam: number;
  scamType: ScamType;
  /** Posterior probability of `scamType` among the scam types, 0–1. */
  confidence: number;
}

/** The decision triage uses: the model, or the rules for the classes where they did better. */
export interface ScamDecision extends Classification {
  /** Source of the scam/not-scam call (`scam` is the model's probability either way). */
  scamSource: 'model' | 'rules';
  /** Source of `scamType`. */
  scamTypeSource: 'model' | 'rules';
  /** Keywords the rules found for their type (each once). */
  keywords: string[];
  /** True when the source of `scamSource` calls the text a scam. */
  isScam: boolean;
}

function fold(id: string): number {
  return Number.parseInt(sha256Hex(`fold:${id}`).slice(0, 8), 16) % VALIDATION_FOLDS;
}

function trainModels(
  rows: readonly LabelledRow[],
  features: ReadonlyMap<string, string[]>,
  params: { scam: NaiveBayesParams; scamType: NaiveBayesParams },
): { scam: NaiveBayesModel; scamType: NaiveBayesModel } {
  const scam = trainNaiveBayes(
    rows.map((r) => ({ features: features.get(r.id) ?? [], label: r.scam ? 'scam' : 'not_scam' })),
    params.scam.alpha,
    params.scam.minCount,
  );
  const scamType = trainNaiveBayes(
    rows
      .filter((r) => r.scam && r.scamType !== null)
      .map((r) => ({ features: features.get(r.id) ?? [], label: r.scamType ?? 'other' })),
    params.scamType.alpha,
    params.scamType.minCount,
  );
  if (params.scamType.uniformPrior) scamType.logPrior = scamType.logPrior.map(() => 0);
  return { scam, scamType };
}

function bestType(model: NaiveBayesModel, features: readonly string[]): ScamType {
  let best: { label: string; probability: number } | undefined;
  for (const p of predictNaiveBayes(model, features)) {
    if (best === undefined || p.probability > best.probability) best = p;
  }
  return best !== undefined && isScamType(best.label) ? best.label : 'other';
}

/** The rules' type when it is one of `ruleClasses`, else the model's. Pure. */
function combineType(
  modelType: ScamType,
  rulesType: ScamType,
  ruleClasses: readonly ScamType[],
): { scamType: ScamType; source: 'model' | 'rules' } {
  return ruleClasses.includes(rulesType)
    ? { scamType: rulesType, source: 'rules' }
    : { scamType: modelType, source: 'model' };
}

/** Out-of-fold predictions of one parameter setting over the training rows. */
function crossValidate(
  rows: readonly LabelledRow[],
  features: ReadonlyMap<string, string[]>,
  params: { scam: NaiveBayesParams; scamType: NaiveBayesParams },
): { scam: Map<string, number>; scamType: Map<string, ScamType> } {
  const scam = new Map<string, number>();
  const scamType = new Map<string, ScamType>();
  for (let k = 0; k < VALIDATION_FOLDS; k += 1) {
    const validation = rows.filter((r) => fold(r.id) === k);
    if (validation.length === 0) continue;
    const models = trainModels(
      rows.filter((r) => fold(r.id) !== k),
      features,
      params,
    );
    for (const r of validation) {
      const f = features.get(r.id) ?? [];
      const p = predictNaiveBayes(models.scam, f).find((x) => x.label === 'scam');
      scam.set(r.id, p?.probability ?? 0);
      if (r.scam && r.scamType !== null) scamType.set(r.id, bestType(models.scamType, f));
    }
  }
  return { scam, scamType };
}

/**
 * Trains both models on the rows that are not held out: `scam` on every row (`scam`/`not_scam`),
 * `scamType` on scam rows only. Parameters come from PARAM_GRID by VALIDATION_FOLDS-fold
 * cross-validation on those training rows (best macro-F1, first of the grid on ties); the same
 * out-of-fold predictions choose, per scam type, whether the model or the keyword rules decide
 * (`ruleClasses`: rules only when their F1 is strictly higher), and whether the model or the
 * rules decide scam vs not scam. Deterministic for the same rows.
 */
export function trainScamClassifier(rows: readonly LabelledRow[]): ScamClassifierModel {
  const training = rows.filter((r) => !r.heldOut);
  const trainedOn: Record<string, number> = {};
  for (const row of training) trainedOn[row.source] = (trainedOn[row.source] ?? 0) + 1;
  const features = new Map(training.map((r) => [r.id, textFeatures(r.text)]));
  const scamTruth = training.map((r) => (r.scam ? 'scam' : 'not_scam'));
  const typed = training.filter((r) => r.scam && r.scamType !== null);
  const typeTruth = typed.map((r) => r.scamType ?? 'other');
  const labels = ['scam', 'not_scam'];

  let scamParams = PARAM_GRID.scam[0] ?? { alpha: 1, minCount: 2, uniformPrior: false };
  let scamF1 = -1;
  for (const candidate of PARAM_GRID.scam) {
    const cv = crossValidate(training, features, { scam: candidate, scamType: candidate });
    const predicted = training.map((r) => ((cv.scam.get(r.id) ?? 0) >= 0.5 ? 'scam' : 'not_scam'));
    const f1 = scores(scamTruth, predicted, labels).macroF1;
    if (f1 > scamF1) [scamParams, scamF1] = [candidate, f1];
  }
  let typeParams = PARAM_GRID.scamType[0] ?? scamParams;
  let typeF1 = -1;
  let typePredicted: ScamType[] = [];
  for (const candidate of PARAM_GRID.scamType) {
    const cv = crossValidate(training, features, { scam: scamParams, scamType: candidate });
    const predicted = typed.map((r) => cv.scamType.get(r.id) ?? 'other');
    const f1 = scores(typeTruth, predicted, SCAM_TYPES).macroF1;
    if (f1 > typeF1) [typeParams, typeF1, typePredicted] = [candidate, f1, predicted];
  }

  const rulesScam = training.map((r) =>
    classifyScamType(r.text).matched.length > 0 ? 'scam' : 'not_scam',
  );
  const rulesScamF1 = scores(scamTruth, rulesScam, labels).macroF1;
  const rulesTypes = typed.map((r) => classifyScamType(r.text).scamType);
  const modelPerClass = scores(typeTruth, typePredicted, SCAM_TYPES).perClass;
  const rulesScores = scores(typeTruth, rulesTypes, SCAM_TYPES);
  const perClass: SourceChoice[] = modelPerClass.map((m) => {
    const rules = rulesScores.perClass.find((r) => r.label === m.label)?.f1 ?? 0;
    return {
      label: m.label,
      model: round(m.f1),
      rules: round(rules),
      support: m.support,
      source: rules > m.f1 ? 'rules' : 'model',
    };
  });
  const ruleClasses = SCAM_TYPES.filter((t) =>
    perClass.some((c) => c.label === t && c.source === 'rules'),
  );
  const combined = typed.map(
    (_, i) =>
      combineType(typePredicted[i] ?? 'other', rulesTypes[i] ?? 'other', ruleClasses).scamType,
  );
  const params = { scam: scamParams, scamType: typeParams };
  return {
    version: CLASSIFIER_VERSION,
    trainedOn,
    params,
    validation: {
      rows: training.length,
      scam: { model: round(scamF1), rules: round(rulesScamF1) },
      scamType: {
        model: round(typeF1),
        rules: round(rulesScores.macroF1),
        combined: round(scores(typeTruth, combined, SCAM_TYPES).macroF1),
        perClass,
      },
    },
    scamSource: rulesScamF1 > scamF1 ? 'rules' : 'model',
    ruleClasses,
    ...trainModels(training, features, params),
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** Classifies one text with the model alone (no rules). Pure. */
export function classifyText(model: ScamClassifierModel, text: string): Classification {
  const features = textFeatures(text);
  const scam = predictNaiveBayes(model.scam, features).find((p) => p.label === 'scam');
  let best: { label: string; probability: number } | undefined;
  for (const p of predictNaiveBayes(model.scamType, features)) {
    if (best === undefined || p.probability > best.probability) best = p;
  }
  const scamType = best !== undefined && isScamType(best.label) ? best.label : 'other';
  return {
    scam: round(scam?.probability ?? 0),
    scamType,
    confidence: round(best?.probability ?? 0),
  };
}

/**
 * The decision triage uses for one text: the model's scam probability and type, except that the
 * keyword rules (classifyScamType) decide the type when they find a type of `model.ruleClasses`,
 * and decide scam vs not scam when `model.scamSource` is `rules` (a keyword found). Pure.
 */
export function decideScam(model: ScamClassifierModel, text: string): ScamDecision {
  const byModel = classifyText(model, text);
  const byRules = classifyScamType(text);
  const type = combineType(byModel.scamType, byRules.scamType, model.ruleClasses);
  return {
    ...byModel,
    scamType: type.scamType,
    scamSource: model.scamSource,
    scamTypeSource: type.source,
    keywords: byRules.matched,
    isScam: model.scamSource === 'rules' ? byRules.matched.length > 0 : byModel.scam >= 0.5,
  };
}
