import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { SignInForm } from '../components/sign-in-form';
import { useDocumentTitle } from '../document-title';
import { homeOf, useSession } from '../session';

/** A path inside this site to go to after signing in (`?next=/staff`); anything else is ignored. */
function safeNext(value: string | null): string | null {
  return value !== null && value.startsWith('/') && !value.startsWith('//') ? value : null;
}

/**
 * `/signin`: sign in with e-mail and password, or with the admin token (the bootstrap admin).
 * Then on to `?next=` or the role's start page (verifier queue, staff console, platform notices).
 */
export function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { state } = useSession();
  useDocumentTitle(t('signIn.title'));
  const next = safeNext(params.get('next'));

  return (
    <>
      <h1 tabIndex={-1}>{t('signIn.title')}</h1>
      <p className="lead">{t('signIn.intro')}</p>
      {state.phase === 'signed-in' ? (
        <p>
          {t('signIn.already', { role: t(`role.${state.me.role}`) })}{' '}
          <Link to={homeOf(state.me.role)}>{t('signIn.continue')}</Link>
        </p>
      ) : (
        <>
          {state.phase === 'signed-out' && state.expired && (
            <p className="alert alert--error" role="alert">
              {t('signIn.expired')}
            </p>
          )}
          <SignInForm onSignedIn={(me) => void navigate(next ?? homeOf(me.role))} />
        </>
      )}
    </>
  );
}
