import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { PLATFORMS, type Platform } from '../api';
import {
  createApiKey,
  createUserAccount,
  getApiKeys,
  getUsers,
  revokeApiKey,
  setUserDisabled,
  type ApiKey,
  type ScopedInput,
  type UserAccount,
} from '../api-admin';
import { ACCOUNT_ROLES, type AccountRole } from '../api-auth';
import { Field } from '../components/field';
import { LoadStatus } from '../components/load-status';
import { RequireRole } from '../components/require-role';
import { StaffNav } from '../components/staff-nav';
import { useDocumentTitle } from '../document-title';
import { errorText } from '../errors';
import { ApiError } from '../http';
import { formatTaipeiTime } from '../query';
import { isOneOf } from '../reader';
import { useLoad } from '../use-load';

/**
 * `/staff/users` (admins): accounts (create with a generated password shown once, disable,
 * re-enable) and API keys for machine clients (create, shown once; revoke). Verifiers are scoped
 * to entities and platform liaisons to a platform.
 */
export function UsersPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('users.title'));
  return (
    <>
      <h1 tabIndex={-1}>{t('users.title')}</h1>
      <RequireRole roles={['admin']}>
        {(me) => (
          <>
            <StaffNav me={me} />
            <Users />
            <ApiKeys />
          </>
        )}
      </RequireRole>
    </>
  );
}

function scopeText(t: TFunction, scope: ScopedInput): string {
  if (scope.role === 'verifier') return (scope.entityIds ?? []).join(', ') || '—';
  if (scope.role === 'platform_liaison' && scope.platform !== undefined) {
    return t(`platform.${scope.platform}`);
  }
  return '—';
}

/** Role, entities (verifiers) and platform (liaisons): the scope shared by accounts and keys. */
function ScopeFields({
  value,
  onChange,
}: {
  value: { role: AccountRole; entities: string; platform: Platform | '' };
  onChange: (value: { role: AccountRole; entities: string; platform: Platform | '' }) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Field label={t('users.role')}>
        {(control) => (
          <select
            {...control}
            value={value.role}
            onChange={(event) => {
              const role = event.target.value;
              if (isOneOf(ACCOUNT_ROLES, role)) onChange({ ...value, role });
            }}
          >
            {ACCOUNT_ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`role.${role}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {value.role === 'verifier' && (
        <Field label={t('users.entities')} hint={t('users.entitiesHint')} hintBelow>
          {(control) => (
            <input
              {...control}
              type="text"
              spellCheck={false}
              value={value.entities}
              onChange={(event) => onChange({ ...value, entities: event.target.value })}
            />
          )}
        </Field>
      )}
      {value.role === 'platform_liaison' && (
        <Field label={t('case.platform')}>
          {(control) => (
            <select
              {...control}
              value={value.platform}
              onChange={(event) => {
                const platform = event.target.value;
                onChange({ ...value, platform: isOneOf(PLATFORMS, platform) ? platform : '' });
              }}
            >
              <option value="">{t('users.choosePlatform')}</option>
              {PLATFORMS.map((platform) => (
                <option key={platform} value={platform}>
                  {t(`platform.${platform}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
    </>
  );
}

function scopeOf(value: {
  role: AccountRole;
  entities: string;
  platform: Platform | '';
}): ScopedInput {
  const entityIds = value.entities
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return {
    role: value.role,
    ...(value.role === 'verifier' && { entityIds }),
    ...(value.role === 'platform_liaison' && value.platform !== '' && { platform: value.platform }),
  };
}

/** A secret shown once: in a box that says so, as text to copy. */
function ShownOnce({ label, secret }: { label: string; secret: string }) {
  const { t } = useTranslation();
  return (
    <div className="alert alert--success" role="status" data-testid="shown-once">
      <p>{t('users.shownOnce', { what: label })}</p>
      <code className="secret break">{secret}</code>
    </div>
  );
}

function Users() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const { state, update } = useLoad((signal) => getUsers(signal), []);
  const users = state.phase === 'done' ? state.data : null;
  // A failed disable/enable (the list's own failure is shown by LoadStatus).
  const [error, setError] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [scope, setScope] = useState<{
    role: AccountRole;
    entities: string;
    platform: Platform | '';
  }>({ role: 'verifier', entities: '', platform: '' });
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
        <form className="form form--grid" onSubmit={onCreate} noValidate>
          <Field
            label={t('signIn.email')}
            invalid={formError !== null}
            describedBy={[formError !== null && `${id}-err`]}
          >
            {(control) => (
              <input
                {...control}
                type="email"
                autoComplete="off"
                value={email}
                onChange={(event) => setEmail(event.target.value)}
              />
            )}
          </Field>
          <Field label={t('users.name')} optional>
            {(control) => (
              <input
                {...control}
                type="text"
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
            )}
          </Field>
          <ScopeFields value={scope} onChange={setScope} />
          {formError !== null && (
            <p className="alert alert--error field--full" role="alert" id={`${id}-err`}>
              {formError}
            </p>
          )}
          <button type="submit" className="button">
            {t('users.create')}
          </button>
        </form>
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
      {error !== null && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      <LoadStatus state={state} />
      {users !== null && (
        <div className="table-wrap" role="region" aria-labelledby={`${id}-h`} tabIndex={0}>
          <table className="table" data-testid="users">
            <thead>
              <tr>
                <th scope="col">{t('signIn.email')}</th>
                <th scope="col">{t('users.name')}</th>
                <th scope="col">{t('users.role')}</th>
                <th scope="col">{t('users.scope')}</th>
                <th scope="col">{t('users.state')}</th>
                <th scope="col">{t('users.lastLogin')}</th>
                <th scope="col">{t('users.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} data-user-id={user.id}>
                  <th scope="row" className="break">
                    {user.email}
                  </th>
                  <td>{user.displayName}</td>
                  <td>{t(`role.${user.role}`)}</td>
                  <td>
                    {scopeText(t, {
                      role: user.role,
                      entityIds: user.entityIds,
                      ...(user.platform !== null && { platform: user.platform }),
                    })}
                  </td>
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
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ApiKeys() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const { state, update } = useLoad((signal) => getApiKeys(signal), []);
  const keys = state.phase === 'done' ? state.data : null;
  // A failed revocation (the list's own failure is shown by LoadStatus).
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<{
    role: AccountRole;
    entities: string;
    platform: Platform | '';
  }>({ role: 'reporter', entities: '', platform: '' });
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated(null);
    if (name.trim() === '') {
      setFormError(t('users.keyNameRequired'));
      return;
    }
    try {
      const result = await createApiKey({ name: name.trim(), ...scopeOf(scope) });
      setFormError(null);
      setCreated({ name: result.apiKey.name, key: result.key });
      update((list) => [result.apiKey, ...list]);
      setName('');
    } catch (caught) {
      setFormError(
        caught instanceof ApiError && caught.field !== undefined
          ? `${errorText(t, caught)} (${caught.field})`
          : errorText(t, caught),
      );
    }
  }

  async function revoke(key: ApiKey) {
    if (confirming !== key.id) {
      setConfirming(key.id);
      return;
    }
    setConfirming(null);
    try {
      const updated = await revokeApiKey(key.id);
      update((list) => list.map((k) => (k.id === updated.id ? updated : k)));
    } catch (caught) {
      setError(errorText(t, caught));
    }
  }

  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('users.keys')}</h2>
      <details className="panel">
        <summary>{t('users.addKey')}</summary>
        <form className="form form--grid" onSubmit={onCreate} noValidate>
          <Field
            label={t('users.keyName')}
            invalid={formError !== null}
            describedBy={[formError !== null && `${id}-err`]}
          >
            {(control) => (
              <input
                {...control}
                type="text"
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
            )}
          </Field>
          <ScopeFields value={scope} onChange={setScope} />
          {formError !== null && (
            <p className="alert alert--error field--full" role="alert" id={`${id}-err`}>
              {formError}
            </p>
          )}
          <button type="submit" className="button">
            {t('users.createKey')}
          </button>
        </form>
        {created !== null && (
          <ShownOnce label={t('users.keyFor', { name: created.name })} secret={created.key} />
        )}
      </details>
      {error !== null && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      <LoadStatus state={state} />
      {keys !== null && (
        <div className="table-wrap" role="region" aria-labelledby={`${id}-h`} tabIndex={0}>
          <table className="table" data-testid="api-keys">
            <thead>
              <tr>
                <th scope="col">{t('users.keyName')}</th>
                <th scope="col">{t('users.keyId')}</th>
                <th scope="col">{t('users.role')}</th>
                <th scope="col">{t('users.scope')}</th>
                <th scope="col">{t('users.lastUsed')}</th>
                <th scope="col">{t('users.state')}</th>
                <th scope="col">{t('users.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id} data-key-id={key.id}>
                  <th scope="row">{key.name}</th>
                  <td>
                    <code>snk_{key.id}_…</code>
                  </td>
                  <td>{t(`role.${key.role}`)}</td>
                  <td>
                    {scopeText(t, {
                      role: key.role,
                      entityIds: key.entityIds,
                      ...(key.platform !== null && { platform: key.platform }),
                    })}
                  </td>
                  <td>
                    {key.lastUsedAt === null
                      ? '—'
                      : formatTaipeiTime(key.lastUsedAt, i18n.language)}
                  </td>
                  <td>{key.revokedAt === null ? t('users.active') : t('users.revoked')}</td>
                  <td>
                    {key.revokedAt === null && (
                      <button
                        type="button"
                        className="button button--secondary"
                        onClick={() => void revoke(key)}
                      >
                        {confirming === key.id ? t('users.confirmRevoke') : t('users.revoke')}
                        <span className="visually-hidden"> {key.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
