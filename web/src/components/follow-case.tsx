import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchVapidPublicKey, followCase, unfollowCase } from '../api-followers';
import { toLanguage } from '../i18n';

const STORAGE_PREFIX = 'scamnet.follow.';

function storedToken(caseId: string): string | null {
  try {
    return window.localStorage.getItem(STORAGE_PREFIX + caseId);
  } catch {
    return null;
  }
}

function storeToken(caseId: string, token: string | null): void {
  try {
    if (token === null) window.localStorage.removeItem(STORAGE_PREFIX + caseId);
    else window.localStorage.setItem(STORAGE_PREFIX + caseId, token);
  } catch {
    // not remembered: this page still shows the outcome
  }
}

/** True when this browser can receive Web Push (service workers, the Push API, notifications). */
function pushSupported(): boolean {
  return (
    typeof window !== 'undefined' &&
    'serviceWorker' in navigator &&
    'PushManager' in window &&
    'Notification' in window
  );
}

/** A base64url string as the bytes PushManager.subscribe takes for applicationServerKey. */
function base64UrlBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  const binary = window.atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

type Phase =
  | { kind: 'hidden' }
  | { kind: 'ready'; key: string }
  | { kind: 'working'; key: string }
  | { kind: 'following'; key: string; token: string }
  | { kind: 'failed'; key: string; message: string };

/**
 * "Follow this case" (issue 15): with the person's permission, subscribes this browser to Web Push
 * (service worker /sw.js) and makes the subscription a follower of the case, told in the page's
 * language once the case is decided or its content removed; "stop following" uses the token kept
 * in this browser. No account. Hidden when the browser cannot receive push messages or the site
 * has no VAPID key (WEB_PUSH_* unset).
 */
export function FollowCase({ caseId }: { caseId: string }) {
  const { t, i18n } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ kind: 'hidden' });

  useEffect(() => {
    if (!pushSupported()) return undefined;
    let live = true;
    fetchVapidPublicKey()
      .then((key) => {
        if (!live || key === null) return;
        const token = storedToken(caseId);
        setPhase(token === null ? { kind: 'ready', key } : { kind: 'following', key, token });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [caseId]);

  if (phase.kind === 'hidden') return null;

  async function follow(key: string): Promise<void> {
    setPhase({ kind: 'working', key });
    try {
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        setPhase({ kind: 'failed', key, message: t('follow.denied') });
        return;
      }
      const registration = await navigator.serviceWorker.register('/sw.js');
      await navigator.serviceWorker.ready;
      const subscription =
        (await registration.pushManager.getSubscription()) ??
        (await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: base64UrlBytes(key),
        }));
      const token = await followCase(caseId, subscription.toJSON(), toLanguage(i18n.language));
      storeToken(caseId, token);
      setPhase({ kind: 'following', key, token });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      setPhase({ kind: 'failed', key, message: t('follow.failed', { detail }) });
    }
  }

  async function stop(key: string, token: string): Promise<void> {
    setPhase({ kind: 'working', key });
    try {
      await unfollowCase(token);
      storeToken(caseId, null);
      setPhase({ kind: 'ready', key });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      setPhase({ kind: 'failed', key, message: t('follow.failed', { detail }) });
    }
  }

  return (
    <section className="follow-case" aria-labelledby={`follow-${caseId}`} data-testid="follow-case">
      <h2 id={`follow-${caseId}`}>{t('follow.heading')}</h2>
      <p>{t('follow.explain')}</p>
      {phase.kind === 'following' ? (
        <>
          <p role="status" data-testid="follow-status">
            {t('follow.following')}
          </p>
          <p>
            {t('follow.unfollowLink')}{' '}
            <Link to={`/unfollow/${encodeURIComponent(phase.token)}`} data-testid="unfollow-link">
              {`${window.location.origin}/unfollow/${phase.token}`}
            </Link>
          </p>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => void stop(phase.key, phase.token)}
          >
            {t('follow.stop')}
          </button>
        </>
      ) : (
        <button
          type="button"
          className="button"
          disabled={phase.kind === 'working'}
          onClick={() => void follow(phase.key)}
        >
          {phase.kind === 'working' ? t('follow.working') : t('follow.button')}
        </button>
      )}
      {phase.kind === 'failed' && (
        <p className="alert alert--error" role="alert">
          {phase.message}
        </p>
      )}
    </section>
  );
}
