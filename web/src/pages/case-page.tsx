import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { CaseDetail, Timeline } from '../api';
import { AuditTrail } from '../components/audit-trail';
import { CampaignPanel } from '../components/campaign-panel';
import { CaseCapturesPanel } from '../components/case-captures-panel';
import { CaseDecisionPanel } from '../components/case-decision-panel';
import { CaseReportsPanel } from '../components/case-reports-panel';
import {
  CaseBlockingList,
  CaseContent,
  CaseFacts,
  CasePersonalData,
  VerdictHistory,
} from '../components/case-sections';
import { CaseTimeline } from '../components/case-timeline';
import { FollowCase } from '../components/follow-case';
import { KnownScams } from '../components/known-scams';
import { MergePanel } from '../components/merge-panel';
import { StatusChip } from '../components/status-chip';
import { TriagePanel } from '../components/triage-panel';
import { VerdictPanel } from '../components/verdict-panel';
import { useDocumentTitle } from '../document-title';
import { STAFF_ROLES, useRole } from '../session';
import { useCaseDetail } from '../use-case-detail';
import { CaseLink } from '../components/case-link';

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
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { state, timeline, show, reload } = useCaseDetail(id);
  const staff = useRole(STAFF_ROLES) !== null;
  // A verifier decides a case routed to them here (the server says whether this one is).
  const verifier = useRole(['verifier']) !== null;
  useDocumentTitle(t('case.heading', { id }));

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
          {state.kase.mergedInto !== null && (
            <p className="alert alert--info" data-testid="merged-into">
              {t('caseAdmin.mergedInto', { id: state.kase.mergedInto })}{' '}
              <CaseLink caseId={state.kase.mergedInto}>
                {t('caseAdmin.openCase', { id: state.kase.mergedInto })}
              </CaseLink>
            </p>
          )}
          <div className="case-status" data-testid="case-status">
            <StatusChip kase={state.kase} />
            <p>
              <strong>{t('case.meaning')}</strong> {t(`statusMeaning.${state.kase.status}`)}
            </p>
          </div>
          <KnownScams scams={state.kase.knownScams} />
          {state.kase.mergedInto === null && <FollowCase caseId={state.kase.id} />}
          <CaseFacts kase={state.kase} />
          {state.kase.blocking.length > 0 && <CaseBlockingList blocking={state.kase.blocking} />}
          <section aria-labelledby="case-progress">
            <h2 id="case-progress">{t('timeline.heading')}</h2>
            {timeline === null ? (
              <p role="status">{t('common.loading')}</p>
            ) : (
              <CaseTimeline steps={timeline.steps} status={state.kase.status} />
            )}
          </section>
          <CaseContent kase={state.kase} />
          <VerdictHistory verdicts={state.kase.verdicts} />
          {verifier && state.kase.mergedInto === null && (
            <CaseDecisionPanel
              key={state.kase.id}
              caseId={state.kase.id}
              onDecided={(updated) => {
                show({ ...state.kase, ...updated });
                reload();
              }}
            />
          )}
          {state.kase.staff !== null && <CasePersonalData staff={state.kase.staff} />}
          {staff && (
            <StaffPanels
              kase={state.kase}
              auditEvents={timeline?.events}
              show={show}
              reload={reload}
            />
          )}
        </>
      )}
    </>
  );
}

/**
 * An analyst's or admin's panels on a case: triage, verdict, reports (split), merge, campaign,
 * captures and the audit trail. A merge or split changes other cases too: the panels that list
 * them refetch (`revision`).
 */
function StaffPanels({
  kase,
  auditEvents,
  show,
  reload,
}: {
  kase: CaseDetail;
  auditEvents: Timeline['events'] | undefined;
  show: (kase: CaseDetail) => void;
  reload: () => void;
}) {
  const { t } = useTranslation();
  const [revision, setRevision] = useState(0);

  function onCasesChanged() {
    setRevision((value) => value + 1);
    reload();
  }

  return (
    <>
      <TriagePanel caseId={kase.id} onChanged={reload} />
      <VerdictPanel
        key={kase.id}
        caseId={kase.id}
        current={kase.verdict}
        onSaved={(updated) => {
          // Show the new label at once, then refetch for the verdict history.
          show({ ...kase, ...updated });
          reload();
        }}
      />
      <CaseReportsPanel caseId={kase.id} revision={revision} onChanged={onCasesChanged} />
      <MergePanel key={kase.id} caseId={kase.id} onMerged={onCasesChanged} />
      <CampaignPanel caseId={kase.id} revision={revision} />
      <CaseCapturesPanel caseId={kase.id} revision={revision} />
      <section className="panel panel--staff" aria-labelledby="case-audit">
        <h2 id="case-audit">{t('audit.heading')}</h2>
        {auditEvents == null ? (
          <p role="status">{t('common.loading')}</p>
        ) : (
          <AuditTrail events={auditEvents} />
        )}
      </section>
    </>
  );
}
