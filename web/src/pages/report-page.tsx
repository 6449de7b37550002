import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportResult } from '../api';
import { ReportForm } from '../components/report-form';
import { ReportOutcome } from '../components/report-outcome';
import { useDocumentTitle } from '../document-title';

/** `/report`: the report form on its own, then the case the report landed in. */
export function ReportPage() {
  const { t } = useTranslation();
  const [reported, setReported] = useState<ReportResult | null>(null);
  const [formKey, setFormKey] = useState(0);
  useDocumentTitle(t('report.title'));
  return (
    <>
      <h1 tabIndex={-1}>{t('report.title')}</h1>
      <p className="lead">{t('report.intro')}</p>
      {reported === null ? (
        <ReportForm key={formKey} onReported={setReported} />
      ) : (
        <ReportOutcome
          result={reported}
          onAnother={() => {
            setReported(null);
            setFormKey((key) => key + 1);
          }}
        />
      )}
    </>
  );
}
