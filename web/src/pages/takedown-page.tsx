import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { PLATFORMS } from '../api';
import { NOTICE_PLATFORMS } from '../api-portal';
import {
  getCompliance,
  getNotices,
  NOTICE_STATES,
  OPEN_NOTICE_STATES,
  type PlatformCompliance,
} from '../api-workflow';
import { Deadline, useNow } from '../components/deadline';
import { DeliveryChannels } from '../components/delivery-channels';
import { InputField, SelectField } from '../components/field';
import { NoticeTargets } from '../components/notice-targets';
import { AgeSelect, useFilterParams } from '../components/list-filters';
import { LoadStatus } from '../components/load-status';
import { Pager, useServerPage, useServerPaged } from '../components/pager';
import { SanctionLedger } from '../components/sanction-ledger';
import { errorText } from '../errors';
import { isOneOf } from '../reader';
import { useLoad, loadedData } from '../use-load';
import { ErrorAlert } from '../components/error-alert';
import { DataTable } from '../components/data-table';
import { StaffPage } from '../components/role-page';
import { TaipeiTime } from '../components/taipei-time';
import { CaseLink } from '../components/case-link';

/** Notices per page of the board. */
const PAGE_SIZE = 25;
/** The board's state filter beside single states: every open state (default), or every state. */
const ANY_STATE = 'any';
const STATE_FILTERS = [...NOTICE_STATES, ANY_STATE] as const;

/** YYYY-MM-DD of an instant in Taipei (the dates staff think in). */
function taipeiDate(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Taipei' }).format(new Date(ms));
}

/**
 * `/staff/takedown`: the takedown board — notices, nearest deadline first, with the true total,
 * 25 to a page, open ones unless another state is chosen, filtered by platform and age (all in
 * the address: `state`, `platform`, `age`, `page`), each with a live countdown to its deadline
 * (overdue ones in red, marked with a sign and the word); and per-platform compliance for a
 * period (notices sent, removed within the deadline, median and p90 hours to removal), the
 * sanction ledger (one entry per missed deadline) and, for admins, each platform's notice
 * delivery channel.
 */
export function TakedownPage() {
  const { t } = useTranslation();
  return (
    <StaffPage title={t('takedown.title')}>
      {(me) => (
        <>
          <OpenNotices />
          <Compliance />
          <SanctionLedger platformFilter />
          {me.role === 'admin' && <DeliveryChannels />}
        </>
      )}
    </StaffPage>
  );
}

function OpenNotices() {
  const { t } = useTranslation();
  const id = useId();
  const now = useNow();
  const filters = useFilterParams();
  const stateParam = filters.get('state');
  const state = isOneOf(STATE_FILTERS, stateParam) ? stateParam : '';
  const platformParam = filters.get('platform');
  const platform = isOneOf(NOTICE_PLATFORMS, platformParam) ? platformParam : undefined;
  const age = filters.age();
  const at = useServerPage(PAGE_SIZE);
  const loaded = useLoad(
    (signal) =>
      getNotices(
        {
          states: state === '' ? OPEN_NOTICE_STATES : state === ANY_STATE ? [] : [state],
          ...(platform !== undefined && { platform }),
          age,
          sort: 'deadline',
          limit: at.limit,
          offset: at.offset,
        },
        signal,
      ),
    [state, platform, age, at.offset],
    { keepWhileReloading: true },
  );
  const result = loadedData(loaded.state);
  const paged = useServerPaged(result, at);
  const notices = result?.items ?? null;

  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('takedown.open')}</h2>
      <div className="filters">
        <SelectField
          label={t('takedown.state')}
          value={state}
          values={STATE_FILTERS}
          text={(value) =>
            value === ANY_STATE ? t('takedown.anyState') : t(`noticeState.${value}`)
          }
          empty={t('takedown.openStates')}
          onChange={(value) => filters.set({ state: value })}
        />
        <SelectField
          label={t('case.platform')}
          value={platform ?? ''}
          values={NOTICE_PLATFORMS}
          text={(value) => t(`platform.${value}`)}
          empty={t('staff.all')}
          onChange={(value) => filters.set({ platform: value })}
        />
        <AgeSelect
          label={t('lists.noticeAge')}
          value={age}
          onChange={(value) => filters.set({ age: value })}
        />
      </div>
      <LoadStatus state={loaded.state} />
      {result !== null && (
        <p role="status" data-testid="notices-total">
          {t('lists.matching', { count: result.total })}
        </p>
      )}
      {notices !== null && notices.length === 0 && <p>{t('takedown.none')}</p>}
      {notices !== null && notices.length > 0 && (
        <DataTable
          labelledBy={`${id}-h`}
          testId="open-notices"
          head={[
            t('takedown.notice'),
            t('case.platform'),
            t('takedown.state'),
            t('takedown.deadline'),
            t('takedown.sentAt'),
            t('takedown.content'),
          ]}
        >
          {notices.map((notice) => (
            <tr key={notice.id} data-notice-id={notice.id}>
              <th scope="row">
                <code>{notice.id}</code>
                <br />
                <CaseLink caseId={notice.caseId}>{t('case.open', { id: notice.caseId })}</CaseLink>
              </th>
              <td>{t(`platform.${notice.platform}`)}</td>
              <td>
                {t(`noticeState.${notice.state}`)}
                {notice.missedDeadlines > 0 &&
                  ` · ${t('takedown.missed', { count: notice.missedDeadlines })}`}
                {notice.pendingReason !== null && (
                  <span className="notice-problem" data-testid="pending-reason">
                    <br />
                    {t(`pendingReason.${notice.pendingReason}`)}
                    {notice.lastDeliveryError !== null && ` (${notice.lastDeliveryError})`}
                  </span>
                )}
              </td>
              <td>
                <Deadline notice={notice} now={now} />
              </td>
              <td>
                {notice.sentAt === null ? (
                  t('takedown.notSentYet')
                ) : (
                  <TaipeiTime iso={notice.sentAt} />
                )}
              </td>
              <td>{notice.targets.length === 0 ? '—' : <NoticeTargets notice={notice} />}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {paged !== null && <Pager paged={paged} label={t('takedown.open')} />}
    </section>
  );
}

function Compliance() {
  const { t } = useTranslation();
  const id = useId();
  const [from, setFrom] = useState(() => taipeiDate(Date.now() - 30 * 86_400_000));
  const [to, setTo] = useState(() => taipeiDate(Date.now() + 86_400_000));
  const [rows, setRows] = useState<PlatformCompliance[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) return;
    const controller = new AbortController();
    setError(null);
    getCompliance(from, to, controller.signal).then(setRows, (caught: unknown) => {
      if (!controller.signal.aborted) setError(errorText(t, caught));
    });
    return () => controller.abort();
    // `t` is left out on purpose: a language switch must not refetch.
  }, [from, to]);

  const hours = (value: number | null) =>
    value === null ? '—' : t('takedown.hours', { value: value.toFixed(1) });

  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('takedown.compliance')}</h2>
      <div className="filters">
        <InputField label={t('takedown.from')} type="date" value={from} onChange={setFrom} />
        <InputField label={t('takedown.to')} type="date" value={to} onChange={setTo} />
      </div>
      <ErrorAlert message={error} />
      {rows !== null && rows.length === 0 && <p>{t('takedown.noCompliance')}</p>}
      {rows !== null && rows.length > 0 && (
        <DataTable
          labelledBy={`${id}-h`}
          testId="compliance"
          head={[
            t('case.platform'),
            t('takedown.sent'),
            t('takedown.inTime'),
            t('takedown.late'),
            t('takedown.rejected'),
            t('takedown.openCount'),
            t('takedown.missedCol'),
            t('takedown.median'),
            t('takedown.p90'),
          ]}
        >
          {rows.map((row) => (
            <tr key={row.platform}>
              <th scope="row">
                {isOneOf(PLATFORMS, row.platform) ? t(`platform.${row.platform}`) : row.platform}
              </th>
              <td>{row.noticesSent}</td>
              <td>{row.removedWithinDeadline}</td>
              <td>{row.removedLate}</td>
              <td>{row.rejected}</td>
              <td>{row.open}</td>
              <td className={row.missedDeadlines > 0 ? 'text-danger' : undefined}>
                {row.missedDeadlines}
              </td>
              <td>{hours(row.medianHoursToRemoval)}</td>
              <td>{hours(row.p90HoursToRemoval)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
