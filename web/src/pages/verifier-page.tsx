import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { getQueue, decide } from '../api-workflow';
import { getEntities, type Entity } from '../api-admin';
import type { CasePublic } from '../api';
import { QueueItemEvidence } from '../components/case-evidence';
import { DecisionForm } from '../components/decision-form';
import { AgeSelect, CaseSearchForm, useFilterParams } from '../components/list-filters';
import { LoadStatus } from '../components/load-status';
import { Pager, useServerPage, useServerPaged } from '../components/pager';
import { StatusChip } from '../components/status-chip';
import { toLanguage } from '../i18n';
import { useLoad, loadedData, loadFailure } from '../use-load';
import { RolePage } from '../components/role-page';
import { Fact } from '../components/fact';
import { TaipeiTime } from '../components/taipei-time';
import { CaseLink } from '../components/case-link';

/** Cases per page of the queue (each card carries the evidence and a decision form). */
const PAGE_SIZE = 20;

/**
 * `/verify`: the verifier portal. The cases routed to the verifier's entities, oldest first,
 * with the true total, 20 to a page, searchable by text, indicator and age (all kept in the
 * address: `q`, `indicator`, `age`, `page`); each with what was reported (texts, URLs as plain
 * text, indicators), a link to its case page and a one-step decision.
 */
export function VerifierPage() {
  const { t } = useTranslation();
  return (
    <RolePage title={t('verifier.title')} roles={['verifier']}>
      {() => <VerifierQueue />}
    </RolePage>
  );
}

function VerifierQueue() {
  const { t, i18n } = useTranslation();
  const filters = useFilterParams();
  const q = filters.get('q');
  const indicator = filters.get('indicator');
  const age = filters.age();
  const at = useServerPage(PAGE_SIZE);
  // Bumped after each decision: the page is read again so the next case moves up into it.
  const [revision, setRevision] = useState(0);
  const { state, update } = useLoad(
    (signal) => getQueue({ q, indicator, age, limit: at.limit, offset: at.offset }, signal),
    [q, indicator, age, at.offset, revision],
    { keepWhileReloading: true },
  );
  const result = loadedData(state);
  const paged = useServerPaged(result, at);
  const filtered = q !== '' || indicator !== '' || age !== '';
  const [entities, setEntities] = useState<Entity[]>([]);
  const [decided, setDecided] = useState<Array<{ kase: CasePublic; decision: string }>>([]);

  useEffect(() => {
    const controller = new AbortController();
    getEntities(controller.signal).then(setEntities, () => setEntities([]));
    return () => controller.abort();
  }, []);

  const entityName = (id: string | null) => {
    const entity = entities.find((e) => e.id === id);
    if (entity === undefined) return id ?? '';
    return toLanguage(i18n.language) === 'en' && entity.nameEn !== null
      ? entity.nameEn
      : entity.nameZh;
  };

  return (
    <>
      <p className="lead">
        {entities.length > 0
          ? t('verifier.intro', {
              entities: new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(
                entities.map((e) => entityName(e.id)),
              ),
            })
          : t('verifier.introPlain')}
      </p>
      <div role="status" aria-live="polite" data-testid="decided-status">
        {decided.map(({ kase, decision }) => (
          <p key={kase.id} className="alert alert--success">
            {decision === 'need_info'
              ? t('verifier.asked', { id: kase.id })
              : t('verifier.decided', {
                  id: kase.id,
                  label: t(`status.${kase.status}`),
                })}{' '}
            <CaseLink caseId={kase.id}>{t('verifier.viewCase')}</CaseLink>
          </p>
        ))}
      </div>
      <section aria-labelledby="queue-h">
        <h2 id="queue-h">{t('verifier.queue')}</h2>
        <CaseSearchForm
          legend={t('verifier.search')}
          filters={filters}
          loadError={loadFailure(state)}
        />
        <div className="filters">
          <AgeSelect
            label={t('lists.caseAge')}
            value={age}
            onChange={(value) => filters.set({ age: value })}
          />
        </div>
        <LoadStatus state={state} />
        {result !== null && result.total === 0 && (
          <p data-testid="queue-empty">
            {filtered ? t('verifier.emptyFiltered') : t('verifier.empty')}
          </p>
        )}
        {result !== null && result.total > 0 && (
          <>
            <p role="status" data-testid="queue-total">
              {filtered
                ? t('verifier.countFiltered', { count: result.total })
                : t('verifier.count', { count: result.total })}
            </p>
            <ol className="queue" data-testid="queue" start={result.offset + 1}>
              {result.items.map((item) => (
                <li key={item.case.id} className="queue__item" data-case-id={item.case.id}>
                  <article aria-labelledby={`q-${item.case.id}`}>
                    <div className="case-card__top">
                      <StatusChip kase={item.case} />
                      <h3 id={`q-${item.case.id}`} className="case-card__title">
                        {t('case.heading', { id: item.case.id })}
                      </h3>
                    </div>
                    <p>
                      <CaseLink caseId={item.case.id}>{t('verifier.viewCase')}</CaseLink>
                    </p>
                    <dl className="facts">
                      <Fact term={t('case.firstReported')}>
                        <TaipeiTime iso={item.case.firstReportedAt} />
                      </Fact>
                      <Fact term={t('case.platform')}>{t(`platform.${item.case.platform}`)}</Fact>
                      <Fact term={t('triage.scamType')}>
                        {item.scamType === null ? t('triage.none') : t(`scamType.${item.scamType}`)}
                      </Fact>
                      <Fact term={t('triage.routed')}>{entityName(item.routedEntityId)}</Fact>
                      <Fact term={t('triage.risk')}>{item.riskScore ?? t('triage.none')}</Fact>
                    </dl>
                    <QueueItemEvidence item={item} />
                    <DecisionForm
                      caseId={item.case.id}
                      onDecide={(input) => decide(item.case.id, input)}
                      onDone={(kase, decision) => {
                        setDecided((list) => [{ kase, decision }, ...list]);
                        update((page) => ({
                          ...page,
                          items: page.items.filter((i) => i.case.id !== kase.id),
                          total: Math.max(0, page.total - 1),
                        }));
                        setRevision((value) => value + 1);
                      }}
                    />
                  </article>
                </li>
              ))}
            </ol>
            {paged !== null && <Pager paged={paged} label={t('verifier.queue')} />}
          </>
        )}
      </section>
      <section aria-labelledby="history-h">
        <h2 id="history-h">{t('verifier.history')}</h2>
        <p>
          {t('verifier.historyIntro')} <Link to="/verify/history">{t('verifier.historyLink')}</Link>
        </p>
      </section>
    </>
  );
}
