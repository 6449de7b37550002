import { useTranslation } from 'react-i18next';
import { getEntities, type Entity } from '../api-admin';
import type { Me } from '../api-auth';
import { EntityCard } from '../components/entity-card';
import { EntityForm } from '../components/entity-form';
import { LoadStatus } from '../components/load-status';
import { RoutingRules } from '../components/routing-rules';
import { replaceById, useLoad, loadedData } from '../use-load';
import { StaffPage } from '../components/role-page';

/**
 * `/staff/entities`: the entity registry (public figures, companies, agencies with aliases,
 * domains and a contact address) and the routing rules that decide who confirms a case. Analysts
 * edit entities; only admins may change the rules (others see them read-only).
 */
export function EntitiesPage() {
  const { t } = useTranslation();
  return <StaffPage title={t('entities.title')}>{(me) => <Registry me={me} />}</StaffPage>;
}

/** The entities (add one; edit, disable or enable each), then the rules that route to them. */
function Registry({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { state, update } = useLoad((signal) => getEntities(signal), []);
  const entities = loadedData(state);

  const upsert = (entity: Entity) =>
    update((current) =>
      current.some((e) => e.id === entity.id) ? replaceById(current, entity) : [...current, entity],
    );

  return (
    <>
      <section aria-labelledby="entities-h">
        <h2 id="entities-h">{t('entities.registry')}</h2>
        <details className="panel">
          <summary>{t('entities.add')}</summary>
          <EntityForm onSaved={upsert} />
        </details>
        <LoadStatus state={state} />
        {entities !== null && entities.length === 0 && <p>{t('entities.none')}</p>}
        {entities !== null && entities.length > 0 && (
          <ul className="case-list" data-testid="entities">
            {entities.map((entity) => (
              <li key={entity.id}>
                <EntityCard entity={entity} onSaved={upsert} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <RoutingRules me={me} entities={entities ?? []} />
    </>
  );
}
