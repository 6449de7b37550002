import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { caseActionError } from './case-errors';

/**
 * A staff action on a case (merge, split, capture) as a panel runs it: `busy` while it runs, and
 * its failure `error` as caseActionError words it (null when there is none; `setError` clears it
 * or sets a problem found before asking). `run(action)` marks the panel busy, awaits `action` and
 * keeps its failure instead of throwing; the caller checks `busy` first, so one runs at a time.
 */
export function useCaseAction() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run(action: () => Promise<void>) {
    setBusy(true);
    try {
      await action();
    } catch (caught) {
      setError(caseActionError(t, caught));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}
