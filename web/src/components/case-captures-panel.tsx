import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { captureNow, getCaptures } from '../api-cases';
import { useCaseAction } from '../use-case-action';
import { useLoad } from '../use-load';
import { LoadStatus } from './load-status';
import { ErrorAlert } from './error-alert';
import { TaipeiTime } from './taipei-time';

/**
 * Staff (analysts, admins): the evidence captures of a case, newest first
 * (`GET /api/v1/cases/:id/captures`), and "capture now" (`POST …/captures`: every URL of the case
 * is fetched by the server's capturer, which refuses private addresses unless configured). New
 * captures are marked. Captured pages are never opened here: URLs are plain text, and bodies
 * are only named by their SHA-256. `revision` refetches when it changes (merge, split).
 */
export function CaseCapturesPanel({ caseId, revision }: { caseId: string; revision: number }) {
  const { t } = useTranslation();
  const id = useId();
  // A merge or split (`revision`) refetches with the old list still shown.
  const { state, update } = useLoad((signal) => getCaptures(caseId, signal), [caseId, revision], {
    keepWhileReloading: true,
  });
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const { busy, error: actionError, setError: setActionError, run } = useCaseAction();
  const [made, setMade] = useState<number | null>(null);

  async function onCapture() {
    if (busy) return;
    setActionError(null);
    setMade(null);
    await run(async () => {
      const captures = await captureNow(caseId);
      setMade(captures.length);
      setFresh(new Set(captures.map((c) => c.id)));
      update((known) => {
        const ids = new Set(known.map((c) => c.id));
        return [...known, ...captures.filter((c) => !ids.has(c.id))];
      });
    });
  }

  const captures = state.phase === 'done' ? [...state.data].reverse() : [];

  return (
    <section className="panel panel--staff" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('caseAdmin.capturesHeading')}</h2>
      <p className="field__hint">{t('caseAdmin.capturesIntro')}</p>
      <button type="button" className="button" aria-busy={busy} onClick={onCapture}>
        {busy ? t('caseAdmin.capturing') : t('caseAdmin.captureNow')}
      </button>
      <ErrorAlert message={actionError} />
      <p role="status" className="panel__status" data-testid="capture-status">
        {made !== null &&
          (made === 0 ? t('caseAdmin.capturedNone') : t('caseAdmin.captured', { count: made }))}
      </p>
      <LoadStatus state={state} />
      {state.phase === 'done' && captures.length === 0 && <p>{t('caseAdmin.noCaptures')}</p>}
      {captures.length > 0 && (
        <ol className="evidence__reports" data-testid="captures">
          {captures.map((capture) => (
            <li
              key={capture.id}
              data-capture-id={capture.id}
              data-outcome={capture.outcome}
              data-new={fresh.has(capture.id)}
            >
              <p className="evidence__meta">
                {fresh.has(capture.id) && (
                  <>
                    <strong>{t('caseAdmin.newCapture')}</strong>
                    {' · '}
                  </>
                )}
                <TaipeiTime iso={capture.completedAt} />
                {' · '}
                {t(`caseAdmin.outcome.${capture.outcome}`)}
                {capture.status !== null && ` · HTTP ${capture.status}`}
              </p>
              <p>
                <span className="evidence__label">{t('evidence.url')}</span>{' '}
                <code className="break">{capture.url}</code>
              </p>
              {capture.finalUrl !== null && capture.finalUrl !== capture.url && (
                <p>
                  <span className="evidence__label">{t('caseAdmin.finalUrl')}</span>{' '}
                  <code className="break">{capture.finalUrl}</code>
                </p>
              )}
              {capture.title !== null && capture.title !== '' && (
                <p className="evidence__title">{capture.title}</p>
              )}
              {capture.error !== null && (
                <p>
                  {t('caseAdmin.captureError')} <code className="break">{capture.error.code}</code>{' '}
                  {capture.error.message}
                </p>
              )}
              {capture.bodySha256 !== null && (
                <p>
                  <span className="evidence__label">{t('caseAdmin.bodyHash')}</span>{' '}
                  <code className="break">{capture.bodySha256}</code>
                  {capture.bodySize !== null &&
                    ` (${t('caseAdmin.bytes', { count: capture.bodySize })})`}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
