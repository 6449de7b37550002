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
