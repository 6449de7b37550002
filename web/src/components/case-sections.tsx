import { useTranslation } from 'react-i18next';
import {
  KNOWN_SOURCES,
  type CaseBlocking,
  type CaseDetail,
  type CaseStaffExtras,
  type VerdictRecord,
} from '../api';
import { ENTRY_STATES, LEGAL_BASES } from '../api-blocklist';
import { formatTaipeiTime } from '../query';
import { isOneOf } from '../reader';
import { IndicatorList, UrlList } from './indicator-list';
import { Fact } from './fact';
import { TaipeiTime } from './taipei-time';

/*
 * The sections of a case page (`/cases/:id`), each from the case as the API gives it: facts,
 * blocking, summary, links, indicators, verdict history, and the personal data only staff get.
 */

/** ID, report count, platform, source, first and last report, decision time (Taipei time). */
export function CaseFacts({ kase }: { kase: CaseDetail }) {
  const { t } = useTranslation();
  return (
    <>
      <dl className="facts facts--wide">
        <Fact term={t('case.id')}>
          <code>{kase.id}</code>
        </Fact>
        <Fact term={t('case.reports')} testId="report-count">
          {t('case.reportCount', { count: kase.reportCount })}
        </Fact>
        <Fact term={t('case.platform')}>{t(`platform.${kase.platform}`)}</Fact>
        <Fact term={t('case.source')}>
          {isOneOf(KNOWN_SOURCES, kase.source) ? t(`source.${kase.source}`) : t('source.unknown')}
        </Fact>
        <Fact term={t('case.firstReported')}>
          <TaipeiTime iso={kase.firstReportedAt} />
        </Fact>
        <Fact term={t('case.lastReported')}>
          <TaipeiTime iso={kase.lastReportedAt} />
        </Fact>
        <Fact term={t('case.decidedAt')}>
          {kase.decidedAt === null ? t('case.notDecided') : <TaipeiTime iso={kase.decidedAt} />}
        </Fact>
      </dl>
      <p className="field__hint">{t('common.timeZoneNote')}</p>
    </>
  );
}

/**
 * What was reported, as the public may see it: the summary (personal data redacted, marked
 * 〔…〕), the links as plain text, and the other indicators (domains, phones, LINE IDs, …).
 */
export function CaseContent({ kase }: { kase: CaseDetail }) {
  const { t } = useTranslation();
  // Links are listed on their own; the rest as indicators.
  const otherIndicators = kase.indicators.filter((i) => i.type !== 'url');
  return (
    <>
      <section aria-labelledby="case-summary">
        <h2 id="case-summary">{t('case.summary')}</h2>
        {kase.summary === null || kase.summary === '' ? (
          <p>{t('case.noSummary')}</p>
        ) : (
          <blockquote className="summary">{kase.summary}</blockquote>
        )}
        {kase.summary?.includes('〔') === true && (
          <p className="field__hint">{t('case.summaryNote')}</p>
        )}
      </section>
      {kase.urls.length > 0 && (
        <section aria-labelledby="case-urls">
          <h2 id="case-urls">{t('case.urls')}</h2>
          <p className="field__hint">{t('case.urlsNote')}</p>
          <UrlList urls={kase.urls} />
        </section>
      )}
      {otherIndicators.length > 0 && (
        <section aria-labelledby="case-indicators">
          <h2 id="case-indicators">{t('case.indicators')}</h2>
          <IndicatorList indicators={otherIndicators} />
        </section>
      )}
    </>
  );
}

/** The verdicts given, oldest first, each with its time and note. */
export function VerdictHistory({ verdicts }: { verdicts: VerdictRecord[] }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="case-history">
      <h2 id="case-history">{t('case.history')}</h2>
      {verdicts.length === 0 ? (
        <p>{t('case.noHistory')}</p>
      ) : (
        <ol className="history">
          {verdicts.map((record, index) => (
            <li key={`${record.decidedAt}-${index}`}>
              <strong>{t(`verdict.${record.verdict}`)}</strong> ·{' '}
              <TaipeiTime iso={record.decidedAt} />
              {record.note !== null && record.note !== '' && (
                <p className="history__note">{t('case.note', { note: record.note })}</p>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/**
 * For staff who may see it: the summary as reported (unredacted) and the indicators kept off
 * public pages.
 */
export function CasePersonalData({ staff }: { staff: CaseStaffExtras }) {
  const { t } = useTranslation();
  return (
    <section className="panel panel--staff" aria-labelledby="case-personal">
      <h2 id="case-personal">{t('case.personalHeading')}</h2>
      <p className="field__hint">{t('case.personalNote')}</p>
      <h3>{t('case.originalSummary')}</h3>
      {staff.summary === null || staff.summary === '' ? (
        <p>{t('case.noSummary')}</p>
      ) : (
        <blockquote className="summary" data-testid="original-summary">
          {staff.summary}
        </blockquote>
      )}
      <h3>{t('case.hiddenIndicators')}</h3>
      {staff.personalIndicators.length === 0 ? (
        <p>{t('case.noHiddenIndicators')}</p>
      ) : (
        <IndicatorList indicators={staff.personalIndicators} />
      )}
    </section>
  );
}

/**
 * The blocking of a fraud website: each blocklist entry of the case with its state, legal basis
 * (or that it awaits one), requesting unit and since when — what 「已停止解析」 rests on.
 */
export function CaseBlockingList({ blocking }: { blocking: CaseBlocking[] }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="case-blocking" data-testid="case-blocking">
      <h2 id="case-blocking">{t('caseBlocking.heading')}</h2>
      <ul>
        {blocking.map((b) => (
          <li key={`${b.domain}-${b.state}`} data-entry-state={b.state}>
            <code>{b.domain}</code>
            {' · '}
            {isOneOf(ENTRY_STATES, b.state) ? t(`entryState.${b.state}`) : b.state}
            {' · '}
            {b.legalBasis === null
              ? t('caseBlocking.noBasis')
              : t('caseBlocking.basis', {
                  basis: isOneOf(LEGAL_BASES, b.legalBasis)
                    ? t(`legalBasis.${b.legalBasis}`)
                    : b.legalBasis,
                  reference: b.legalReference ?? '—',
                  date: b.legalDate ?? '—',
                })}
            {b.requestingUnit !== null && (
              <> · {t('caseBlocking.unit', { unit: b.requestingUnit })}</>
            )}
            {b.effectiveAt !== null && (
              <>
                {' · '}
                {t('caseBlocking.since', {
                  date: formatTaipeiTime(b.effectiveAt, i18n.language),
                })}
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
