import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportResult } from '../api';
import { CaseCard } from './case-card';
import { FollowCase } from './follow-case';
import { KnownScams } from './known-scams';

/**
 * What a person sees after reporting: thanks, whether a new case was opened or the report joined
 * an existing one, a warning when what they reported holds a known scam's LINE ID, phone, account
 * or site (with a link to that case), and the case. Takes focus so screen-reader users hear the
 * outcome.
 */
export function ReportOutcome({
  result,
  onAnother,
}: {
  result: ReportResult;
  onAnother?: () => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [result]);
  return (
    <div className="outcome">
      <p className="alert alert--success" ref={ref} tabIndex={-1} data-testid="report-outcome">
        {result.newCase
          ? t('report.thanksNew', { id: result.case.id })
          : t('report.thanksExisting', { id: result.case.id })}
      </p>
      <KnownScams scams={result.knownScams} />
      <CaseCard kase={result.case} />
      <FollowCase caseId={result.case.id} />
      {onAnother !== undefined && (
        <button type="button" className="button button--secondary" onClick={onAnother}>
          {t('report.another')}
        </button>
      )}
    </div>
  );
}
