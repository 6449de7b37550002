import { useTranslation } from 'react-i18next';

import type { CasePublic } from '../api';
import { StatusChip } from './status-chip';
import { Fact } from './fact';
import { TaipeiTime } from './taipei-time';
import { CaseLink } from './case-link';

/** One case in a result list: label, what it means, report count, platform, first report, link. */
export function CaseCard({ kase, headingLevel = 3 }: { kase: CasePublic; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <article className="case-card" data-case-id={kase.id}>
      <div className="case-card__top">
        <StatusChip kase={kase} />
        <Heading className="case-card__title">
          <CaseLink caseId={kase.id}>{t('case.open', { id: kase.id })}</CaseLink>
        </Heading>
      </div>
      <p className="case-card__meaning">{t(`statusMeaning.${kase.status}`)}</p>
      {kase.summary !== null && kase.summary !== '' && (
        <p className="case-card__summary">{kase.summary}</p>
      )}
      <dl className="facts">
        <Fact term={t('case.reports')} testId="report-count">
          {t('case.reportCount', { count: kase.reportCount })}
        </Fact>
        <Fact term={t('case.platform')}>{t(`platform.${kase.platform}`)}</Fact>
        <Fact term={t('case.firstReported')}>
          <TaipeiTime iso={kase.firstReportedAt} />
        </Fact>
      </dl>
    </article>
  );
}
