import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { getQueue, decide } from '../api-workflow';
import { getEntities, type Entity } from '../api-admin';
import type { CasePublic } from '../api';
import { CaseEvidence } from '../components/case-evidence';
import { DecisionForm } from '../components/decision-form';
import { LoadStatus } from '../components/load-status';
import { RequireRole } from '../components/require-role';
import { StatusChip } from '../components/status-chip';
import { useDocumentTitle } from '../document-title';
import { toLanguage } from '../i18n';
import { formatTaipeiTime } from '../query';
import { useLoad } from '../use-load';

/**
 * `/verify`: the verifier portal. The cases routed to the verifier's entities, oldest first,
 * each with what was reported (texts, URLs as plain text, indicators) and a one-step decision.
 */
export function VerifierPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('verifier.title'));
  return (
    <>
      <h1 tabIndex={-1}>{t('verifier.title')}</h1>
      <RequireRole roles={['verifier']}>{() => <VerifierQueue />}</RequireRole>
    </>
  );
}

function VerifierQueue() {
  const { t, i18n } = useTranslation();
  const { state, update } = useLoad((signal) => getQueue({}, signal), []);
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
            <Link to={`/cases/${encodeURIComponent(kase.id)}`}>{t('verifier.viewCase')}</Link>
          </p>
        ))}
      </div>
      <section aria-labelledby="queue-h">
        <h2 id="queue-h">{t('verifier.queue')}</h2>
        <LoadStatus state={state} />
        {state.phase === 'done' && state.data.length === 0 && (
          <p data-testid="queue-empty">{t('verifier.empty')}</p>
        )}
        {state.phase === 'done' && state.data.length > 0 && (
          <>
            <p>{t('verifier.count', { count: state.data.length })}</p>
            <ol className="queue" data-testid="queue">
              {state.data.map((item) => (
                <li key={item.case.id} className="queue__item" data-case-id={item.case.id}>
                  <article aria-labelledby={`q-${item.case.id}`}>
                    <div className="case-card__top">
                      <StatusChip kase={item.case} />
                      <h3 id={`q-${item.case.id}`} className="case-card__title">
                        {t('case.heading', { id: item.case.id })}
                      </h3>
                    </div>
                    <dl className="facts">
                      <div>
                        <dt>{t('case.firstReported')}</dt>
                        <dd>
                          <time dateTime={item.case.firstReportedAt}>
                            {formatTaipeiTime(item.case.firstReportedAt, i18n.language)}
                          </time>
                        </dd>
                      </div>
                      <div>
                        <dt>{t('case.platform')}</dt>
                        <dd>{t(`platform.${item.case.platform}`)}</dd>
                      </div>
                      <div>
                        <dt>{t('triage.scamType')}</dt>
                        <dd>
                          {item.scamType === null
                            ? t('triage.none')
                            : t(`scamType.${item.scamType}`)}
                        </dd>
                      </div>
                      <div>
                        <dt>{t('triage.routed')}</dt>
                        <dd>{entityName(item.routedEntityId)}</dd>
                      </div>
                      <div>
                        <dt>{t('triage.risk')}</dt>
                        <dd>{item.riskScore ?? t('triage.none')}</dd>
                      </div>
                    </dl>
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
                    <DecisionForm
                      caseId={item.case.id}
                      onDecide={(input) => decide(item.case.id, input)}
                      onDone={(kase, decision) => {
                        setDecided((list) => [{ kase, decision }, ...list]);
                        update((items) => items.filter((i) => i.case.id !== kase.id));
                      }}
                    />
                  </article>
                </li>
              ))}
            </ol>
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
