import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { PLATFORMS, VERDICTS } from '../api';
import { getEntities, type Entity } from '../api-admin';
import { listStaffCases, type CaseListFilter } from '../api-cases';
import { SCAM_TYPES, STAGES } from '../api-workflow';
import { Field, SelectField } from '../components/field';
import { AgeSelect, CaseSearchForm, useFilterParams } from '../components/list-filters';
import { LoadStatus } from '../components/load-status';
import { Pager, useServerPage, useServerPaged } from '../components/pager';
import { StatusChip } from '../components/status-chip';
import { toLanguage } from '../i18n';
import { isOneOf } from '../reader';
import { useLoad, loadedData, loadFailure } from '../use-load';
import { DataTable } from '../components/data-table';
import { StaffPage } from '../components/role-page';
import { TaipeiTime } from '../components/taipei-time';
import { CaseLink, casePath } from '../components/case-link';

/** Verdict filter values in the address: absent = undecided (the queue), `any` = every case. */
const VERDICT_FILTERS = [...VERDICTS, 'any'] as const;
type VerdictFilter = (typeof VERDICT_FILTERS)[number];
const PAGE_SIZES = ['10', '25', '50', '100'] as const;
const DEFAULT_PAGE_SIZE = '50';

/** A filter's value in the address, or '' when absent or not one of `values`. */
function paramOf<T extends string>(params: URLSearchParams, key: string, values: readonly T[]) {
  const value = params.get(key);
  return isOneOf(values, value) ? value : '';
}

/**
 * `/staff`: the staff console's triage queue over the staff case list (`GET /api/v1/cases`),
 * newest report first, with the true total, filtered on the server by routed entity, stage, scam
 * type, platform, verdict (undecided unless chosen otherwise), minimum risk, age, text and
 * indicator, in numbered pages. Filters and the page live in the address (`entity`, `stage`,
 * `type`, `platform`, `verdict`, `risk`, `age`, `q`, `indicator`, `size`, `page`) so a view can
 * be shared. Plus "open a case by its ID".
 */
export function StaffQueuePage() {
  const { t } = useTranslation();
  return <StaffPage title={t('staff.queueTitle')}>{() => <StaffQueue />}</StaffPage>;
}

function StaffQueue() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const navigate = useNavigate();
  const filters = useFilterParams();
  const { params } = filters;
  const [entities, setEntities] = useState<Entity[]>([]);
  const [caseId, setCaseId] = useState('');
  const [caseIdError, setCaseIdError] = useState<string | null>(null);
  const entityId = params.get('entity') ?? '';
  const stage = paramOf(params, 'stage', STAGES);
  const scamType = paramOf(params, 'type', SCAM_TYPES);
  const platform = paramOf(params, 'platform', PLATFORMS);
  const verdict: VerdictFilter = paramOf(params, 'verdict', VERDICT_FILTERS) || 'undecided';
  const size = paramOf(params, 'size', PAGE_SIZES) || DEFAULT_PAGE_SIZE;
  const minRisk = params.get('risk') ?? '';
  const riskValid = minRisk === '' || /^(100|[1-9]?[0-9])$/.test(minRisk);
  const age = filters.age();
  const q = filters.get('q');
  const indicator = filters.get('indicator');
  const at = useServerPage(Number(size));

  useEffect(() => {
    const controller = new AbortController();
    getEntities(controller.signal).then(setEntities, () => setEntities([]));
    return () => controller.abort();
  }, []);

  // An invalid risk filter loads nothing (its field says why); the last result stays.
  const { state } = useLoad(
    (signal) => {
      const filter: CaseListFilter = { limit: at.limit, offset: at.offset, age, q, indicator };
      if (entityId !== '') filter.routedEntityId = entityId;
      if (stage !== '') filter.stage = stage;
      if (scamType !== '') filter.scamType = scamType;
      if (platform !== '') filter.platform = platform;
      if (verdict !== 'any') filter.verdict = verdict;
      if (minRisk !== '') filter.minRisk = Number(minRisk);
      return listStaffCases(filter, signal);
    },
    [entityId, stage, scamType, platform, verdict, minRisk, age, q, indicator, size, at.offset],
    { skip: !riskValid, keepWhileReloading: true },
  );
  const result = loadedData(state);
  const paged = useServerPaged(result, at);

  /** Sets one filter in the address; a filter change starts again at page one. */
  function setParam(key: string, value: string) {
    filters.set({ [key]: value });
  }

  function onOpenCase(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = caseId.trim().toUpperCase();
    if (!/^C[0-9A-Z]{4,}$/.test(value)) {
      setCaseIdError(t('staff.caseIdInvalid'));
      return;
    }
    setCaseIdError(null);
    void navigate(casePath(value));
  }

  const entityName = (entityIdValue: string | null) => {
    const entity = entities.find((e) => e.id === entityIdValue);
    if (entity === undefined) return entityIdValue ?? t('triage.none');
    return toLanguage(i18n.language) === 'en' && entity.nameEn !== null
      ? entity.nameEn
      : entity.nameZh;
  };

  const items = result?.items ?? [];

  return (
    <>
      <form className="panel form form--inline" onSubmit={onOpenCase} noValidate>
        <Field label={t('staff.openCase')} error={caseIdError}>
          {(control) => (
            <div className="field__row">
              <input
                {...control}
                type="text"
                autoCapitalize="characters"
                spellCheck={false}
                placeholder="C7K2M9QX4TR"
                value={caseId}
                onChange={(event) => setCaseId(event.target.value)}
              />
              <button type="submit" className="button">
                {t('staff.open')}
              </button>
            </div>
          )}
        </Field>
      </form>

      <section aria-labelledby={`${id}-queue`}>
        <h2 id={`${id}-queue`}>{t('staff.queueHeading')}</h2>
        <p className="field__hint">{t('staff.queueNote')}</p>
        <CaseSearchForm
          legend={t('staff.search')}
          filters={filters}
          loadError={loadFailure(state)}
        />
        <fieldset className="filters">
          <legend>{t('staff.filters')}</legend>
          <SelectField
            label={t('triage.routed')}
            value={entityId}
            values={entities.map((entity) => entity.id)}
            text={entityName}
            empty={t('staff.all')}
            onChange={(value) => setParam('entity', value)}
          />
          <SelectField
            label={t('staff.verdictFilter')}
            value={verdict === 'undecided' ? '' : verdict}
            values={VERDICT_FILTERS.filter((value) => value !== 'undecided')}
            text={(value) => (value === 'any' ? t('staff.all') : t(`verdict.${value}`))}
            empty={t('verdict.undecided')}
            onChange={(value) => setParam('verdict', value)}
          />
          <SelectField
            label={t('triage.stage')}
            value={stage}
            values={STAGES}
            text={(value) => t(`stage.${value}`)}
            empty={t('staff.all')}
            onChange={(value) => setParam('stage', value)}
          />
          <SelectField
            label={t('triage.scamType')}
            value={scamType}
            values={SCAM_TYPES}
            text={(value) => t(`scamType.${value}`)}
            empty={t('staff.all')}
            onChange={(value) => setParam('type', value)}
          />
          <SelectField
            label={t('case.platform')}
            value={platform}
            values={PLATFORMS}
            text={(value) => t(`platform.${value}`)}
            empty={t('staff.all')}
            onChange={(value) => setParam('platform', value)}
          />
          <Field label={t('staff.minRisk')} error={riskValid ? null : t('triage.riskRange')}>
            {(control) => (
              <input
                {...control}
                type="number"
                min={0}
                max={100}
                inputMode="numeric"
                value={minRisk}
                onChange={(event) => setParam('risk', event.target.value)}
              />
            )}
          </Field>
          <AgeSelect
            label={t('lists.caseAge')}
            value={age}
            onChange={(value) => setParam('age', value)}
          />
          <SelectField
            label={t('staff.pageSize')}
            value={size}
            values={PAGE_SIZES}
            text={(value) => value}
            onChange={(value) => setParam('size', value === DEFAULT_PAGE_SIZE ? '' : value)}
          />
        </fieldset>

        {(riskValid || state.phase === 'failed') && <LoadStatus state={state} />}
        {result !== null && (
          <p role="status" data-testid="queue-count">
            {t('lists.matching', { count: result.total })}
          </p>
        )}
        {items.length > 0 && (
          <DataTable
            labelledBy={`${id}-queue`}
            testId="staff-queue"
            head={[
              t('case.id'),
              t('case.status'),
              t('triage.stage'),
              t('triage.scamType'),
              t('case.platform'),
              t('triage.routed'),
              t('triage.risk'),
              t('case.reports'),
              t('case.lastReported'),
            ]}
          >
            {items.map((item) => (
              <tr key={item.case.id} data-case-id={item.case.id}>
                <th scope="row">
                  <CaseLink caseId={item.case.id}>{item.case.id}</CaseLink>
                </th>
                <td>
                  <StatusChip kase={item.case} />
                </td>
                <td>{t(`stage.${item.stage}`)}</td>
                <td>
                  {item.scamType !== null ? t(`scamType.${item.scamType}`) : t('triage.none')}
                </td>
                <td>{t(`platform.${item.case.platform}`)}</td>
                <td>{entityName(item.routedEntityId)}</td>
                <td>{item.riskScore ?? t('triage.none')}</td>
                <td>{item.case.reportCount}</td>
                <td>
                  <TaipeiTime iso={item.case.lastReportedAt} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        {paged !== null && <Pager paged={paged} label={t('staff.queueHeading')} />}
      </section>
    </>
  );
}
