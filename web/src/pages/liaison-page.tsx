import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import {
  acknowledgeNotice,
  getNotices,
  NOTICE_OUTCOMES,
  NOTICE_STATES,
  OPEN_NOTICE_STATES,
  reportOutcome,
  type Notice,
  type NoticeOutcome,
} from '../api-workflow';
import { Deadline, useNow } from '../components/deadline';
import { RadioGroup, TextAreaField } from '../components/field';
import { NoticeTargets } from '../components/notice-targets';
import { LoadStatus } from '../components/load-status';
import { Pager, useServerPage, useServerPaged, type ServerPage } from '../components/pager';
import { SanctionLedger } from '../components/sanction-ledger';
import { errorText, fieldOrFormError } from '../errors';
import type { PageOf } from '../paging';
import { replaceById, type LoadState, useLoad, loadedData } from '../use-load';
import { ErrorAlert } from '../components/error-alert';
import { RolePage } from '../components/role-page';
import { Fact } from '../components/fact';
import { TaipeiTime } from '../components/taipei-time';
import { CaseLink } from '../components/case-link';

/**
 * `/platform`: a platform liaison's notices (the API gives only their platform's): the open ones,
 * nearest deadline first, with the countdown to it, and the closed ones, newest first — each list
 * with its true total, 20 to a page (`openPage`, `closedPage` in the address); acknowledge receipt and report the outcome
 * (removed, restricted, or rejected with a reason); below, the sanction ledger of their
 * platform's missed deadlines.
 */
export function LiaisonPage() {
  const { t } = useTranslation();
  return (
    <RolePage title={t('liaison.title')} roles={['platform_liaison', 'admin']}>
      {(me) => (
        <>
          {me.platform !== null && (
            <p className="lead">{t('liaison.intro', { platform: t(`platform.${me.platform}`) })}</p>
          )}
          <NoticeList />
          <SanctionLedger platformFilter={me.role === 'admin'} />
        </>
      )}
    </RolePage>
  );
}

/** Notices per page of each list. */
const PAGE_SIZE = 20;
const CLOSED_NOTICE_STATES = NOTICE_STATES.filter((state) => !OPEN_NOTICE_STATES.includes(state));

function NoticeList() {
  const now = useNow();
  // Bumped when a notice changes: it may move from the open list to the closed one.
  const [revision, setRevision] = useState(0);
  const openAt = useServerPage(PAGE_SIZE, 'openPage');
  const closedAt = useServerPage(PAGE_SIZE, 'closedPage');
  const open = useLoad(
    (signal) =>
      getNotices(
        {
          states: OPEN_NOTICE_STATES,
          sort: 'deadline',
          limit: openAt.limit,
          offset: openAt.offset,
        },
        signal,
      ),
    [openAt.offset, revision],
    { keepWhileReloading: true },
  );
  const closed = useLoad(
    (signal) =>
      getNotices(
        { states: CLOSED_NOTICE_STATES, limit: closedAt.limit, offset: closedAt.offset },
        signal,
      ),
    [closedAt.offset, revision],
    { keepWhileReloading: true },
  );
  const replace = (updated: Notice) => {
    open.update((page) => ({
      ...page,
      items: replaceById(page.items, updated),
    }));
    setRevision((value) => value + 1);
  };

  return (
    <>
      <NoticeSection kind="open" state={open.state} at={openAt} now={now} onChanged={replace} />
      <NoticeSection
        kind="closed"
        state={closed.state}
        at={closedAt}
        now={now}
        onChanged={replace}
      />
    </>
  );
}

/**
 * One list of notices, the open or the closed ones, under its heading, which counts them once
 * loaded; paged in the address by `at`. `liaison-open` or `liaison-closed` is the heading's id and
 * the list's test id.
 */
function NoticeSection({
  kind,
  state,
  at,
  now,
  onChanged,
}: {
  kind: 'open' | 'closed';
  state: LoadState<PageOf<Notice>>;
  at: ServerPage;
  now: number;
  onChanged: (updated: Notice) => void;
}) {
  const { t } = useTranslation();
  const id = `liaison-${kind}`;
  const title = t(`liaison.${kind}List`);
  const countTitle = (count: number) => t(`liaison.${kind}`, { count });
  const none = t(kind === 'open' ? 'liaison.noneOpen' : 'liaison.noneClosed');
  const page = loadedData(state);
  const paged = useServerPaged(page, at);
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{page === null ? title : countTitle(page.total)}</h2>
      <LoadStatus state={state} />
      {page !== null && (
        <>
          {page.total === 0 && <p>{none}</p>}
          <ul className="case-list" data-testid={id}>
            {page.items.map((notice) => (
              <li key={notice.id}>
                <NoticeCard notice={notice} now={now} onChanged={onChanged} />
              </li>
            ))}
          </ul>
          {paged !== null && <Pager paged={paged} label={title} />}
        </>
      )}
    </section>
  );
}

function NoticeCard({
  notice,
  now,
  onChanged,
}: {
  notice: Notice;
  now: number;
  onChanged: (notice: Notice) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [outcome, setOutcome] = useState<NoticeOutcome | ''>('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ outcome?: string; reason?: string; form?: string }>({});
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const isOpen = OPEN_NOTICE_STATES.includes(notice.state);

  async function onAcknowledge() {
    setBusy(true);
    setErrors({});
    try {
      onChanged(await acknowledgeNotice(notice.id));
      setStatus(t('liaison.acknowledged'));
    } catch (error) {
      setErrors({ form: errorText(t, error) });
    } finally {
      setBusy(false);
    }
  }

  async function onOutcome(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (outcome === '') {
      setErrors({ outcome: t('liaison.chooseOutcome') });
      return;
    }
    if (outcome === 'rejected' && reason.trim() === '') {
      setErrors({ reason: t('liaison.reasonRequired') });
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const updated = await reportOutcome(notice.id, outcome, reason);
      setStatus(t('liaison.reported', { outcome: t(`noticeState.${updated.state}`) }));
      onChanged(updated);
    } catch (error) {
      setErrors(fieldOrFormError(t, error, 'reason'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="case-card" data-notice-id={notice.id} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`} className="case-card__title">
        {t('liaison.noticeHeading', { id: notice.id })}
      </h3>
      <dl className="facts">
        <Fact term={t('takedown.state')} testId="notice-state">
          {t(`noticeState.${notice.state}`)}
        </Fact>
        <Fact term={t('case.id')}>
          <CaseLink caseId={notice.caseId}>
            <code>{notice.caseId}</code>
          </CaseLink>
        </Fact>
        <Fact term={t('takedown.sentAt')}>
          {notice.sentAt === null ? (
            t('liaison.notDeliveredYet')
          ) : (
            <TaipeiTime iso={notice.sentAt} />
          )}
        </Fact>
        <Fact term={t('takedown.deadline')}>
          <Deadline notice={notice} now={now} />
        </Fact>
      </dl>
      <p>
        <span className="evidence__label">{t('takedown.content')}</span>{' '}
        {notice.targets.length === 0 ? t('liaison.noUrl') : <NoticeTargets notice={notice} />}
      </p>
      {notice.outcomeReason !== null && (
        <p>{t('liaison.reasonShown', { reason: notice.outcomeReason })}</p>
      )}
      {isOpen && (
        <div className="stack">
          {(notice.state === 'sent' || notice.state === 'pending_delivery') && (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => void onAcknowledge()}
              aria-busy={busy}
            >
              {t('liaison.acknowledge')}
            </button>
          )}
          <form className="form" onSubmit={onOutcome} noValidate>
            <RadioGroup
              legend={t('liaison.outcome')}
              error={errors.outcome}
              values={NOTICE_OUTCOMES}
              value={outcome}
              text={(value) => t(`noticeState.${value}`)}
              onChange={setOutcome}
            />
            <TextAreaField
              label={t('liaison.reason')}
              optional={t('liaison.reasonHint')}
              error={errors.reason}
              rows={2}
              value={reason}
              onChange={setReason}
            />
            <button type="submit" className="button" aria-busy={busy}>
              {t('liaison.submitOutcome')}
            </button>
          </form>
        </div>
      )}
      <ErrorAlert message={errors.form} />
      <p role="status" className="panel__status">
        {status}
      </p>
    </article>
  );
}
