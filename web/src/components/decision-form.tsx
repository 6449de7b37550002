import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CasePublic } from '../api';
import { DECISIONS, type Decision, type DecisionInput } from '../api-workflow';
import { fieldOrFormError } from '../errors';
import { RadioGroup, TextAreaField } from './field';
import { ErrorAlert } from './error-alert';

/**
 * Decide in one step: fraud, high risk, not fraud, or need info (then a question is required).
 * The note is optional. `onDecide` sends it; its errors are shown beside the field they name.
 */
export function DecisionForm({
  caseId,
  onDecide,
  onDone,
}: {
  caseId: string;
  onDecide: (input: DecisionInput) => Promise<CasePublic>;
  onDone: (updated: CasePublic, decision: Decision) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [decision, setDecision] = useState<Decision | ''>('');
  const [note, setNote] = useState('');
  const [question, setQuestion] = useState('');
  const [errors, setErrors] = useState<{ decision?: string; question?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const firstRadio = useRef<HTMLInputElement>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (decision === '') {
      setErrors({ decision: t('decide.chooseDecision') });
      firstRadio.current?.focus();
      return;
    }
    if (decision === 'need_info' && question.trim() === '') {
      setErrors({ question: t('decide.questionRequired') });
      document.getElementById(`${id}-question`)?.focus();
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const updated = await onDecide({ decision, note, question });
      onDone(updated, decision);
    } catch (error) {
      setErrors(fieldOrFormError(t, error, 'question'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form decision-form" onSubmit={onSubmit} noValidate>
      <RadioGroup
        legend={t('decide.legend', { id: caseId })}
        error={errors.decision}
        values={DECISIONS}
        value={decision}
        text={(value) => t(`decision.${value}`)}
        onChange={setDecision}
        firstRef={firstRadio}
      />
      {decision === 'need_info' && (
        <TextAreaField
          id={`${id}-question`}
          label={t('decide.question')}
          error={errors.question}
          rows={3}
          value={question}
          onChange={setQuestion}
        />
      )}
      <TextAreaField label={t('decide.note')} optional rows={2} value={note} onChange={setNote} />
      <ErrorAlert message={errors.form} />
      <button type="submit" className="button" aria-busy={busy}>
        {busy ? t('common.saving') : t('decide.submit')}
      </button>
    </form>
  );
}
