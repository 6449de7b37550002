import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CasePublic } from '../api';
import { decide, getDecidable, type Decision } from '../api-workflow';
import { useLoad } from '../use-load';
import { QueueItemEvidence } from './case-evidence';
import { DecisionForm } from './decision-form';

/**
 * A verifier's decision on a case's own page (`/cases/:id`), so every routed case can be decided
 * where it is, not only from the first page of the queue: shown with what was reported when the
 * verifier's queue has this case (the server decides: routed to one of their entities and
 * awaiting verification); otherwise the verifier is told it is not theirs to decide. Analysts and
 * admins decide any case on the same page with the verdict panel.
 */
export function CaseDecisionPanel({
  caseId,
  onDecided,
}: {
  caseId: string;
  onDecided: (kase: CasePublic) => void;
}) {
  const { t } = useTranslation();
  const [revision, setRevision] = useState(0);
  const [done, setDone] = useState<{ kase: CasePublic; decision: Decision } | null>(null);
  const { state } = useLoad((signal) => getDecidable(caseId, signal), [caseId, revision]);

  const outcome =
    done === null ? null : (
      <p className="alert alert--success" role="status" data-testid="case-decided">
        {done.decision === 'need_info'
          ? t('verifier.asked', { id: done.kase.id })
          : t('verifier.decided', {
              id: done.kase.id,
              label: t(`status.${done.kase.status}`),
            })}{' '}
        <Link to="/verify">{t('history.backToQueue')}</Link>
      </p>
    );

  if (state.phase !== 'done') return outcome;
  const item = state.data;
  if (item === null) {
    if (outcome !== null) return outcome;
    return (
      <p className="alert alert--info" data-testid="case-not-in-queue">
        {t('caseDecision.notYours')}
      </p>
    );
  }
  return (
    <section className="panel" aria-labelledby="case-decide" data-testid="case-decision">
      <h2 id="case-decide">{t('caseDecision.heading')}</h2>
      {outcome}
      <p>{t('caseDecision.intro')}</p>
      <QueueItemEvidence item={item} />
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
