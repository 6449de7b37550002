import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { getCaseReports, getReportScreenshot, splitCase } from '../api-cases';
import type { CasePublic } from '../api';
import { useCaseAction } from '../use-case-action';
import { useLoad } from '../use-load';
import { ChoiceGroup, TextAreaField } from './field';
import { LoadStatus } from './load-status';
import { ErrorAlert } from './error-alert';
import { ReportContent, ReportMeta } from './case-evidence';
import { CaseLink } from './case-link';

/**
 * Staff (analysts, admins): the reports of a case, oldest first (`GET /api/v1/cases/:id/reports`),
 * each with a check box, and "split the chosen reports into a new case"
 * (`POST /api/v1/cases/:id/split`). At least one report must be chosen and one must stay.
 * Reported URLs are plain text, never links. Each report shows the contact its reporter gave for
 * follow-up (marked as personal data; the API gives it to staff only) and, on request, its
 * screenshot. `revision` refetches when it changes (a merge).
 */
export function CaseReportsPanel({
  caseId,
  revision,
  onChanged,
}: {
  caseId: string;
  revision: number;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [note, setNote] = useState('');
  const [choiceError, setChoiceError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ newCase: CasePublic; moved: number } | null>(null);
  const { busy: saving, error: formError, setError: setFormError, run } = useCaseAction();
  const firstBox = useRef<HTMLInputElement>(null);
  const { state } = useLoad(
    (signal) =>
      getCaseReports(caseId, signal).then((reports) => {
        // Keep only the choices that are still reports of this case.
        setChosen((current) => new Set(reports.filter((r) => current.has(r.id)).map((r) => r.id)));
        return reports;
      }),
    [caseId, revision],
  );

  function toggle(reportId: string, on: boolean) {
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(reportId);
      else next.delete(reportId);
      return next;
    });
  }

  async function onSplit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || state.phase !== 'done') return;
    setCreated(null);
    setFormError(null);
    const choiceProblem =
      chosen.size === 0
        ? t('caseAdmin.splitChooseOne')
        : chosen.size >= state.data.length
          ? t('caseAdmin.splitKeepOne')
          : null;
    setChoiceError(choiceProblem);
    if (choiceProblem !== null) {
      firstBox.current?.focus();
      return;
    }
    await run(async () => {
      const result = await splitCase(caseId, [...chosen], note);
      setCreated({ newCase: result.newCase, moved: result.movedReports });
      setChosen(new Set());
      setNote('');
      onChanged();
    });
  }

  const reports = state.phase === 'done' ? state.data : [];

  return (
    <section
      className="panel panel--staff"
      aria-labelledby={`${id}-heading`}
      data-testid="case-reports"
    >
      <h2 id={`${id}-heading`}>{t('caseAdmin.reportsHeading')}</h2>
      <p className="field__hint">{t('caseAdmin.reportsIntro')}</p>
      <LoadStatus state={state} />
      {state.phase === 'done' && reports.length === 0 && <p>{t('caseAdmin.noReports')}</p>}
      {reports.length > 0 && (
        <form className="form" onSubmit={onSplit} noValidate>
          <ChoiceGroup className="field" legend={t('caseAdmin.splitLegend')} error={choiceError}>
            <ol className="evidence__reports case-reports">
              {reports.map((report, index) => (
                <li key={report.id} data-report-id={report.id}>
                  <label className="choice">
                    <input
                      ref={index === 0 ? firstBox : undefined}
                      type="checkbox"
                      checked={chosen.has(report.id)}
                      onChange={(event) => toggle(report.id, event.target.checked)}
                    />
                    {t('caseAdmin.reportLabel', { id: report.id })}
                  </label>
                  <ReportMeta report={report}>
                    {' · '}
                    {t('caseAdmin.source', { source: report.source })}
                  </ReportMeta>
                  <ReportContent report={report} />
                  {report.contact !== null && (
                    <p data-testid="report-contact">
                      <span className="evidence__label">{t('caseAdmin.contactLabel')}</span>{' '}
                      {t(`caseAdmin.contactType.${report.contact.type}`)}{' '}
                      <span className="break">{report.contact.value}</span>{' '}
                      <span className="chip chip--yellow">{t('caseAdmin.personalData')}</span>
                    </p>
                  )}
                  {report.screenshotSha256 !== null && (
                    <ReportScreenshot reportId={report.id} sha256={report.screenshotSha256} />
                  )}
                </li>
              ))}
            </ol>
          </ChoiceGroup>
          <TextAreaField
            label={t('caseAdmin.note')}
            optional
            rows={2}
            maxLength={2000}
            value={note}
            onChange={setNote}
          />
          <ErrorAlert message={formError} />
          <button type="submit" className="button" aria-busy={saving}>
            {saving
              ? t('common.saving')
              : chosen.size === 0
                ? t('caseAdmin.splitSubmitNone')
                : t('caseAdmin.splitSubmit', { count: chosen.size })}
          </button>
        </form>
      )}
      <p role="status" className="panel__status" data-testid="split-status">
        {created !== null && (
          <>
            {t('caseAdmin.splitDone', { count: created.moved, id: created.newCase.id })}{' '}
            <CaseLink caseId={created.newCase.id}>
              {t('caseAdmin.openNewCase', { id: created.newCase.id })}
            </CaseLink>
          </>
        )}
      </p>
    </section>
  );
}

type ShotState =
  | { phase: 'hidden' }
  | { phase: 'loading' }
  | { phase: 'shown'; url: string }
  | { phase: 'failed' };

/**
 * A report's screenshot behind a "show" button: fetched with the caller's credential (an `<img>`
 * cannot send the admin token), shown through an object URL that is revoked when hidden or
 * unmounted. Anything but an image type from the server is not shown.
 */
function ReportScreenshot({ reportId, sha256 }: { reportId: string; sha256: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [shot, setShot] = useState<ShotState>({ phase: 'hidden' });

  useEffect(() => {
    if (!open) {
      setShot({ phase: 'hidden' });
      return;
    }
    const controller = new AbortController();
    let url: string | null = null;
    setShot({ phase: 'loading' });
    getReportScreenshot(sha256, controller.signal).then(
      (blob) => {
        if (controller.signal.aborted) return;
        if (!blob.type.startsWith('image/')) {
          setShot({ phase: 'failed' });
          return;
        }
        url = URL.createObjectURL(blob);
        setShot({ phase: 'shown', url });
      },
      () => {
        if (!controller.signal.aborted) setShot({ phase: 'failed' });
      },
    );
    return () => {
      controller.abort();
      if (url !== null) URL.revokeObjectURL(url);
    };
  }, [open, sha256]);

  return (
    <div className="report-shot">
      <button
        type="button"
        className="button button--secondary"
        aria-expanded={open}
        aria-busy={shot.phase === 'loading'}
        onClick={() => setOpen((current) => !current)}
      >
        {open ? t('caseAdmin.hideScreenshot') : t('caseAdmin.showScreenshot')}
      </button>
      {shot.phase === 'loading' && <p role="status">{t('common.loading')}</p>}
      {shot.phase === 'failed' && (
        <p className="alert alert--error" role="alert">
          {t('caseAdmin.screenshotFailed')}
        </p>
      )}
      {shot.phase === 'shown' && (
        <img
          className="evidence__shot"
          src={shot.url}
          alt={t('caseAdmin.screenshotAlt', { id: reportId })}
        />
      )}
    </div>
  );
}
