import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { createUserAccount, getUsers, setUserDisabled, type UserAccount } from '../api-admin';
import { errorText } from '../errors';
import { formatTaipeiTime } from '../query';
import { useLoad } from '../use-load';
import { ScopeFields, scopeOf, scopeText, ShownOnce, type ScopeDraft } from './account-scope';
import { GridForm } from './grid-form';
import { InputField } from './field';
import { LoadStatus } from './load-status';
import { ErrorAlert } from './error-alert';
import { DataTable } from './data-table';

/**
 * The accounts: a table of them (disable, enable) and a form to add one, whose generated
 * password is shown once.
 */
export function UserAccounts() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const { state, update } = useLoad((signal) => getUsers(signal), []);
  const users = state.phase === 'done' ? state.data : null;
  // A failed disable/enable (the list's own failure is shown by LoadStatus).
  const [error, setError] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ScopeDraft>({ role: 'verifier', entities: '', platform: '' });
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ email: string; password: string | null } | null>(null);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated(null);
    if (email.trim() === '') {
      setFormError(t('users.emailRequired'));
      return;
    }
    try {
      const result = await createUserAccount({
        email: email.trim(),
        ...(name.trim() !== '' && { displayName: name.trim() }),
        ...scopeOf(scope),
      });
      setFormError(null);
      setCreated({ email: result.user.email, password: result.generatedPassword });
      update((list) => [...list, result.user]);
      setEmail('');
      setName('');
    } catch (caught) {
      setFormError(errorText(t, caught));
    }
  }

  async function toggle(user: UserAccount) {
    try {
      const updated = await setUserDisabled(user.id, user.disabledAt === null);
      update((list) => list.map((u) => (u.id === updated.id ? updated : u)));
    } catch (caught) {
      setError(errorText(t, caught));
    }
  }

  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('users.accounts')}</h2>
      <details className="panel">
        <summary>{t('users.add')}</summary>
        <GridForm
          onSubmit={onCreate}
          error={formError}
          errorId={`${id}-err`}
          submit={t('users.create')}
        >
          <InputField
            label={t('signIn.email')}
            invalid={formError !== null}
            describedBy={[formError !== null && `${id}-err`]}
            type="email"
            autoComplete="off"
            value={email}
            onChange={setEmail}
          />
          <InputField label={t('users.name')} optional value={name} onChange={setName} />
          <ScopeFields value={scope} onChange={setScope} />
        </GridForm>
        {created !== null &&
          (created.password === null ? (
            <p role="status">{t('users.created', { email: created.email })}</p>
          ) : (
            <ShownOnce
              label={t('users.passwordFor', { email: created.email })}
              secret={created.password}
            />
          ))}
      </details>
      <ErrorAlert message={error} />
      <LoadStatus state={state} />
      {users !== null && (
        <DataTable
          labelledBy={`${id}-h`}
          testId="users"
          head={[
            t('signIn.email'),
            t('users.name'),
            t('users.role'),
            t('users.scope'),
            t('users.state'),
            t('users.lastLogin'),
            t('users.actions'),
          ]}
        >
          {users.map((user) => (
            <tr key={user.id} data-user-id={user.id}>
              <th scope="row" className="break">
                {user.email}
              </th>
              <td>{user.displayName}</td>
              <td>{t(`role.${user.role}`)}</td>
              <td>{scopeText(t, user)}</td>
              <td>{user.disabledAt === null ? t('users.active') : t('users.disabled')}</td>
              <td>
                {user.lastLoginAt === null
                  ? '—'
                  : formatTaipeiTime(user.lastLoginAt, i18n.language)}
              </td>
              <td>
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => void toggle(user)}
                >
                  {user.disabledAt === null ? t('entities.disable') : t('entities.enable')}
                  <span className="visually-hidden"> {user.email}</span>
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
