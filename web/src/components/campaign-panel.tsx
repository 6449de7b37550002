import { useId } from 'react';
import { useTranslation } from 'react-i18next';

import { INDICATOR_TYPES } from '../api';
import { getCampaign, type CampaignLink } from '../api-cases';
import { isOneOf } from '../reader';
import { useLoad } from '../use-load';
import { LoadStatus } from './load-status';
import { CaseLink } from './case-link';

/** The indicators that tie `caseId` to other cases of the graph, one per type and value. */
function sharedWith(links: readonly CampaignLink[], caseId: string): CampaignLink[] {
  const seen = new Map<string, CampaignLink>();
  for (const link of links) {
    if (link.from !== caseId && link.to !== caseId) continue;
    seen.set(`${link.type}:${link.value}`, link);
  }
  return [...seen.values()];
}

/**
 * Staff (analysts, admins): the campaign of a case (`GET /api/v1/cases/:id/campaign`) — the other
 * cases reachable over shared phones, LINE IDs, crypto addresses, bank accounts and domains,
 * nearest first, each with the indicators it shares; indicators too common to follow (hubs); a
 * note when the graph was cut short. `revision` refetches when it changes (merge, split).
 */
export function CampaignPanel({ caseId, revision }: { caseId: string; revision: number }) {
  const { t } = useTranslation();
  const id = useId();
  const { state } = useLoad((signal) => getCampaign(caseId, signal), [caseId, revision]);

  const indicatorName = (type: string) =>
    isOneOf(INDICATOR_TYPES, type) ? t(`indicator.${type}`) : type;

  const others = state.phase === 'done' ? state.data.cases.filter((c) => c.id !== caseId) : [];

  return (
    <section className="panel panel--staff" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('caseAdmin.campaignHeading')}</h2>
      <p className="field__hint">{t('caseAdmin.campaignIntro')}</p>
      <LoadStatus state={state} />
      {state.phase === 'done' && others.length === 0 && <p>{t('caseAdmin.campaignNone')}</p>}
      {others.length > 0 && (
        <ul className="plain-list campaign" data-testid="campaign">
          {others.map((linked) => {
            const shared = state.phase === 'done' ? sharedWith(state.data.links, linked.id) : [];
            return (
              <li key={linked.id} data-case-id={linked.id}>
                <p>
                  <CaseLink caseId={linked.id}>{linked.id}</CaseLink>
                  {' · '}
                  {t(`verdict.${linked.verdict}`)}
                  {' · '}
                  {t('case.reportCount', { count: linked.reportCount })}
                  {' · '}
                  {t('caseAdmin.depth', { count: linked.depth })}
                </p>
                {linked.summary !== null && linked.summary !== '' && (
                  <p className="campaign__summary">{linked.summary}</p>
                )}
                <dl className="indicators">
                  {shared.map((link) => (
                    <div key={`${link.type}:${link.value}`}>
                      <dt>{t('caseAdmin.sharedIndicator', { type: indicatorName(link.type) })}</dt>
                      <dd>
                        <code className="break">{link.value}</code>
                      </dd>
                    </div>
                  ))}
                </dl>
              </li>
            );
          })}
        </ul>
      )}
      {state.phase === 'done' && state.data.hubs.length > 0 && (
        <>
          <h3>{t('caseAdmin.hubsHeading')}</h3>
          <ul className="plain-list">
            {state.data.hubs.map((hub) => (
              <li key={`${hub.type}:${hub.value}`}>
                {indicatorName(hub.type)} <code className="break">{hub.value}</code>{' '}
                {t('caseAdmin.hubCases', { count: hub.cases })}
              </li>
            ))}
          </ul>
        </>
      )}
      {state.phase === 'done' && state.data.truncated && (
        <p className="field__hint">{t('caseAdmin.campaignTruncated')}</p>
      )}
    </section>
  );
}
