import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PLATFORMS } from '../api';
import {
  createEntity,
  ENTITY_KINDS,
  getEntities,
  getRoutingRules,
  IMPERSONATED_KINDS,
  saveRoutingRules,
  updateEntity,
  type Entity,
  type EntityInput,
  type EntityKind,
  type RoutingRule,
} from '../api-admin';
import type { Me } from '../api-auth';
import { SCAM_TYPES } from '../api-workflow';
import { LoadStatus } from '../components/load-status';
import { RequireRole } from '../components/require-role';
import { StaffNav } from '../components/staff-nav';
import { useDocumentTitle } from '../document-title';
import { errorText } from '../errors';
import { ApiError } from '../http';
import { isOneOf } from '../reader';
import { STAFF_ROLES } from '../session';
import { useLoad } from '../use-load';

/** "a, b\nc" → ["a", "b", "c"]. */
function splitList(value: string): string[] {
  return value
    .split(/[\n,，、]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * `/staff/entities`: the entity registry (public figures, companies, agencies with aliases,
 * domains and a contact address) and the routing rules that decide who confirms a case. Analysts
 * edit entities; only admins may change the rules (others see them read-only).
 */
export function EntitiesPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('entities.title'));
  return (
    <>
      <h1 tabIndex={-1}>{t('entities.title')}</h1>
      <RequireRole roles={STAFF_ROLES}>
        {(me) => (
          <>
            <StaffNav me={me} />
            <Registry me={me} />
          </>
        )}
      </RequireRole>
    </>
  );
}

function Registry({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { state, update } = useLoad((signal) => getEntities(signal), []);
  const entities = state.phase === 'done' ? state.data : null;

  const upsert = (entity: Entity) =>
    update((current) =>
      current.some((e) => e.id === entity.id)
        ? current.map((e) => (e.id === entity.id ? entity : e))
        : [...current, entity],
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

function EntityCard({ entity, onSaved }: { entity: Entity; onSaved: (entity: Entity) => void }) {
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
        <div>
          <dt>{t('entities.aliases')}</dt>
          <dd>{entity.aliases.length === 0 ? '—' : entity.aliases.join(', ')}</dd>
        </div>
        <div>
          <dt>{t('entities.domains')}</dt>
          <dd>{entity.domains.length === 0 ? '—' : entity.domains.join(', ')}</dd>
        </div>
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
      {error !== null && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
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

function EntityForm({ entity, onSaved }: { entity?: Entity; onSaved: (entity: Entity) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [entityId, setEntityId] = useState(entity?.id ?? '');
  const [kind, setKind] = useState<EntityKind>(entity?.kind ?? 'public_figure');
  const [nameZh, setNameZh] = useState(entity?.nameZh ?? '');
  const [nameEn, setNameEn] = useState(entity?.nameEn ?? '');
  const [aliases, setAliases] = useState(entity?.aliases.join('\n') ?? '');
  const [domains, setDomains] = useState(entity?.domains.join('\n') ?? '');
  const [contact, setContact] = useState(entity?.contactEmail ?? '');
  const [error, setError] = useState<{ field: string; message: string } | null>(null);
  const [status, setStatus] = useState('');

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setStatus('');
    if (entity === undefined && !/^[a-z0-9][a-z0-9-]+$/.test(entityId)) {
      setError({ field: 'id', message: t('entities.idInvalid') });
      return;
    }
    if (nameZh.trim() === '') {
      setError({ field: 'nameZh', message: t('entities.nameRequired') });
      return;
    }
    const input: EntityInput = {
      kind,
      nameZh: nameZh.trim(),
      aliases: splitList(aliases),
      domains: splitList(domains),
      ...(nameEn.trim() !== '' && { nameEn: nameEn.trim() }),
      ...(contact.trim() !== '' && { contactEmail: contact.trim() }),
    };
    try {
      const saved =
        entity === undefined
          ? await createEntity({ ...input, id: entityId })
          : await updateEntity(entity.id, input);
      setError(null);
      setStatus(t('entities.saved', { name: saved.nameZh }));
      if (entity === undefined) {
        setEntityId('');
        setNameZh('');
        setNameEn('');
        setAliases('');
        setDomains('');
        setContact('');
      }
      onSaved(saved);
    } catch (caught) {
      setError({
        field: caught instanceof ApiError && caught.field !== undefined ? caught.field : 'form',
        message: errorText(t, caught),
      });
    }
  }

  const fieldError = (field: string) =>
    error?.field === field ? (
      <p className="field__error" id={`${id}-${field}-err`}>
        {error.message}
      </p>
    ) : null;
  const invalid = (field: string) => ({
    'aria-invalid': error?.field === field,
    'aria-describedby': error?.field === field ? `${id}-${field}-err` : undefined,
  });

  return (
    <form className="form form--grid" onSubmit={onSubmit} noValidate>
      {entity === undefined && (
        <div className="field">
          <label htmlFor={`${id}-id`}>{t('entities.id')}</label>
          <input
            id={`${id}-id`}
            type="text"
            spellCheck={false}
            autoCapitalize="off"
            value={entityId}
            {...invalid('id')}
            onChange={(event) => setEntityId(event.target.value)}
          />
          <p className="field__hint">{t('entities.idHint')}</p>
          {fieldError('id')}
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t('entities.kind')}</label>
        <select
          id={`${id}-kind`}
          value={kind}
          onChange={(event) => {
            const value = event.target.value;
            if (isOneOf(ENTITY_KINDS, value)) setKind(value);
          }}
        >
          {ENTITY_KINDS.map((value) => (
            <option key={value} value={value}>
              {t(`entityKind.${value}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-zh`}>{t('entities.nameZh')}</label>
        <input
          id={`${id}-zh`}
          type="text"
          value={nameZh}
          {...invalid('nameZh')}
          onChange={(event) => setNameZh(event.target.value)}
        />
        {fieldError('nameZh')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-en`}>
          {t('entities.nameEn')} <span className="field__optional">{t('common.optional')}</span>
        </label>
        <input
          id={`${id}-en`}
          type="text"
          lang="en"
          value={nameEn}
          onChange={(event) => setNameEn(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-aliases`}>{t('entities.aliases')}</label>
        <textarea
          id={`${id}-aliases`}
          rows={3}
          value={aliases}
          aria-describedby={`${id}-listhint`}
          onChange={(event) => setAliases(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-domains`}>{t('entities.domains')}</label>
        <textarea
          id={`${id}-domains`}
          rows={3}
          value={domains}
          aria-describedby={`${id}-listhint`}
          onChange={(event) => setDomains(event.target.value)}
        />
      </div>
      <p className="field__hint field--full" id={`${id}-listhint`}>
        {t('entities.listHint')}
      </p>
      <div className="field">
        <label htmlFor={`${id}-contact`}>
          {t('entities.contact')} <span className="field__optional">{t('common.optional')}</span>
        </label>
        <input
          id={`${id}-contact`}
          type="email"
          value={contact}
          {...invalid('contactEmail')}
          onChange={(event) => setContact(event.target.value)}
        />
        {fieldError('contactEmail')}
      </div>
      {error !== null && !['id', 'nameZh', 'contactEmail'].includes(error.field) && (
        <p className="alert alert--error field--full" role="alert">
          {error.message}
        </p>
      )}
      <button type="submit" className="button">
        {t('entities.save')}
      </button>
      <p role="status" className="panel__status field--full">
        {status}
      </p>
    </form>
  );
}

type RuleDraft = RoutingRule & { key: number };

function RoutingRules({ me, entities }: { me: Me; entities: Entity[] }) {
  const { t } = useTranslation();
  const id = useId();
  const [rules, setRules] = useState<RuleDraft[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [nextKey, setNextKey] = useState(1);
  const editable = me.role === 'admin';

  useEffect(() => {
    const controller = new AbortController();
    getRoutingRules(controller.signal).then(
      (loaded) => {
        setRules(loaded.map((rule) => ({ ...rule, key: rule.id })));
        setNextKey(Math.max(0, ...loaded.map((rule) => rule.id)) + 1);
      },
      (caught: unknown) => {
        if (!controller.signal.aborted) setError(errorText(t, caught));
      },
    );
    return () => controller.abort();
    // `t` is left out on purpose: a language switch must not refetch.
  }, []);

  const update = (key: number, patch: Partial<RoutingRule>) =>
    setRules((list) => (list ?? []).map((r) => (r.key === key ? { ...r, ...patch } : r)));

  async function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (rules === null) return;
    setStatus('');
    try {
      const saved = await saveRoutingRules(
        rules.map((rule) => ({
          priority: rule.priority,
          scamType: rule.scamType,
          impersonatedKind: rule.impersonatedKind,
          platform: rule.platform,
          target: rule.target,
          enabled: rule.enabled,
          note: rule.note,
        })),
      );
      setRules(saved.map((rule) => ({ ...rule, key: rule.id })));
      setError(null);
      setStatus(t('routing.saved', { count: saved.length }));
    } catch (caught) {
      setError(errorText(t, caught));
    }
  }

  const targets = ['impersonated', ...entities.map((e) => e.id)];

  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('routing.heading')}</h2>
      <p className="field__hint">{t('routing.intro')}</p>
      {!editable && <p className="alert alert--info">{t('routing.readOnly')}</p>}
      {rules === null && error === null && <p role="status">{t('common.loading')}</p>}
      {rules !== null && (
        <form onSubmit={onSave} noValidate>
          <div className="table-wrap" role="region" aria-labelledby={`${id}-h`} tabIndex={0}>
            <table className="table table--form" data-testid="routing-rules">
              <thead>
                <tr>
                  <th scope="col">{t('routing.priority')}</th>
                  <th scope="col">{t('triage.scamType')}</th>
                  <th scope="col">{t('routing.impersonated')}</th>
                  <th scope="col">{t('case.platform')}</th>
                  <th scope="col">{t('routing.target')}</th>
                  <th scope="col">{t('routing.enabled')}</th>
                  <th scope="col">{t('routing.note')}</th>
                  {editable && <th scope="col">{t('routing.remove')}</th>}
                </tr>
              </thead>
              <tbody>
                {rules.map((rule, index) => {
                  const label = (what: string) => t('routing.cellLabel', { n: index + 1, what });
                  return (
                    <tr key={rule.key}>
                      <td>
                        <input
                          type="number"
                          aria-label={label(t('routing.priority'))}
                          disabled={!editable}
                          value={rule.priority}
                          onChange={(event) =>
                            update(rule.key, { priority: Number(event.target.value) })
                          }
                        />
                      </td>
                      <td>
                        <select
                          aria-label={label(t('triage.scamType'))}
                          disabled={!editable}
                          value={rule.scamType ?? ''}
                          onChange={(event) => {
                            const value = event.target.value;
                            update(rule.key, {
                              scamType: isOneOf(SCAM_TYPES, value) ? value : null,
                            });
                          }}
                        >
                          <option value="">{t('routing.any')}</option>
                          {SCAM_TYPES.map((value) => (
                            <option key={value} value={value}>
                              {t(`scamType.${value}`)}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <select
                          aria-label={label(t('routing.impersonated'))}
                          disabled={!editable}
                          value={rule.impersonatedKind ?? ''}
                          onChange={(event) => {
                            const value = event.target.value;
                            update(rule.key, {
                              impersonatedKind: isOneOf(IMPERSONATED_KINDS, value) ? value : null,
                            });
                          }}
                        >
                          <option value="">{t('routing.any')}</option>
                          {IMPERSONATED_KINDS.map((value) => (
                            <option key={value} value={value}>
                              {t(`impersonatedKind.${value}`)}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <select
                          aria-label={label(t('case.platform'))}
                          disabled={!editable}
                          value={rule.platform ?? ''}
                          onChange={(event) =>
                            update(rule.key, {
                              platform: event.target.value === '' ? null : event.target.value,
                            })
                          }
                        >
                          <option value="">{t('routing.any')}</option>
                          {PLATFORMS.map((value) => (
                            <option key={value} value={value}>
                              {t(`platform.${value}`)}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <select
                          aria-label={label(t('routing.target'))}
                          disabled={!editable}
                          value={rule.target}
                          onChange={(event) => update(rule.key, { target: event.target.value })}
                        >
                          {(targets.includes(rule.target)
                            ? targets
                            : [rule.target, ...targets]
                          ).map((value) => (
                            <option key={value} value={value}>
                              {value === 'impersonated' ? t('routing.targetImpersonated') : value}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={label(t('routing.enabled'))}
                          disabled={!editable}
                          checked={rule.enabled}
                          onChange={(event) => update(rule.key, { enabled: event.target.checked })}
                        />
                      </td>
                      <td>
                        <input
                          type="text"
                          aria-label={label(t('routing.note'))}
                          disabled={!editable}
                          value={rule.note ?? ''}
                          onChange={(event) =>
                            update(rule.key, {
                              note: event.target.value === '' ? null : event.target.value,
                            })
                          }
                        />
                      </td>
                      {editable && (
                        <td>
                          <button
                            type="button"
                            className="button button--secondary"
                            aria-label={label(t('routing.remove'))}
                            onClick={() =>
                              setRules((list) => (list ?? []).filter((r) => r.key !== rule.key))
                            }
                          >
                            {t('routing.remove')}
                          </button>
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {editable && (
            <div className="notice-actions">
              <button
                type="button"
                className="button button--secondary"
                onClick={() => {
                  setRules((list) => [
                    ...(list ?? []),
                    {
                      key: nextKey,
                      priority: Math.max(0, ...(list ?? []).map((r) => r.priority)) + 10,
                      scamType: null,
                      impersonatedKind: null,
                      platform: null,
                      target: 'impersonated',
                      enabled: true,
                      note: null,
                    },
                  ]);
                  setNextKey(nextKey + 1);
                }}
              >
                {t('routing.add')}
              </button>
              <button type="submit" className="button">
                {t('routing.save')}
              </button>
            </div>
          )}
        </form>
      )}
      {error !== null && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      <p role="status" className="panel__status">
        {status}
      </p>
    </section>
  );
}
