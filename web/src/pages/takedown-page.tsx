import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PLATFORMS } from '../api';
import {
  getCompliance,
  getNotices,
  OPEN_NOTICE_STATES,
  type PlatformCompliance,
} from '../api-workflow';
import { Deadline, useNow } from '../components/deadline';
import { DeliveryChannels } from '../components/delivery-channels';
import { NoticeTargets } from '../components/notice-targets';
import { LoadStatus } from '../components/load-status';
import { RequireRole } from '../components/require-role';
import { SanctionLedger } from '../components/sanction-ledger';
import { StaffNav } from '../components/staff-nav';
import { useDocumentTitle } from '../document-title';
import { errorText } from '../errors';
import { formatTaipeiTime } from '../query';
import { isOneOf } from '../reader';
import { STAFF_ROLES } from '../session';
import { useLoad } from '../use-load';

/** YYYY-MM-DD of an instant in Taipei (the dates staff think in). */
function taipeiDate(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Taipei' }).format(new Date(ms));
}

/**
 * `/staff/takedown`: the takedown board — open notices with a live countdown to their deadline
 * (overdue ones in red, marked with a sign and the word), and per-platform compliance for a
 * period (notices sent, removed within the deadline, median and p90 hours to removal), the
 * sanction ledger (one entry per missed deadline) and, for admins, each platform's notice
 * delivery channel.
 */
export function TakedownPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('takedown.title'));
  return (
    <>
      <h1 tabIndex={-1}>{t('takedown.title')}</h1>
      <RequireRole roles={STAFF_ROLES}>
        {(me) => (
          <>
            <StaffNav me={me} />
            <OpenNotices />
            <Compliance />
            <SanctionLedger platformFilter />
            {me.role === 'admin' && <DeliveryChannels />}
          </>
        )}
      </RequireRole>
    </>
  );
}

function OpenNotices() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const now = useNow();
  const { state } = useLoad(
    (signal) =>
      getNotices({}, signal).then((list) =>
        list
          .filter((n) => OPEN_NOTICE_STATES.includes(n.state))
          // Notices waiting for delivery first (a problem to fix), then by deadline.
          .sort((a, b) => (a.deadlineAt ?? '').localeCompare(b.deadlineAt ?? '')),
      ),
    [],
  );
  const notices = state.phase === 'done' ? state.data : null;

  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('takedown.open')}</h2>
      <LoadStatus state={state} />
      {notices !== null && notices.length === 0 && <p>{t('takedown.none')}</p>}
      {notices !== null && notices.length > 0 && (
        <div className="table-wrap" role="region" aria-labelledby={`${id}-h`} tabIndex={0}>
          <table className="table" data-testid="open-notices">
            <thead>
              <tr>
                <th scope="col">{t('takedown.notice')}</th>
                <th scope="col">{t('case.platform')}</th>
                <th scope="col">{t('takedown.state')}</th>
                <th scope="col">{t('takedown.deadline')}</th>
                <th scope="col">{t('takedown.sentAt')}</th>
                <th scope="col">{t('takedown.content')}</th>
              </tr>
            </thead>
            <tbody>
              {notices.map((notice) => (
                <tr key={notice.id} data-notice-id={notice.id}>
                  <th scope="row">
                    <code>{notice.id}</code>
                    <br />
                    <Link to={`/cases/${encodeURIComponent(notice.caseId)}`}>
                      {t('case.open', { id: notice.caseId })}
                    </Link>
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
                    <Deadline
                      deadlineAt={notice.deadlineAt}
                      firstDeadlineAt={notice.firstDeadlineAt}
                      createdAt={notice.createdAt}
                      state={notice.state}
                      now={now}
                    />
                  </td>
                  <td>
                    {notice.sentAt === null ? (
                      t('takedown.notSentYet')
                    ) : (
                      <time dateTime={notice.sentAt}>
                        {formatTaipeiTime(notice.sentAt, i18n.language)}
                      </time>
                    )}
                  </td>
                  <td>{notice.targets.length === 0 ? '—' : <NoticeTargets notice={notice} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
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
        <div className="field">
          <label htmlFor={`${id}-from`}>{t('takedown.from')}</label>
          <input
            id={`${id}-from`}
            type="date"
            value={from}
            onChange={(event) => setFrom(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>{t('takedown.to')}</label>
          <input
            id={`${id}-to`}
            type="date"
            value={to}
            onChange={(event) => setTo(event.target.value)}
          />
        </div>
      </div>
      {error !== null && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      {rows !== null && rows.length === 0 && <p>{t('takedown.noCompliance')}</p>}
      {rows !== null && rows.length > 0 && (
        <div className="table-wrap" role="region" aria-labelledby={`${id}-h`} tabIndex={0}>
          <table className="table" data-testid="compliance">
            <thead>
              <tr>
                <th scope="col">{t('case.platform')}</th>
                <th scope="col">{t('takedown.sent')}</th>
                <th scope="col">{t('takedown.inTime')}</th>
                <th scope="col">{t('takedown.late')}</th>
                <th scope="col">{t('takedown.rejected')}</th>
                <th scope="col">{t('takedown.openCount')}</th>
                <th scope="col">{t('takedown.missedCol')}</th>
                <th scope="col">{t('takedown.median')}</th>
                <th scope="col">{t('takedown.p90')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.platform}>
                  <th scope="row">
                    {isOneOf(PLATFORMS, row.platform)
                      ? t(`platform.${row.platform}`)
                      : row.platform}
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
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
