import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CasePublic } from '../api';
import { decide, getDecidable, type Decision } from '../api-workflow';
import type { Role } from '../api-auth';
import { useLoad } from '../use-load';
import { CaseEvidence } from './case-evidence';
import { DecisionForm } from './decision-form';

/**
 * The decision on a case's own page (`/cases/:id`), so every routed case can be decided where it
 * is, not only from the first page of a queue: shown when the verification queue has this case
 * for the signed-in person (the server decides: a verifier only for a case routed to their
 * entity and awaiting verification; analysts and admins for any case awaiting it). A verifier
 * also gets what was reported (their page has no staff panels); staff have the reports panel.
 * A verifier whose queue does not have the case is told so; others see nothing.
 */
export function CaseDecisionPanel({
  caseId,
  role,
  onDecided,
}: {
  caseId: string;
  role: Role;
  onDecided: (kase: CasePublic) => void;
}) {
  const { t } = useTranslation();
  const [revision, setRevision] = useState(0);
  const [done, setDone] = useState<{ kase: CasePublic; decision: Decision } | null>(null);
  const { state } = useLoad((signal) => getDecidable(caseId, signal), [caseId, revision]);
  const verifier = role === 'verifier';

  const outcome =
    done === null ? null : (
      <p className="alert alert--success" role="status" data-testid="case-decided">
        {done.decision === 'need_info'
          ? t('verifier.asked', { id: done.kase.id })
          : t('verifier.decided', { id: done.kase.id, label: t(`status.${done.kase.status}`) })}
        {verifier && (
          <>
            {' '}
            <Link to="/verify">{t('history.backToQueue')}</Link>
          </>
        )}
      </p>
    );

  if (state.phase !== 'done') return outcome;
  const item = state.data;
  if (item === null) {
    if (outcome !== null) return outcome;
    return verifier ? (
      <p className="alert alert--info" data-testid="case-not-in-queue">
        {t('caseDecision.notYours')}
      </p>
    ) : null;
  }
  return (
    <section
      className={verifier ? 'panel' : 'panel panel--staff'}
      aria-labelledby="case-decide"
      data-testid="case-decision"
    >
      <h2 id="case-decide">{t('caseDecision.heading')}</h2>
      {outcome}
      <p>{verifier ? t('caseDecision.intro') : t('caseDecision.introStaff')}</p>
      {item.infoQuestion !== null && (
        <p className="alert alert--info">
          {t('verifier.openQuestion', { question: item.infoQuestion })}
        </p>
      )}
      {verifier && (
        <CaseEvidence
          reports={item.reports}
          indicators={item.case.indicators}
          captures={item.captures}
        />
      )}
      <DecisionForm
        key={revision}
        caseId={caseId}
        onDecide={(input) => decide(caseId, input)}
        onDone={(kase, decision) => {
          setDone({ kase, decision });
          setRevision((value) => value + 1);
          onDecided(kase);
        }}
      />
    </section>
  );
}
