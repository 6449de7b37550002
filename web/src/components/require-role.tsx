import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Me, Role } from '../api-auth';
import { useSession } from '../session';
import { SignInForm } from './sign-in-form';

/**
 * Shows `children(me)` to a signed-in person whose role is one of `roles`; asks everyone else to
 * sign in (or says their role cannot use the page). This only hides controls: the API refuses
 * what a role may not do anyway.
 */
export function RequireRole({
  roles,
  children,
}: {
  roles: readonly Role[];
  children: (me: Me) => ReactNode;
}) {
  const { t } = useTranslation();
  const { state } = useSession();
  if (state.phase === 'loading') return <p role="status">{t('common.loading')}</p>;
  if (state.phase === 'signed-out') {
    return (
      <>
        {state.expired && (
          <p className="alert alert--error" role="alert">
            {t('signIn.expired')}
          </p>
        )}
        <p>{t('signIn.needed')}</p>
        <SignInForm />
      </>
    );
  }
  if (!roles.includes(state.me.role)) {
    return (
      <>
        <p className="alert alert--error" role="alert">
          {t('signIn.wrongRole', { role: t(`role.${state.me.role}`) })}
        </p>
        <p>
          <Link to="/">{t('common.backHome')}</Link>
        </p>
      </>
    );
  }
  return <>{children(state.me)}</>;
}
