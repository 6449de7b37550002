import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { PLATFORMS } from '../api';
import { getEntities, type Entity } from '../api-admin';
import { getQueue, SCAM_TYPES, type QueueItem } from '../api-workflow';
import { RequireRole } from '../components/require-role';
import { StaffNav } from '../components/staff-nav';
import { StatusChip } from '../components/status-chip';
import { useDocumentTitle } from '../document-title';
import { errorText } from '../errors';
import { toLanguage } from '../i18n';
import { formatTaipeiTime } from '../query';
import { isOneOf } from '../reader';
import { STAFF_ROLES } from '../session';

type QueueState =
  | { phase: 'loading' }
  | { phase: 'done'; items: QueueItem[] }
  | { phase: 'failed'; message: string };

const STAGE_FILTERS = ['verification', 'need_info'] as const;

/**
 * `/staff`: the staff console's triage queue — every routed case awaiting a decision, oldest
 * first, filtered by entity (on the server) and by stage, scam type, platform and risk (here);
 * filters live in the address so a view can be shared. Plus "open a case by its ID".
 */
export function StaffQueuePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('staff.queueTitle'));
  return (
    <>
      <h1 tabIndex={-1}>{t('staff.queueTitle')}</h1>
      <RequireRole roles={STAFF_ROLES}>
        {(me) => (
          <>
            <StaffNav me={me} />
            <StaffQueue />
          </>
        )}
      </RequireRole>
    </>
  );
}

function StaffQueue() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [state, setState] = useState<QueueState>({ phase: 'loading' });
  const [entities, setEntities] = useState<Entity[]>([]);
  const [caseId, setCaseId] = useState('');
  const [caseIdError, setCaseIdError] = useState<string | null>(null);
  const entityId = params.get('entity') ?? '';
  const stage = params.get('stage') ?? '';
  const scamType = params.get('type') ?? '';
  const platform = params.get('platform') ?? '';
  const minRisk = params.get('risk') ?? '';

  useEffect(() => {
    const controller = new AbortController();
    getEntities(controller.signal).then(setEntities, () => setEntities([]));
    return () => controller.abort();
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    setState({ phase: 'loading' });
    getQueue(entityId === '' ? {} : { entityId }, controller.signal).then(
      (items) => setState({ phase: 'done', items }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ phase: 'failed', message: errorText(t, error) });
      },
    );
    return () => controller.abort();
    // `t` is left out on purpose: a language switch must not refetch.
  }, [entityId]);

  function setFilter(key: string, value: string) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === '') next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  }

  function onOpenCase(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = caseId.trim().toUpperCase();
    if (!/^C[0-9A-Z]{4,}$/.test(value)) {
      setCaseIdError(t('staff.caseIdInvalid'));
      return;
    }
    setCaseIdError(null);
    void navigate(`/cases/${encodeURIComponent(value)}`);
  }

  const entityName = (entityIdValue: string | null) => {
    const entity = entities.find((e) => e.id === entityIdValue);
    if (entity === undefined) return entityIdValue ?? t('triage.none');
    return toLanguage(i18n.language) === 'en' && entity.nameEn !== null
      ? entity.nameEn
      : entity.nameZh;
  };

  const risk = Number(minRisk);
  const items =
    state.phase === 'done'
      ? state.items.filter(
          (item) =>
            (stage === '' || item.stage === stage) &&
            (scamType === '' || item.scamType === scamType) &&
            (platform === '' || item.case.platform === platform) &&
            (minRisk === '' || (item.riskScore ?? 0) >= risk),
        )
      : [];

  return (
    <>
      <form className="panel form form--inline" onSubmit={onOpenCase} noValidate>
        <div className="field">
          <label htmlFor={`${id}-case`}>{t('staff.openCase')}</label>
          <div className="field__row">
            <input
              id={`${id}-case`}
              type="text"
              autoCapitalize="characters"
              spellCheck={false}
              placeholder="C7K2M9QX4TR"
              value={caseId}
              aria-invalid={caseIdError !== null}
              aria-describedby={caseIdError !== null ? `${id}-caseerr` : undefined}
              onChange={(event) => setCaseId(event.target.value)}
            />
            <button type="submit" className="button">
              {t('staff.open')}
            </button>
          </div>
          {caseIdError !== null && (
            <p className="field__error" id={`${id}-caseerr`}>
              {caseIdError}
            </p>
          )}
        </div>
      </form>

      <section aria-labelledby={`${id}-queue`}>
        <h2 id={`${id}-queue`}>{t('staff.queueHeading')}</h2>
        <p className="field__hint">{t('staff.queueNote')}</p>
        <fieldset className="filters">
          <legend>{t('staff.filters')}</legend>
          <div className="field">
            <label htmlFor={`${id}-entity`}>{t('triage.routed')}</label>
            <select
              id={`${id}-entity`}
              value={entityId}
              onChange={(event) => setFilter('entity', event.target.value)}
            >
              <option value="">{t('staff.all')}</option>
              {entities.map((entity) => (
                <option key={entity.id} value={entity.id}>
                  {entityName(entity.id)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-stage`}>{t('triage.stage')}</label>
            <select
              id={`${id}-stage`}
              value={stage}
              onChange={(event) => setFilter('stage', event.target.value)}
            >
              <option value="">{t('staff.all')}</option>
              {STAGE_FILTERS.map((value) => (
                <option key={value} value={value}>
                  {t(`stage.${value}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-type`}>{t('triage.scamType')}</label>
            <select
              id={`${id}-type`}
              value={scamType}
              onChange={(event) => setFilter('type', event.target.value)}
            >
              <option value="">{t('staff.all')}</option>
              {SCAM_TYPES.map((value) => (
                <option key={value} value={value}>
                  {t(`scamType.${value}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-platform`}>{t('case.platform')}</label>
            <select
              id={`${id}-platform`}
              value={platform}
              onChange={(event) => setFilter('platform', event.target.value)}
            >
              <option value="">{t('staff.all')}</option>
              {PLATFORMS.map((value) => (
                <option key={value} value={value}>
                  {t(`platform.${value}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-risk`}>{t('staff.minRisk')}</label>
            <input
              id={`${id}-risk`}
              type="number"
              min={0}
              max={100}
              inputMode="numeric"
              value={minRisk}
              onChange={(event) => setFilter('risk', event.target.value)}
            />
          </div>
        </fieldset>

        {state.phase === 'loading' && <p role="status">{t('common.loading')}</p>}
        {state.phase === 'failed' && (
          <p className="alert alert--error" role="alert">
            {state.message}
          </p>
        )}
        {state.phase === 'done' && (
          <p role="status" data-testid="queue-count">
            {t('staff.shown', { count: items.length, total: state.items.length })}
          </p>
        )}
        {items.length > 0 && (
          <div className="table-wrap" role="region" aria-labelledby={`${id}-queue`} tabIndex={0}>
            <table className="table" data-testid="staff-queue">
              <thead>
                <tr>
                  <th scope="col">{t('case.id')}</th>
                  <th scope="col">{t('case.status')}</th>
                  <th scope="col">{t('triage.stage')}</th>
                  <th scope="col">{t('triage.scamType')}</th>
                  <th scope="col">{t('case.platform')}</th>
                  <th scope="col">{t('triage.routed')}</th>
                  <th scope="col">{t('triage.risk')}</th>
                  <th scope="col">{t('case.firstReported')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.case.id} data-case-id={item.case.id}>
                    <th scope="row">
                      <Link to={`/cases/${encodeURIComponent(item.case.id)}`}>{item.case.id}</Link>
                    </th>
                    <td>
                      <StatusChip kase={item.case} />
                    </td>
                    <td>{t(`stage.${item.stage}`)}</td>
                    <td>
                      {isOneOf(SCAM_TYPES, item.scamType)
                        ? t(`scamType.${item.scamType}`)
                        : t('triage.none')}
                    </td>
                    <td>{t(`platform.${item.case.platform}`)}</td>
                    <td>{entityName(item.routedEntityId)}</td>
                    <td>{item.riskScore ?? t('triage.none')}</td>
                    <td>
                      <time dateTime={item.case.firstReportedAt}>
                        {formatTaipeiTime(item.case.firstReportedAt, i18n.language)}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
