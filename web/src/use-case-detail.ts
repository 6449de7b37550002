import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getCase, getTimeline, type CaseDetail, type Timeline } from './api';
import { errorText } from './errors';
import { STAFF_ROLES, useRole, useSession } from './session';

/** Where the case stands: loading, loaded, or failed with a message to show. */
export type CaseState =
  { phase: 'loading' } | { phase: 'done'; kase: CaseDetail } | { phase: 'failed'; message: string };

/**
 * The case `id` and its timeline, loaded once the session is known: whoever is signed in asks
 * with their credential (staff who may see the case's personal data get it; staff get the audit
 * events in the timeline). A missing timeline leaves `timeline` null (the page shows the case
 * without it). `show` puts a changed case on screen at once (from a save's response);
 * `reload` fetches the case and its timeline again.
 */
export function useCaseDetail(id: string) {
  const { t } = useTranslation();
  const session = useSession();
  const staff = useRole(STAFF_ROLES) !== null;
  const signedIn = session.state.phase === 'signed-in';
  const sessionKnown = session.state.phase !== 'loading';
  const [state, setState] = useState<CaseState>({ phase: 'loading' });
  const [timeline, setTimeline] = useState<Timeline | null>(null);

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

  const loadCase = useCallback(
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
    void loadCase(controller.signal);
    return () => controller.abort();
  }, [loadCase, sessionKnown]);

  return {
    state,
    timeline,
    show: (kase: CaseDetail) => setState({ phase: 'done', kase }),
    reload: () => {
      void loadCase();
      void loadTimeline();
    },
  };
}
