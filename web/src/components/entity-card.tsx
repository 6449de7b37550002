import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { updateEntity, type Entity } from '../api-admin';
import { errorText } from '../errors';
import { EntityForm } from './entity-form';
import { ErrorAlert } from './error-alert';
import { Fact } from './fact';

/**
 * One entity of the registry: kind, names and ID, aliases, official domains and contact, with
 * "edit" (the EntityForm in place) and "disable"/"enable". `onSaved` gets what the server stored.
 */
export function EntityCard({
  entity,
  onSaved,
}: {
  entity: Entity;
  onSaved: (entity: Entity) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function toggle() {
    try {
      onSaved(await updateEntity(entity.id, { disabled: !entity.disabled }));
      setError(null);
    } catch (caught) {
      setError(errorText(t, caught));
    }
  }

  return (
    <article className="case-card" aria-labelledby={`${id}-h`} data-entity-id={entity.id}>
      <div className="case-card__top">
        <span className="chip chip--grey">{t(`entityKind.${entity.kind}`)}</span>
        <h3 id={`${id}-h`} className="case-card__title">
          {entity.nameZh}
          {entity.nameEn !== null && ` · ${entity.nameEn}`} <code>({entity.id})</code>
        </h3>
        {entity.disabled && <strong className="text-danger">{t('entities.disabled')}</strong>}
      </div>
      <dl className="facts">
        <Fact term={t('entities.aliases')}>
          {entity.aliases.length === 0 ? '—' : entity.aliases.join(', ')}
        </Fact>
        <Fact term={t('entities.domains')}>
          {entity.domains.length === 0 ? '—' : entity.domains.join(', ')}
        </Fact>
        <div>
          <dt>{t('entities.contact')}</dt>
          <dd className="break">{entity.contactEmail ?? '—'}</dd>
        </div>
      </dl>
      <div className="notice-actions">
        <button
          type="button"
          className="button button--secondary"
          aria-expanded={editing}
          onClick={() => setEditing(!editing)}
        >
          {t('entities.edit')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => void toggle()}>
          {entity.disabled ? t('entities.enable') : t('entities.disable')}
        </button>
      </div>
      <ErrorAlert message={error} />
      {editing && (
        <EntityForm
          entity={entity}
          onSaved={(saved) => {
            setEditing(false);
            onSaved(saved);
          }}
        />
      )}
    </article>
  );
}
