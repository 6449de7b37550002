import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PLATFORMS, type Platform } from '../api';
import { getEntities, type Entity } from '../api-admin';
import {
  answerQuestion,
  getTriage,
  overrideTriage,
  SCAM_TYPES,
  type ScamType,
  type Triage,
  type TriageOverride,
} from '../api-workflow';
import { errorText, fieldOrFormError } from '../errors';
import { formatTaipeiTime } from '../query';
import { InputField, RequiredSelectField, SelectField, TextAreaField } from './field';
import { ErrorAlert } from './error-alert';
import { Fact } from './fact';

interface Draft {
  platform: Platform;
  scamType: ScamType | '';
  impersonatedEntityId: string;
  riskScore: string;
  routedEntityId: string;
  reason: string;
}

function draftOf(triage: Triage): Draft {
  return {
    platform: triage.platform,
    scamType: triage.scamType ?? '',
    impersonatedEntityId: triage.impersonatedEntityId ?? '',
    riskScore: triage.riskScore === null ? '' : String(triage.riskScore),
    routedEntityId: triage.routedEntityId ?? '',
    reason: '',
  };
}

/** The fields that differ from the current triage, as an override body (without the reason). */
function changes(triage: Triage, draft: Draft): Omit<TriageOverride, 'reason'> {
  const out: Omit<TriageOverride, 'reason'> = {};
  if (draft.platform !== triage.platform) out.platform = draft.platform;
  if (draft.scamType !== '' && draft.scamType !== triage.scamType) out.scamType = draft.scamType;
  const impersonated = draft.impersonatedEntityId === '' ? null : draft.impersonatedEntityId;
  if (impersonated !== triage.impersonatedEntityId) out.impersonatedEntityId = impersonated;
  if (draft.riskScore !== '' && Number(draft.riskScore) !== triage.riskScore) {
    out.riskScore = Number(draft.riskScore);
  }
  if (draft.routedEntityId !== '' && draft.routedEntityId !== triage.routedEntityId) {
    out.routedEntityId = draft.routedEntityId;
  }
  return out;
}

/**
 * Staff: the automatic triage of a case (platform, scam type, impersonated entity, risk score,
 * routed entity) with an override form — a reason is required and the override is recorded in
 * the audit trail — and, while the verifier's question is open, the answer form.
 */
export function TriagePanel({ caseId, onChanged }: { caseId: string; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [triage, setTriage] = useState<Triage | null>(null);
  const [entities, setEntities] = useState<Entity[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<{ reason?: string; riskScore?: string; form?: string }>({});
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState('');
  const [answerError, setAnswerError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([getTriage(caseId, controller.signal), getEntities(controller.signal)]).then(
      ([loaded, list]) => {
        setTriage(loaded);
        setDraft(draftOf(loaded));
        setEntities(list);
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setLoadError(errorText(t, error));
      },
    );
    return () => controller.abort();
    // `t` is left out on purpose: a language switch must not refetch.
  }, [caseId]);

  if (loadError !== null) {
    return (
      <p className="alert alert--error" role="alert">
        {loadError}
      </p>
    );
  }
  if (triage === null || draft === null) return <p role="status">{t('common.loading')}</p>;

  const entityName = (entityId: string | null) => {
    if (entityId === null) return t('triage.none');
    const entity = entities.find((e) => e.id === entityId);
    if (entity === undefined) return entityId;
    return i18n.language === 'en' && entity.nameEn !== null ? entity.nameEn : entity.nameZh;
  };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || triage === null || draft === null) return;
    setStatus('');
    const body = changes(triage, draft);
    const problems: typeof errors = {};
    if (Object.keys(body).length === 0) problems.form = t('triage.noChanges');
    if (draft.reason.trim() === '') problems.reason = t('triage.reasonRequired');
    const risk = Number(draft.riskScore);
    if (draft.riskScore !== '' && !(Number.isInteger(risk) && risk >= 0 && risk <= 100)) {
      problems.riskScore = t('triage.riskRange');
    }
    setErrors(problems);
    if (problems.reason !== undefined) {
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    if (problems.riskScore !== undefined || problems.form !== undefined) return;
    setBusy(true);
    try {
      const updated = await overrideTriage(caseId, { ...body, reason: draft.reason.trim() });
      setTriage(updated);
      setDraft(draftOf(updated));
      setStatus(t('triage.saved'));
      onChanged();
    } catch (error) {
      setErrors(fieldOrFormError(t, error, 'reason'));
    } finally {
      setBusy(false);
    }
  }

  async function onAnswer(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (answer.trim() === '') {
      setAnswerError(t('triage.answerRequired'));
      return;
    }
    try {
      await answerQuestion(caseId, answer);
      setAnswer('');
      setAnswerError(null);
      setStatus(t('triage.answered'));
      const updated = await getTriage(caseId);
      setTriage(updated);
      onChanged();
    } catch (error) {
      setAnswerError(errorText(t, error));
    }
  }

  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const entityIds = entities.map((entity) => entity.id);
  const entityOption = (entityId: string) => `${entityName(entityId)} (${entityId})`;
  const overridden = (field: string) =>
    triage.overrides.includes(field) ? ` (${t('triage.overridden')})` : '';

  /** The select of an entity of the registry for `field` (none allowed). */
  const entitySelect = (field: 'impersonatedEntityId' | 'routedEntityId', label: string) => (
    <SelectField
      label={label}
      value={draft[field]}
      values={entityIds}
      text={entityOption}
      empty={t('triage.none')}
      onChange={(value) => set({ [field]: value })}
    />
  );

  return (
    <section className="panel panel--staff" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('triage.heading')}</h2>
      <dl className="facts" data-testid="triage-facts">
        <Fact term={t('triage.stage')}>{t(`stage.${triage.stage}`)}</Fact>
        <Fact term={t('case.platform')}>
          {t(`platform.${triage.platform}`)}
          {overridden('platform')}
        </Fact>
        <Fact term={t('triage.scamType')} testId="triage-scam-type">
          {triage.scamType === null ? t('triage.none') : t(`scamType.${triage.scamType}`)}
          {overridden('scamType')}
        </Fact>
        <Fact term={t('triage.impersonated')}>
          {entityName(triage.impersonatedEntityId)}
          {overridden('impersonatedEntityId')}
        </Fact>
        <Fact term={t('triage.risk')}>
          {triage.riskScore ?? t('triage.none')}
          {overridden('riskScore')}
        </Fact>
        <Fact term={t('triage.routed')}>
          {entityName(triage.routedEntityId)}
          {overridden('routedEntityId')}
        </Fact>
        <Fact term={t('triage.triagedAt')}>
          {triage.triagedAt === null
            ? t('triage.none')
            : formatTaipeiTime(triage.triagedAt, i18n.language)}
        </Fact>
      </dl>

      <h3>{t('triage.overrideHeading')}</h3>
      <form className="form form--grid" onSubmit={onSubmit} noValidate>
        <RequiredSelectField
          label={t('case.platform')}
          value={draft.platform}
          values={PLATFORMS}
          text={(value) => t(`platform.${value}`)}
          onChange={(platform) => set({ platform })}
        />
        <SelectField
          label={t('triage.scamType')}
          value={draft.scamType}
          values={SCAM_TYPES}
          text={(value) => t(`scamType.${value}`)}
          empty={t('triage.none')}
          onChange={(scamType) => set({ scamType })}
        />
        {entitySelect('impersonatedEntityId', t('triage.impersonated'))}
        <InputField
          label={t('triage.risk')}
          error={errors.riskScore}
          type="number"
          inputMode="numeric"
          min={0}
          max={100}
          value={draft.riskScore}
          onChange={(riskScore) => set({ riskScore })}
        />
        {entitySelect('routedEntityId', t('triage.routed'))}
        <TextAreaField
          id={`${id}-reason`}
          label={t('triage.reason')}
          error={errors.reason}
          className="field--full"
          rows={2}
          value={draft.reason}
          onChange={(reason) => set({ reason })}
        />
        <ErrorAlert message={errors.form} wide />
        <button type="submit" className="button" aria-busy={busy}>
          {t('triage.submit')}
        </button>
      </form>

      {triage.stage === 'need_info' && (
        <>
          <h3>{t('triage.answerHeading')}</h3>
          <form className="form" onSubmit={onAnswer} noValidate>
            <TextAreaField
              label={t('triage.answer')}
              error={answerError}
              rows={3}
              value={answer}
              onChange={setAnswer}
            />
            <button type="submit" className="button button--secondary">
              {t('triage.answerSubmit')}
            </button>
          </form>
        </>
      )}
      <p role="status" className="panel__status" data-testid="triage-status">
        {status}
      </p>
    </section>
  );
}
