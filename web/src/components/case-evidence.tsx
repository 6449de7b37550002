import { useTranslation } from 'react-i18next';
import { useEffect, useState, type ReactNode } from 'react';
import { CHANNELS, type Indicator } from '../api';
import type { QueueCapture, QueueReport } from '../api-workflow';
import { fetchDataUrl } from '../http';
import { isOneOf } from '../reader';
import { IndicatorList } from './indicator-list';
import { TaipeiTime } from './taipei-time';

/**
 * What was reported, for a verifier or analyst deciding: each report's time, title, text and
 * URL, and the case's indicators. URLs are plain text (never links), so nobody opens a scam page
 * by accident; reporters are never shown.
 */
export function CaseEvidence({
  reports,
  indicators,
  captures = [],
}: {
  reports: QueueReport[];
  indicators: Indicator[];
  captures?: QueueCapture[];
}) {
  const { t } = useTranslation();
  return (
    <div className="evidence">
      <h4>{t('evidence.reports', { count: reports.length })}</h4>
      <ol className="evidence__reports">
        {reports.map((report, index) => (
          <li key={`${report.receivedAt}-${index}`}>
            <ReportMeta report={report} />
            <ReportContent report={report} />
          </li>
        ))}
      </ol>
      {captures.length > 0 && (
        <>
          <h4>{t('evidence.captures')}</h4>
          <ul className="evidence__reports">
            {captures.map((capture) => (
              <li key={capture.id}>
                <p className="evidence__meta">
                  <TaipeiTime iso={capture.completedAt} />
                  {capture.status !== null && ` · HTTP ${capture.status}`}
                </p>
                <p>
                  <span className="evidence__label">{t('evidence.url')}</span>{' '}
                  <code className="break">{capture.finalUrl ?? capture.url}</code>
                </p>
                {capture.title !== null && capture.title !== '' && (
                  <p className="evidence__title">{capture.title}</p>
                )}
                {capture.screenshotSha256 !== null && (
                  <Screenshot
                    sha256={capture.screenshotSha256}
                    alt={t('evidence.screenshotOf', { url: capture.finalUrl ?? capture.url })}
                  />
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {indicators.length > 0 && (
        <>
          <h4>{t('case.indicators')}</h4>
          <IndicatorList indicators={indicators} />
        </>
      )}
    </div>
  );
}

/** When a report came and how (its channel); `children` add to the line. */
export function ReportMeta({
  report,
  children,
}: {
  report: { receivedAt: string; channel: string };
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <p className="evidence__meta">
      <TaipeiTime iso={report.receivedAt} />
      {' · '}
      {isOneOf(CHANNELS, report.channel) ? t(`channel.${report.channel}`) : report.channel}
      {children}
    </p>
  );
}

/** What a report says: its title, text and URL (as plain text, never a link), those it has. */
export function ReportContent({
  report,
}: {
  report: { title: string | null; text: string | null; url: string | null };
}) {
  const { t } = useTranslation();
  return (
    <>
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
    </>
  );
}

/**
 * A case of a verifier's queue as a verifier decides it: the question asked back, while it is
 * open, and the evidence.
 */
export function QueueItemEvidence({
  item,
}: {
  item: {
    infoQuestion: string | null;
    reports: QueueReport[];
    captures: QueueCapture[];
    case: { indicators: Indicator[] };
  };
}) {
  const { t } = useTranslation();
  return (
    <>
      {item.infoQuestion !== null && (
        <p className="alert alert--info">
          {t('verifier.openQuestion', { question: item.infoQuestion })}
        </p>
      )}
      <CaseEvidence
        reports={item.reports}
        indicators={item.case.indicators}
        captures={item.captures}
      />
    </>
  );
}

/** A capture's screenshot, loaded with the caller's credential (see fetchDataUrl). */
function Screenshot({ sha256, alt }: { sha256: string; alt: string }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    fetchDataUrl(`/api/v1/blobs/${encodeURIComponent(sha256)}`, controller.signal).then(
      setSrc,
      () => {
        if (!controller.signal.aborted) setFailed(true);
      },
    );
    return () => controller.abort();
  }, [sha256]);
  if (failed) return <p>{t('evidence.screenshotFailed')}</p>;
  if (src === null) return <p>{t('common.loading')}</p>;
  return <img className="evidence__shot" src={src} alt={alt} />;
}
