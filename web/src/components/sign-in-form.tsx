import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../api-auth';
import { errorText } from '../errors';
import { ApiError } from '../http';
import { useSession } from '../session';
import { errorLink, InputField } from './field';
import { ErrorAlert } from './error-alert';

/**
 * Sign in with e-mail and password, or (for the bootstrap admin, before any account exists) with
 * the admin token. Errors are announced and linked to their fields; the server decides.
 */
export function SignInForm({ onSignedIn }: { onSignedIn?: (me: Me) => void }) {
  const { t } = useTranslation();
  const { signIn, signInWithToken } = useSession();
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<{ form: 'password' | 'token'; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(form: 'password' | 'token', action: () => Promise<Me>) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const me = await action();
      onSignedIn?.(me);
    } catch (caught) {
      const message =
        caught instanceof ApiError && caught.status === 401
          ? t(form === 'token' ? 'signIn.badToken' : 'signIn.badCredentials')
          : errorText(t, caught);
      setError({ form, message });
    } finally {
      setBusy(false);
    }
  }

  function onPassword(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (email.trim() === '' || password === '') {
      setError({ form: 'password', message: t('signIn.missing') });
      return;
    }
    void run('password', () => signIn(email.trim(), password));
  }

  function onToken(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (token.trim() === '') {
      setError({ form: 'token', message: t('signIn.tokenMissing') });
      return;
    }
    void run('token', () => signInWithToken(token.trim()));
  }

  const passwordError = error?.form === 'password' ? error.message : null;
  const tokenError = error?.form === 'token' ? error.message : null;

  return (
    <div className="sign-in">
      <form className="form panel" onSubmit={onPassword} noValidate aria-labelledby={`${id}-h`}>
        <h2 id={`${id}-h`}>{t('signIn.withPassword')}</h2>
        <InputField
          label={t('signIn.email')}
          {...errorLink(passwordError, `${id}-perr`)}
          name="email"
          type="email"
          autoComplete="username"
          spellCheck={false}
          value={email}
          onChange={setEmail}
        />
        <InputField
          label={t('signIn.password')}
          {...errorLink(passwordError, `${id}-perr`)}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
        />
        <ErrorAlert message={passwordError} id={`${id}-perr`} />
        <button type="submit" className="button" aria-busy={busy}>
          {t('signIn.submit')}
        </button>
      </form>
      <details className="panel sign-in__token">
        <summary>{t('signIn.withToken')}</summary>
        <form className="form" onSubmit={onToken} noValidate>
          <InputField
            label={t('signIn.token')}
            hint={t('signIn.tokenHint')}
            {...errorLink(tokenError, `${id}-terr`)}
            name="token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={setToken}
          />
          <ErrorAlert message={tokenError} id={`${id}-terr`} />
          <button type="submit" className="button button--secondary" aria-busy={busy}>
            {t('signIn.tokenSubmit')}
          </button>
        </form>
      </details>
    </div>
  );
}
