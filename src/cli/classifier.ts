import { createInterface } from 'node:readline';
import path from 'node:path';
import type { Command } from 'commander';
import { DEMO_DATA_DIR } from '../bootstrap.js';
import {
  MODEL_FILE,
  decideScam,
  evaluateScamClassifier,
  loadLabelledRows,
  loadScamClassifier,
  saveScamClassifier,
  trainScamClassifier,
  formatEvaluation,
} from '../classifier/index.js';
import { EXIT, printJson } from './run.js';

/** The repository root (data/demo is two levels below it). */
const ROOT = path.resolve(DEMO_DATA_DIR, '..', '..');

/**
 * `scamnet classifier train|eval` (alias `scamnet model`) and `scamnet classify`: rebuild the
 * shipped model from the labelled data (data/classifier/README.md), print held-out precision,
 * recall and F1 beside the keyword rules and the majority class, and classify JSON Lines
 * `{ "id", "text" }` → `{ "id", "scam", "scamType", "confidence", "scamTypeSource" }` (the type triage would give:
 * model, or the keyword rules for the model file's `ruleClasses`).
 */
export function registerClassifierCommand(program: Command): void {
  const classifier = program
    .command('classifier')
    .alias('model')
    .description('the trained scam classifier (naive Bayes over character bigrams)');
  classifier
    .command('train')
    .description(`train on the labelled data (held-out rows excluded) and write ${MODEL_FILE}`)
    .action(() => {
      const rows = loadLabelledRows(ROOT);
      const model = trainScamClassifier(rows);
      saveScamClassifier(path.join(ROOT, MODEL_FILE), model);
      process.stdout.write(
        `${JSON.stringify({
          file: MODEL_FILE,
          trainedOn: model.trainedOn,
          heldOut: rows.filter((r) => r.heldOut).length,
          params: model.params,
          validation: {
            rows: model.validation.rows,
            scam: model.validation.scam,
            scamType: {
              model: model.validation.scamType.model,
              rules: model.validation.scamType.rules,
              combined: model.validation.scamType.combined,
            },
          },
          scamSource: model.scamSource,
          ruleClasses: model.ruleClasses,
        })}\n`,
      );
    });
  classifier
    .command('eval')
    .description(
      'precision, recall and F1 per class on the held-out split: model, rules, their combination (triage) and the majority class',
    )
    .action(() => {
      const rows = loadLabelledRows(ROOT);
      const model = loadScamClassifier(path.join(ROOT, MODEL_FILE));
      process.stdout.write(`${formatEvaluation(evaluateScamClassifier(model, rows))}\n`);
    });
  program
    .command('classify')
    .description(
      'JSON Lines {id, text} on stdin → {id, scam, scamType, confidence, scamTypeSource}',
    )
    .action(async () => {
      const model = loadScamClassifier(path.join(ROOT, MODEL_FILE));
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      let lineNumber = 0;
      let rejected = 0;
      for await (const line of lines) {
        lineNumber += 1;
        if (line.trim() === '') continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          parsed = null;
        }
        const id: unknown =
          typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'id') : undefined;
        const text: unknown =
          typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'text') : undefined;
        if (typeof text !== 'string') {
          rejected += 1;
          process.stderr.write(`scamnet: line ${lineNumber}: expected {"id", "text"}\n`);
          printJson({ id: id ?? null, error: 'text required' });
          continue;
        }
        const decision = decideScam(model, text);
        process.stdout.write(
          `${JSON.stringify({
            id: id ?? null,
            scam: decision.scam,
            scamType: decision.scamType,
            confidence: decision.confidence,
            scamTypeSource: decision.scamTypeSource,
          })}\n`,
        );
      }
      if (rejected > 0) process.exitCode = EXIT.dataError;
    });
}
