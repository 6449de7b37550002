import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { unfollowCase } from '../api-followers';
import { useDocumentTitle } from '../document-title';

/**
 * `/unfollow/:token`: the link that stops following a case (issue 15), usable from any browser
 * without an account. Opening it changes nothing (link previews and prefetchers open links); the
 * button does (`DELETE /api/v1/followers/{token}`).
 */
export function UnfollowPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const [phase, setPhase] = useState<'ready' | 'working' | 'done' | 'failed'>('ready');
  useDocumentTitle(t('follow.unfollowTitle'));

  async function stop(): Promise<void> {
    setPhase('working');
    try {
      await unfollowCase(token);
      setPhase('done');
    } catch {
      setPhase('failed');
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>{t('follow.unfollowTitle')}</h1>
      {phase === 'done' ? (
        <p className="alert alert--success" role="status" data-testid="unfollow-done">
          {t('follow.unfollowed')}
        </p>
      ) : (
        <>
          <p>{t('follow.unfollowExplain')}</p>
          <button
            type="button"
            className="button"
            disabled={phase === 'working'}
            onClick={() => void stop()}
          >
            {t('follow.stop')}
          </button>
        </>
      )}
      {phase === 'failed' && (
        <p className="alert alert--error" role="alert">
          {t('follow.unfollowFailed')}
        </p>
      )}
      <p>
        <Link to="/">{t('common.backHome')}</Link>
      </p>
    </>
  );
}
