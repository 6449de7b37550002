import { useTranslation } from 'react-i18next';
import type { Indicator } from '../api';
import type { QueueReport } from '../api-workflow';
import { formatTaipeiTime } from '../query';
import { isOneOf } from '../reader';

/** Intake channels of reports (POST /api/v1/reports `channel`, importers). */
const CHANNELS = ['web', 'api', 'line', 'app', 'import'] as const;

/**
 * What was reported, for a verifier or analyst deciding: each report's time, title, text and
 * URL, and the case's indicators. URLs are plain text (never links), so nobody opens a scam page
 * by accident; reporters are never shown.
 */
export function CaseEvidence({
  reports,
  indicators,
}: {
  reports: QueueReport[];
  indicators: Indicator[];
}) {
  const { t, i18n } = useTranslation();
  return (
    <div className="evidence">
      <h4>{t('evidence.reports', { count: reports.length })}</h4>
      <ol className="evidence__reports">
        {reports.map((report, index) => (
          <li key={`${report.receivedAt}-${index}`}>
            <p className="evidence__meta">
              <time dateTime={report.receivedAt}>
                {formatTaipeiTime(report.receivedAt, i18n.language)}
              </time>
              {' · '}
              {isOneOf(CHANNELS, report.channel) ? t(`channel.${report.channel}`) : report.channel}
            </p>
            {report.title !== null && report.title !== '' && (
              <p className="evidence__title">{report.title}</p>
            )}
            {report.text !== null && report.text !== '' && (
              <blockquote className="summary">{report.text}</blockquote>
            )}
            {report.url !== null && (
              <p>
                <span className="evidence__label">{t('evidence.url')}</span>{' '}
                <code className="break">{report.url}</code>
              </p>
            )}
          </li>
        ))}
      </ol>
      {indicators.length > 0 && (
        <>
          <h4>{t('case.indicators')}</h4>
          <dl className="indicators">
            {indicators.map((indicator) => (
              <div key={`${indicator.type}:${indicator.value}`}>
                <dt>{t(`indicator.${indicator.type}`)}</dt>
                <dd>
                  <code className="break">{indicator.value}</code>
                </dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </div>
  );
}
