import type { SanctionStep } from '../config/index.js';

export type { SanctionStep };

/** The step that applies to the `occurrence`-th missed deadline (the last step reached). */
export function sanctionFor(
  schedule: readonly SanctionStep[],
  occurrence: number,
): SanctionStep | undefined {
  return [...schedule]
    .sort((a, b) => a.fromOccurrence - b.fromOccurrence)
    .filter((s) => s.fromOccurrence <= occurrence)
    .at(-1);
}
