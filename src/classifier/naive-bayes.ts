import { documentTerms } from '../shared/search-terms.js';

/**
 * Multinomial naive Bayes over binary text features (McCallum & Nigam, "A comparison of event
 * models for naive Bayes text classification", 1998; Manning, Raghavan & Schütze, "Introduction
 * to Information Retrieval", ch. 13): each distinct feature of a text counts once; add-α
 * (Laplace) smoothing; features seen in fewer than `minCount` training texts are dropped. Pure.
 */

/** Features of a text: its distinct CJK character bigrams and letter/digit tokens (search-terms.ts). */
export function textFeatures(text: string): string[] {
  return documentTerms(text);
}

/** A trained model: per class its log prior and the log likelihood of each feature. */
export interface NaiveBayesModel {
  classes: string[];
  /** log P(class), by class index. */
  logPrior: number[];
  /** Feature → log P(feature | class) by class index. */
  logLikelihood: Record<string, number[]>;
  /** log P(unseen feature | class) by class index (features outside the vocabulary are skipped). */
  logUnseen: number[];
}

/**
 * Trains a model on `examples` (text features and class). Classes are sorted, so the model is
 * the same for the same examples in any order.
 * @param alpha additive smoothing (1 = Laplace). @param minCount smallest document frequency kept.
 */
export function trainNaiveBayes(
  examples: ReadonlyArray<{ features: readonly string[]; label: string }>,
  alpha = 1,
  minCount = 2,
): NaiveBayesModel {
  const classes = [...new Set(examples.map((e) => e.label))].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const docs = classes.map(() => 0);
  const df = new Map<string, number>();
  const counts = new Map<string, number[]>();
  for (const example of examples) {
    const c = index.get(example.label) ?? 0;
    docs[c] = (docs[c] ?? 0) + 1;
    for (const feature of new Set(example.features)) {
      df.set(feature, (df.get(feature) ?? 0) + 1);
      let row = counts.get(feature);
      if (row === undefined) {
        row = classes.map(() => 0);
        counts.set(feature, row);
      }
      row[c] = (row[c] ?? 0) + 1;
    }
  }
  const vocabulary = [...counts.keys()].filter((f) => (df.get(f) ?? 0) >= minCount).sort();
  const totals = classes.map((_, c) =>
    vocabulary.reduce((sum, f) => sum + (counts.get(f)?.[c] ?? 0), 0),
  );
  const denominators = totals.map((t) => t + alpha * vocabulary.length);
  const logLikelihood: Record<string, number[]> = {};
  for (const feature of vocabulary) {
    const row = counts.get(feature) ?? [];
    logLikelihood[feature] = classes.map((_, c) =>
      round(Math.log(((row[c] ?? 0) + alpha) / (denominators[c] ?? 1))),
    );
  }
  return {
    classes,
    logPrior: docs.map((d) => round(Math.log(d / examples.length))),
    logLikelihood,
    logUnseen: denominators.map((d) => round(Math.log(alpha / d))),
  };
}

/** Rounds to 6 decimals, keeping the model file small and stable. */
function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Posterior probability of each class for a text's features (softmax of the log scores). */
export function predictNaiveBayes(
  model: NaiveBayesModel,
  features: readonly string[],
): Array<{ label: string; probability: number }> {
  const scores = model.classes.map((_, c) => model.logPrior[c] ?? 0);
  for (const feature of new Set(features)) {
    const row = model.logLikelihood[feature];
    if (row === undefined) continue;
    for (let c = 0; c < scores.length; c++) scores[c] = (scores[c] ?? 0) + (row[c] ?? 0);
  }
  const max = Math.max(...scores);
  const exp = scores.map((s) => Math.exp(s - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return model.classes.map((label, c) => ({ label, probability: (exp[c] ?? 0) / sum }));
}
