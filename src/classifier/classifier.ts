import { readFileSync, writeFileSync } from 'node:fs';
import { isScamType, type ScamType } from '../triage/index.js';
import type { LabelledRow } from './dataset.js';
import {
  predictNaiveBayes,
  textFeatures,
  trainNaiveBayes,
  type NaiveBayesModel,
} from './naive-bayes.js';

/** Version of the model file format and training recipe; part of the file. */
export const CLASSIFIER_VERSION = 'nb-bigram-1';

/** The trained scam classifier: a scam/not-scam model and a scam-type model. */
export interface ScamClassifierModel {
  version: string;
  /** Training rows by source, for the record. */
  trainedOn: Record<string, number>;
  scam: NaiveBayesModel;
  scamType: NaiveBayesModel;
}

/** What the classifier says about one text. */
export interface Classification {
  /** Probability that the text is a scam, 0–1. */
  scam: number;
  scamType: ScamType;
  /** Posterior probability of `scamType` among the scam types, 0–1. */
  confidence: number;
}

/**
 * Trains both models on the rows that are not held out: `scam` on every row (`scam`/`not_scam`),
 * `scamType` on scam rows only. Deterministic for the same rows.
 */
export function trainScamClassifier(rows: readonly LabelledRow[]): ScamClassifierModel {
  const training = rows.filter((r) => !r.heldOut);
  const trainedOn: Record<string, number> = {};
  for (const row of training) trainedOn[row.source] = (trainedOn[row.source] ?? 0) + 1;
  const examples = training.map((r) => ({ row: r, features: textFeatures(r.text) }));
  return {
    version: CLASSIFIER_VERSION,
    trainedOn,
    scam: trainNaiveBayes(
      examples.map((e) => ({ features: e.features, label: e.row.scam ? 'scam' : 'not_scam' })),
    ),
    scamType: trainNaiveBayes(
      examples
        .filter((e) => e.row.scam && e.row.scamType !== null)
        .map((e) => ({ features: e.features, label: e.row.scamType ?? 'other' })),
      1,
      1,
    ),
  };
}

/** Classifies one text with a trained model. Pure. */
export function classifyText(model: ScamClassifierModel, text: string): Classification {
  const features = textFeatures(text);
  const scam = predictNaiveBayes(model.scam, features).find((p) => p.label === 'scam');
  const types = predictNaiveBayes(model.scamType, features).sort(
    (a, b) => b.probability - a.probability,
  );
  const best = types[0];
  const scamType = best !== undefined && isScamType(best.label) ? best.label : 'other';
  return {
    scam: Math.round((scam?.probability ?? 0) * 1e4) / 1e4,
    scamType,
    confidence: Math.round((best?.probability ?? 0) * 1e4) / 1e4,
  };
}

/** The shipped model file, relative to the repository root. */
export const MODEL_FILE = 'data/classifier/model.json';

/** Writes a model as JSON (one line per class row keeps diffs readable enough). */
export function saveScamClassifier(file: string, model: ScamClassifierModel): void {
  writeFileSync(file, `${JSON.stringify(model)}\n`);
}

function isModel(value: unknown): value is ScamClassifierModel {
  return (
    typeof value === 'object' &&
    value !== null &&
    Reflect.get(value, 'version') === CLASSIFIER_VERSION &&
    typeof Reflect.get(value, 'scam') === 'object' &&
    typeof Reflect.get(value, 'scamType') === 'object'
  );
}

/**
 * Loads a model file.
 * @throws Error when the file is missing or not a model of CLASSIFIER_VERSION.
 */
export function loadScamClassifier(file: string): ScamClassifierModel {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isModel(parsed)) throw new Error(`${file} is not a ${CLASSIFIER_VERSION} model`);
  return parsed;
}
