/**
 * bench/classify: quality of the trained scam classifier on the held-out split (20 % of the
 * labelled rows by SHA-256 of their ID, never used for training), beside the keyword rules of
 * `classifyScamType`, their combination that triage uses (`decideScam`: the rules for the classes
 * the model file's `ruleClasses` gives them, chosen on validation folds of the training rows) and
 * the majority class, measured in the same run. It also retrains from the
 * labelled data and says whether the shipped model file (data/classifier/model.json) is what
 * training reproduces. Run: `node --import tsx bench/classify.ts`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_DATA_DIR } from '../src/bootstrap.js';
import {
  MODEL_FILE,
  VALIDATION_FOLDS,
  classifyText,
  evaluateScamClassifier,
  formatEvaluation,
  loadLabelledRows,
  loadScamClassifier,
  trainScamClassifier,
} from '../src/classifier/index.js';

const root = path.resolve(DEMO_DATA_DIR, '..', '..');
const rows = loadLabelledRows(root);
const bySource = new Map<string, { scam: number; notScam: number }>();
for (const r of rows) {
  const entry = bySource.get(r.source) ?? { scam: 0, notScam: 0 };
  if (r.scam) entry.scam += 1;
  else entry.notScam += 1;
  bySource.set(r.source, entry);
}
console.log(`labelled rows: ${rows.length}`, Object.fromEntries(bySource));
const t0 = performance.now();
const retrained = trainScamClassifier(rows);
console.log(`trained in ${(performance.now() - t0).toFixed(0)} ms`);
const shipped = loadScamClassifier(path.join(root, MODEL_FILE));
const same =
  JSON.stringify(retrained) ===
  JSON.stringify(JSON.parse(readFileSync(path.join(root, MODEL_FILE), 'utf8')));
console.log(
  `shipped model reproduced by training: ${same ? 'yes' : 'NO (run scamnet classifier train)'}`,
);
console.log(
  `chosen on ${VALIDATION_FOLDS}-fold validation of the training rows: params ${JSON.stringify(shipped.params)}; scam vs not scam by ${shipped.scamSource}; rules decide ${shipped.ruleClasses.join(', ') || 'no class'}`,
);
for (const c of shipped.validation.scamType.perClass) {
  console.log(
    `  validation ${c.label.padEnd(16)} model F1 ${c.model.toFixed(3)}  rules F1 ${c.rules.toFixed(3)}  n ${c.support}  → ${c.source}`,
  );
}
console.log(formatEvaluation(evaluateScamClassifier(shipped, rows)));
const texts = rows.map((r) => r.text);
const t1 = performance.now();
for (const text of texts) classifyText(shipped, text);
const ms = performance.now() - t1;
console.log(`\nspeed: ${Math.round(texts.length / (ms / 1000))} texts/s`);
