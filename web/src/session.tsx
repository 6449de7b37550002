import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { getMe, login, logout, type Me, type Role } from './api-auth';
import { clearSessionCookie, onCredentialLost, setCredential } from './http';

/**
 * Who is signed in, for the whole app. A web sign-in lives in the HttpOnly session cookie (the
 * page never sees it) plus its CSRF token in memory; a marker in localStorage (no secret) says
 * "this browser signed in", so a reload asks `GET /api/v1/auth/me` only then and citizens' pages
 * never make a request that must fail. The bootstrap admin token is kept in sessionStorage only
 * (gone when the tab closes; never in localStorage or a cookie).
 */
export type SessionState =
  { phase: 'loading' } | { phase: 'signed-out'; expired: boolean } | { phase: 'signed-in'; me: Me };

interface SessionApi {
  state: SessionState;
  signIn: (email: string, password: string) => Promise<Me>;
  signInWithToken: (token: string) => Promise<Me>;
  signOut: () => Promise<void>;
}

const SIGNED_IN_MARKER = 'scamnet.signedIn';
const TOKEN_KEY = 'scamnet.adminToken';

function storage(kind: 'local' | 'session'): Storage | null {
  try {
    return kind === 'local' ? window.localStorage : window.sessionStorage;
  } catch {
    return null; // storage disabled: nothing survives a reload
  }
}

function remember(kind: 'local' | 'session', key: string, value: string | null): void {
  try {
    const store = storage(kind);
    if (value === null) store?.removeItem(key);
    else store?.setItem(key, value);
  } catch {
    // quota or policy: the sign-in still works for this page
  }
}

function recall(kind: 'local' | 'session', key: string): string | null {
  try {
    return storage(kind)?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

const SessionContext = createContext<SessionApi | null>(null);

/** Provides the sign-in state and actions to the app (see useSession). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ phase: 'loading' });

  useEffect(() => {
    const stop = onCredentialLost(() => {
      // A session that died (expired, signed out elsewhere, account disabled) leaves its cookie
      // behind: clear it now, or later public calls that read credentials would be refused.
      if (recall('session', TOKEN_KEY) === null) void clearSessionCookie();
      remember('local', SIGNED_IN_MARKER, null);
      remember('session', TOKEN_KEY, null);
      setState({ phase: 'signed-out', expired: true });
    });
    const token = recall('session', TOKEN_KEY);
    const marker = recall('local', SIGNED_IN_MARKER);
    if (token !== null && token !== '') {
      setCredential({ kind: 'token', token });
    } else if (marker === null) {
      setState({ phase: 'signed-out', expired: false });
      return stop;
    }
    let cancelled = false;
    getMe().then(
      ({ me, csrfToken }) => {
        if (cancelled) return;
        if (me.via === 'session' && csrfToken !== null) {
          setCredential({ kind: 'session', csrfToken });
        }
        setState({ phase: 'signed-in', me });
      },
      () => {
        if (cancelled) return;
        remember('local', SIGNED_IN_MARKER, null);
        remember('session', TOKEN_KEY, null);
        setCredential({ kind: 'none' });
        // The cookie may be stale: clear it so public pages are not refused with 401.
        if (token === null) void clearSessionCookie();
        setState({ phase: 'signed-out', expired: token === null });
      },
    );
    return () => {
      cancelled = true;
      stop();
    };
  }, []);

  const signIn = useCallback(async (email: string, password: string) => {
    const { me, csrfToken } = await login(email, password);
    setCredential({ kind: 'session', csrfToken });
    remember('session', TOKEN_KEY, null);
    remember('local', SIGNED_IN_MARKER, '1');
    setState({ phase: 'signed-in', me });
    return me;
  }, []);

  const signInWithToken = useCallback(async (token: string) => {
    setCredential({ kind: 'token', token });
    try {
      const { me } = await getMe();
      remember('session', TOKEN_KEY, token);
      setState({ phase: 'signed-in', me });
      return me;
    } catch (error) {
      setCredential({ kind: 'none' });
      throw error;
    }
  }, []);

  const signOut = useCallback(async () => {
    const token = recall('session', TOKEN_KEY);
    try {
      if (token === null) await logout();
    } finally {
      remember('local', SIGNED_IN_MARKER, null);
      remember('session', TOKEN_KEY, null);
      setCredential({ kind: 'none' });
      setState({ phase: 'signed-out', expired: false });
    }
  }, []);

  const value = useMemo(
    () => ({ state, signIn, signInWithToken, signOut }),
    [state, signIn, signInWithToken, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The sign-in state and actions. Must be used under SessionProvider. */
export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in person when their role is one of `roles`, else null. */
export function useRole(roles: readonly Role[]): Me | null {
  const { state } = useSession();
  return state.phase === 'signed-in' && roles.includes(state.me.role) ? state.me : null;
}

export const STAFF_ROLES: readonly Role[] = ['analyst', 'admin'];

/** Where each role starts after signing in. */
export function homeOf(role: Role): string {
  switch (role) {
    case 'verifier':
      return '/verify';
    case 'analyst':
    case 'admin':
      return '/staff';
    case 'platform_liaison':
      return '/platform';
    default:
      return '/';
  }
}
