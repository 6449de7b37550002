import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { createUserAccount, getUsers, setUserDisabled } from '../api-admin';
import { errorText } from '../errors';
import { formatTaipeiTime } from '../query';
import { ScopeFields, scopeOf, scopeText, ShownOnce, type ScopeDraft } from './account-scope';
import { AccountList, useAccountRows } from './account-list';
import { InputField } from './field';

/**
 * The accounts: a table of them (disable, enable) and a form to add one, whose generated
 * password is shown once.
 */
export function UserAccounts() {
  const { t, i18n } = useTranslation();
  const rows = useAccountRows((signal) => getUsers(signal), []);
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
      rows.update((list) => [...list, result.user]);
      setEmail('');
      setName('');
    } catch (caught) {
      setFormError(errorText(t, caught));
    }
  }

  return (
    <AccountList
      heading={t('users.accounts')}
      add={t('users.add')}
      submit={t('users.create')}
      onCreate={onCreate}
      formError={formError}
      fields={(link) => (
        <>
          <InputField
            label={t('signIn.email')}
            {...link}
            type="email"
            autoComplete="off"
            value={email}
            onChange={setEmail}
          />
          <InputField label={t('users.name')} optional value={name} onChange={setName} />
          <ScopeFields value={scope} onChange={setScope} />
        </>
      )}
      created={
        created !== null &&
        (created.password === null ? (
          <p role="status">{t('users.created', { email: created.email })}</p>
        ) : (
          <ShownOnce
            label={t('users.passwordFor', { email: created.email })}
            secret={created.password}
          />
        ))
      }
      rows={rows}
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
      row={(user) => (
        <tr key={user.id} data-user-id={user.id}>
          <th scope="row" className="break">
            {user.email}
          </th>
          <td>{user.displayName}</td>
          <td>{t(`role.${user.role}`)}</td>
          <td>{scopeText(t, user)}</td>
          <td>{user.disabledAt === null ? t('users.active') : t('users.disabled')}</td>
          <td>
            {user.lastLoginAt === null ? '—' : formatTaipeiTime(user.lastLoginAt, i18n.language)}
          </td>
          <td>
            <button
              type="button"
              className="button button--secondary"
              onClick={() =>
                void rows.change(() => setUserDisabled(user.id, user.disabledAt === null))
              }
            >
              {user.disabledAt === null ? t('entities.disable') : t('entities.enable')}
              <span className="visually-hidden"> {user.email}</span>
            </button>
          </td>
        </tr>
      )}
    />
  );
}
