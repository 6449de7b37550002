import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  ApiError,
  getCase,
  getTimeline,
  type CaseBlocking,
  type CaseDetail,
  type Timeline,
} from '../api';
import { AuditTrail } from '../components/audit-trail';
import { CampaignPanel } from '../components/campaign-panel';
import { CaseCapturesPanel } from '../components/case-captures-panel';
import { CaseDecisionPanel } from '../components/case-decision-panel';
import { CaseReportsPanel } from '../components/case-reports-panel';
import { MergePanel } from '../components/merge-panel';
import { CaseTimeline } from '../components/case-timeline';
import { KnownScams } from '../components/known-scams';
import { StatusChip } from '../components/status-chip';
import { TriagePanel } from '../components/triage-panel';
import { VerdictPanel } from '../components/verdict-panel';
import { STAFF_ROLES, useRole, useSession } from '../session';
import { useDocumentTitle } from '../document-title';
import { errorText } from '../errors';
import { formatTaipeiTime } from '../query';
import { isOneOf } from '../reader';

type CaseState =
  { phase: 'loading' } | { phase: 'done'; kase: CaseDetail } | { phase: 'failed'; message: string };

const KNOWN_SOURCES = ['citizen', 'cofacts', 'tw165', 'blocklistproject'] as const;
type KnownSource = (typeof KNOWN_SOURCES)[number];
function isKnownSource(source: string): source is KnownSource {
  return (KNOWN_SOURCES as readonly string[]).includes(source);
}

/**
 * `/cases/:id`: the public view of one case (label and what it means, a warning naming the
 * confirmed scams it shares a LINE ID, phone, account or site with, facts, progress timeline,
 * summary with personal data redacted, links as plain text, public indicators, verdict history).
 * Staff who may see the case's personal data (analysts, admins, its verifier) also get the
 * summary as reported and the indicators kept off public pages. The verifier the case is routed
 * to decides it here while it awaits verification, wherever it stands in their queue (analysts
 * and admins with the verdict panel below, at any stage). A signed-in analyst or admin also
 * gets the staff panels: triage with overrides, the verdict, the reports with split, merge of
 * another case, the campaign, evidence captures with "capture now", and the full audit trail;
 * a case merged into another says where it went.
 */
export function CasePage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const [state, setState] = useState<CaseState>({ phase: 'loading' });
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  // Bumped after a merge or split so the staff panels refetch.
  const [revision, setRevision] = useState(0);
  const session = useSession();
  const staff = useRole(STAFF_ROLES) !== null;
  // A verifier decides a case routed to them here (the server says whether this one is).
  const verifier = useRole(['verifier']) !== null;
  // Staff who may see the case's personal data (analysts, admins, its verifier) get it with
  // their credential: ask with it whenever someone is signed in.
  const signedIn = session.state.phase === 'signed-in';
  // Wait for the session before loading the timeline: staff get the audit events with it.
  const sessionKnown = session.state.phase !== 'loading';
  useDocumentTitle(t('case.heading', { id }));

  const loadTimeline = useCallback(
    (signal?: AbortSignal) =>
      getTimeline(id, { asStaff: staff, ...(signal !== undefined && { signal }) }).then(
        setTimeline,
        () => {
          // The timeline is secondary: the page still shows the case without it.
          if (signal?.aborted !== true) setTimeline(null);
        },
      ),
    [id, staff],
  );

  useEffect(() => {
    if (!sessionKnown) return;
    const controller = new AbortController();
    void loadTimeline(controller.signal);
    return () => controller.abort();
  }, [loadTimeline, sessionKnown]);

  const load = useCallback(
    (signal?: AbortSignal) =>
      getCase(id, { asStaff: signedIn, ...(signal !== undefined && { signal }) }).then(
        (kase) => setState({ phase: 'done', kase }),
        (error: unknown) => {
          if (signal?.aborted === true) return;
          setState({
            phase: 'failed',
            message:
              error instanceof ApiError && error.code === 'case_not_found'
                ? t('case.notFound', { id })
                : errorText(t, error),
          });
        },
      ),
    // `t` is left out on purpose: a language switch must not refetch the case.
    [id, signedIn],
  );

  useEffect(() => {
    if (!sessionKnown) return;
    const controller = new AbortController();
    setState({ phase: 'loading' });
    void load(controller.signal);
    return () => controller.abort();
  }, [load, sessionKnown]);

  // Links are listed on their own above; the rest (domains, phones, LINE IDs, …) as indicators.
  const otherIndicators =
    state.phase === 'done' ? state.kase.indicators.filter((i) => i.type !== 'url') : [];

  const time = (iso: string) => <time dateTime={iso}>{formatTaipeiTime(iso, i18n.language)}</time>;
  const mergedTo = state.phase === 'done' ? state.kase.mergedInto : null;

  function onCasesChanged() {
    setRevision((value) => value + 1);
    void load();
    void loadTimeline();
  }

  return (
    <>
      <h1 tabIndex={-1}>{t('case.heading', { id })}</h1>
      {state.phase === 'loading' && <p role="status">{t('common.loading')}</p>}
      {state.phase === 'failed' && (
        <>
          <p className="alert alert--error" role="alert">
            {state.message}
          </p>
          <p>
            <Link to="/">{t('common.backHome')}</Link>
          </p>
        </>
      )}
      {state.phase === 'done' && (
        <>
          {mergedTo !== null && (
            <p className="alert alert--info" data-testid="merged-into">
              {t('caseAdmin.mergedInto', { id: mergedTo })}{' '}
              <Link to={`/cases/${encodeURIComponent(mergedTo)}`}>
                {t('caseAdmin.openCase', { id: mergedTo })}
              </Link>
            </p>
          )}
          <div className="case-status" data-testid="case-status">
            <StatusChip kase={state.kase} />
            <p>
              <strong>{t('case.meaning')}</strong> {t(`statusMeaning.${state.kase.status}`)}
            </p>
          </div>
          <KnownScams scams={state.kase.knownScams} />
          <dl className="facts facts--wide">
            <div>
              <dt>{t('case.id')}</dt>
              <dd>
                <code>{state.kase.id}</code>
              </dd>
            </div>
            <div>
              <dt>{t('case.reports')}</dt>
              <dd data-testid="report-count">
                {t('case.reportCount', { count: state.kase.reportCount })}
              </dd>
            </div>
            <div>
              <dt>{t('case.platform')}</dt>
              <dd>{t(`platform.${state.kase.platform}`)}</dd>
            </div>
            <div>
              <dt>{t('case.source')}</dt>
              <dd>
                {isKnownSource(state.kase.source)
                  ? t(`source.${state.kase.source}`)
                  : t('source.unknown')}
              </dd>
            </div>
            <div>
              <dt>{t('case.firstReported')}</dt>
              <dd>{time(state.kase.firstReportedAt)}</dd>
            </div>
            <div>
              <dt>{t('case.lastReported')}</dt>
              <dd>{time(state.kase.lastReportedAt)}</dd>
            </div>
            <div>
              <dt>{t('case.decidedAt')}</dt>
              <dd>
                {state.kase.decidedAt === null ? t('case.notDecided') : time(state.kase.decidedAt)}
              </dd>
            </div>
          </dl>
          <p className="field__hint">{t('common.timeZoneNote')}</p>

          {state.kase.blocking.length > 0 && <CaseBlockingList blocking={state.kase.blocking} />}

          <section aria-labelledby="case-progress">
            <h2 id="case-progress">{t('timeline.heading')}</h2>
            {timeline === null ? (
              <p role="status">{t('common.loading')}</p>
            ) : (
              <CaseTimeline steps={timeline.steps} status={state.kase.status} />
            )}
          </section>

          <section aria-labelledby="case-summary">
            <h2 id="case-summary">{t('case.summary')}</h2>
            {state.kase.summary === null || state.kase.summary === '' ? (
              <p>{t('case.noSummary')}</p>
            ) : (
              <blockquote className="summary">{state.kase.summary}</blockquote>
            )}
            {state.kase.summary?.includes('〔') === true && (
              <p className="field__hint">{t('case.summaryNote')}</p>
            )}
          </section>

          {state.kase.urls.length > 0 && (
            <section aria-labelledby="case-urls">
              <h2 id="case-urls">{t('case.urls')}</h2>
              <p className="field__hint">{t('case.urlsNote')}</p>
              <ul className="plain-list">
                {state.kase.urls.map((url) => (
                  <li key={url}>
                    <code className="break">{url}</code>
                  </li>
                ))}
              </ul>
            </section>
          )}

          {otherIndicators.length > 0 && (
            <section aria-labelledby="case-indicators">
              <h2 id="case-indicators">{t('case.indicators')}</h2>
              <dl className="indicators">
                {otherIndicators.map((indicator) => (
                  <div key={`${indicator.type}:${indicator.value}`}>
                    <dt>{t(`indicator.${indicator.type}`)}</dt>
                    <dd>
                      <code className="break">{indicator.value}</code>
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          )}

          <section aria-labelledby="case-history">
            <h2 id="case-history">{t('case.history')}</h2>
            {state.kase.verdicts.length === 0 ? (
              <p>{t('case.noHistory')}</p>
            ) : (
              <ol className="history">
                {state.kase.verdicts.map((record, index) => (
                  <li key={`${record.decidedAt}-${index}`}>
                    <strong>{t(`verdict.${record.verdict}`)}</strong> · {time(record.decidedAt)}
                    {record.note !== null && record.note !== '' && (
                      <p className="history__note">{t('case.note', { note: record.note })}</p>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>

          {verifier && mergedTo === null && (
            <CaseDecisionPanel
              key={state.kase.id}
              caseId={state.kase.id}
              onDecided={(updated) => {
                setState({ phase: 'done', kase: { ...state.kase, ...updated } });
                void load();
                void loadTimeline();
              }}
            />
          )}

          {state.kase.staff !== null && (
            <section className="panel panel--staff" aria-labelledby="case-personal">
              <h2 id="case-personal">{t('case.personalHeading')}</h2>
              <p className="field__hint">{t('case.personalNote')}</p>
              <h3>{t('case.originalSummary')}</h3>
              {state.kase.staff.summary === null || state.kase.staff.summary === '' ? (
                <p>{t('case.noSummary')}</p>
              ) : (
                <blockquote className="summary" data-testid="original-summary">
                  {state.kase.staff.summary}
                </blockquote>
              )}
              <h3>{t('case.hiddenIndicators')}</h3>
              {state.kase.staff.personalIndicators.length === 0 ? (
                <p>{t('case.noHiddenIndicators')}</p>
              ) : (
                <dl className="indicators">
                  {state.kase.staff.personalIndicators.map((indicator) => (
                    <div key={`${indicator.type}:${indicator.value}`}>
                      <dt>{t(`indicator.${indicator.type}`)}</dt>
                      <dd>
                        <code className="break">{indicator.value}</code>
                      </dd>
                    </div>
                  ))}
                </dl>
              )}
            </section>
          )}

          {staff && (
            <>
              <TriagePanel
                caseId={state.kase.id}
                onChanged={() => {
                  void load();
                  void loadTimeline();
                }}
              />
              <VerdictPanel
                key={state.kase.id}
                caseId={state.kase.id}
                current={state.kase.verdict}
                onSaved={(updated) => {
                  // Show the new label at once, then refetch for the verdict history.
                  setState({ phase: 'done', kase: { ...state.kase, ...updated } });
                  void load();
                  void loadTimeline();
                }}
              />
              <CaseReportsPanel
                caseId={state.kase.id}
                revision={revision}
                onChanged={onCasesChanged}
              />
              <MergePanel key={state.kase.id} caseId={state.kase.id} onMerged={onCasesChanged} />
              <CampaignPanel caseId={state.kase.id} revision={revision} />
              <CaseCapturesPanel caseId={state.kase.id} revision={revision} />
              <section className="panel panel--staff" aria-labelledby="case-audit">
                <h2 id="case-audit">{t('audit.heading')}</h2>
                {timeline?.events == null ? (
                  <p role="status">{t('common.loading')}</p>
                ) : (
                  <AuditTrail events={timeline.events} />
                )}
              </section>
            </>
          )}
        </>
      )}
    </>
  );
}

const LEGAL_BASES = ['court_ruling', 'administrative_disposition', 'emergency_order'] as const;
const ENTRY_STATES = ['proposed', 'active', 'appealed', 'lifted', 'expired'] as const;

/**
 * The blocking of a fraud website: each blocklist entry of the case with its state, legal basis
 * (or that it awaits one), requesting unit and since when — what 「已停止解析」 rests on.
 */
function CaseBlockingList({ blocking }: { blocking: CaseBlocking[] }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="case-blocking" data-testid="case-blocking">
      <h2 id="case-blocking">{t('caseBlocking.heading')}</h2>
      <ul>
        {blocking.map((b) => (
          <li key={`${b.domain}-${b.state}`} data-entry-state={b.state}>
            <code>{b.domain}</code>
            {' · '}
            {isOneOf(ENTRY_STATES, b.state) ? t(`entryState.${b.state}`) : b.state}
            {' · '}
            {b.legalBasis === null
              ? t('caseBlocking.noBasis')
              : t('caseBlocking.basis', {
                  basis: isOneOf(LEGAL_BASES, b.legalBasis)
                    ? t(`legalBasis.${b.legalBasis}`)
                    : b.legalBasis,
                  reference: b.legalReference ?? '—',
                  date: b.legalDate ?? '—',
                })}
            {b.requestingUnit !== null && (
              <> · {t('caseBlocking.unit', { unit: b.requestingUnit })}</>
            )}
            {b.effectiveAt !== null && (
              <>
                {' · '}
                {t('caseBlocking.since', {
                  date: formatTaipeiTime(b.effectiveAt, i18n.language),
                })}
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
