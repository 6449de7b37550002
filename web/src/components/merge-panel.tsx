import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { getCase, type CaseDetail } from '../api';
import { mergeIntoCase } from '../api-cases';
import { useCaseAction } from '../use-case-action';
import { InputField, TextAreaField } from './field';
import { StatusChip } from './status-chip';
import { ErrorAlert } from './error-alert';
import { CaseLink } from './case-link';

const CASE_ID = /^C[0-9A-Z]{4,}$/;

/**
 * Staff (analysts, admins): merge another case into this one (`POST /api/v1/cases/:id/merge`),
 * in two steps — give the other case's ID, see what it is (its public view), then confirm. Its
 * reports, keys and indicators move here; the other case stays, empty, and says where it went.
 * The server refuses conflicting verdicts, the wrong direction and cases with notices (409).
 */
export function MergePanel({ caseId, onMerged }: { caseId: string; onMerged: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [sourceId, setSourceId] = useState('');
  const [note, setNote] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [pending, setPending] = useState<CaseDetail | null>(null);
  const { busy, error: formError, setError: setFormError, run } = useCaseAction();
  const [done, setDone] = useState<{ mergedCaseId: string; moved: number } | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (pending !== null) confirmHeading.current?.focus();
  }, [pending]);

  async function onCheck(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setDone(null);
    setFormError(null);
    const value = sourceId.trim().toUpperCase();
    const problem = !CASE_ID.test(value)
      ? t('staff.caseIdInvalid')
      : value === caseId
        ? t('caseAdmin.errors.same_case')
        : null;
    setFieldError(problem);
    if (problem !== null) {
      input.current?.focus();
      return;
    }
    await run(async () => setPending(await getCase(value)));
  }

  function onCancel() {
    setPending(null);
    setFormError(null);
    input.current?.focus();
  }

  async function onConfirm() {
    if (busy || pending === null) return;
    setFormError(null);
    await run(async () => {
      const result = await mergeIntoCase(caseId, pending.id, note);
      setDone({ mergedCaseId: result.mergedCaseId, moved: result.movedReports });
      setPending(null);
      setSourceId('');
      setNote('');
      onMerged();
    });
  }

  return (
    <section className="panel panel--staff" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('caseAdmin.mergeHeading')}</h2>
      <p className="field__hint">{t('caseAdmin.mergeIntro', { id: caseId })}</p>
      <form className="form" onSubmit={onCheck} noValidate>
        <InputField
          label={t('caseAdmin.mergeSource')}
          error={fieldError}
          ref={input}
          autoCapitalize="characters"
          spellCheck={false}
          value={sourceId}
          disabled={pending !== null}
          onChange={setSourceId}
        />
        <TextAreaField
          label={t('caseAdmin.note')}
          optional
          rows={2}
          maxLength={2000}
          value={note}
          disabled={pending !== null}
          onChange={setNote}
        />
        {pending === null && (
          <button type="submit" className="button" aria-busy={busy}>
            {busy ? t('common.loading') : t('caseAdmin.mergeCheck')}
          </button>
        )}
      </form>
      {pending !== null && (
        <div
          className="alert alert--info merge-confirm"
          role="group"
          aria-labelledby={`${id}-confirm`}
          data-testid="merge-confirm"
        >
          <h3 id={`${id}-confirm`} ref={confirmHeading} tabIndex={-1}>
            {t('caseAdmin.mergeConfirmHeading', { source: pending.id, target: caseId })}
          </h3>
          <p>
            <StatusChip kase={pending} /> {t('case.reportCount', { count: pending.reportCount })}
          </p>
          {pending.summary !== null && pending.summary !== '' && (
            <blockquote className="summary">{pending.summary}</blockquote>
          )}
          <p>{t('caseAdmin.mergeConfirmText', { source: pending.id, target: caseId })}</p>
          <div className="notice-actions">
            <button type="button" className="button" aria-busy={busy} onClick={onConfirm}>
              {busy ? t('common.saving') : t('caseAdmin.mergeConfirm')}
            </button>
            <button type="button" className="button button--secondary" onClick={onCancel}>
              {t('caseAdmin.cancel')}
            </button>
          </div>
        </div>
      )}
      <ErrorAlert message={formError} />
      <p role="status" className="panel__status" data-testid="merge-status">
        {done !== null && (
          <>
            {t('caseAdmin.mergeDone', { count: done.moved, source: done.mergedCaseId })}{' '}
            <CaseLink caseId={done.mergedCaseId}>
              {t('caseAdmin.openCase', { id: done.mergedCaseId })}
            </CaseLink>
          </>
        )}
      </p>
    </section>
  );
}
