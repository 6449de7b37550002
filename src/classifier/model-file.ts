import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLASSIFIER_VERSION, type ScamClassifierModel } from './classifier.js';

// The classifier's only I/O: reading and writing model files. classifier.ts stays a pure core
// (DESIGN.md); triage takes the model as an argument and defaults to the shipped one below.

/** The shipped model file, relative to the repository root. */
export const MODEL_FILE = 'data/classifier/model.json';

/** Writes a model as JSON. */
export function saveScamClassifier(file: string, model: ScamClassifierModel): void {
  writeFileSync(file, `${JSON.stringify(model)}\n`);
}

function isModel(value: unknown): value is ScamClassifierModel {
  return (
    typeof value === 'object' &&
    value !== null &&
    Reflect.get(value, 'version') === CLASSIFIER_VERSION &&
    typeof Reflect.get(value, 'scam') === 'object' &&
    typeof Reflect.get(value, 'scamType') === 'object' &&
    Array.isArray(Reflect.get(value, 'ruleClasses'))
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

/** The shipped model file as an absolute path (works from src/ and from dist/). */
export const SHIPPED_MODEL_PATH = fileURLToPath(new URL(`../../${MODEL_FILE}`, import.meta.url));

// The shipped file is part of the release, like code: read once, never written by the server.
let shipped: ScamClassifierModel | undefined;

/**
 * The shipped model (data/classifier/model.json), read once per process on first use and kept.
 * @throws Error when the file is missing or of another CLASSIFIER_VERSION.
 */
export function shippedScamClassifier(): ScamClassifierModel {
  shipped ??= loadScamClassifier(SHIPPED_MODEL_PATH);
  return shipped;
}
