import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  KEY_SOURCE_KINDS,
  createApiKey,
  getApiKeys,
  revokeApiKey,
  type ApiKey,
  type SourceKind,
} from '../api-admin';
import { errorText } from '../errors';
import { ApiError } from '../http';
import { formatTaipeiTime } from '../query';
import { ScopeFields, scopeOf, scopeText, ShownOnce, type ScopeDraft } from './account-scope';
import { AccountList, useAccountRows } from './account-list';
import { InputField, RequiredSelectField } from './field';

/**
 * The API keys of machine clients: a table of them (revoke, after a second click) and a form to
 * create one, whose key is shown once.
 */
export function ApiKeys() {
  const { t, i18n } = useTranslation();
  const rows = useAccountRows((signal) => getApiKeys(signal), []);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ScopeDraft>({ role: 'reporter', entities: '', platform: '' });
  const [sourceKind, setSourceKind] = useState<SourceKind>('citizen');
  const [sourceName, setSourceName] = useState('');
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
      const sourced = scope.role === 'reporter' && sourceKind !== 'citizen';
      const result = await createApiKey({
        name: name.trim(),
        ...scopeOf(scope),
        ...(sourced && { sourceKind, sourceName: sourceName.trim() }),
      });
      setFormError(null);
      setCreated({ name: result.apiKey.name, key: result.key });
      rows.update((list) => [result.apiKey, ...list]);
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
    await rows.change(() => revokeApiKey(key.id));
  }

  return (
    <AccountList
      heading={t('users.keys')}
      add={t('users.addKey')}
      submit={t('users.createKey')}
      onCreate={onCreate}
      formError={formError}
      fields={(link) => (
        <>
          <InputField label={t('users.keyName')} {...link} value={name} onChange={setName} />
          <ScopeFields value={scope} onChange={setScope} />
          {scope.role === 'reporter' && (
            <RequiredSelectField
              label={t('users.sourceKind')}
              hint={t('users.sourceKindHint')}
              hintBelow
              value={sourceKind}
              values={KEY_SOURCE_KINDS}
              text={(kind) => t(`sourceKind.${kind}`)}
              onChange={setSourceKind}
            />
          )}
          {scope.role === 'reporter' && sourceKind !== 'citizen' && (
            <InputField
              label={t('users.sourceName')}
              hint={t('users.sourceNameHint')}
              hintBelow
              spellCheck={false}
              value={sourceName}
              onChange={setSourceName}
            />
          )}
        </>
      )}
      created={
        created !== null && (
          <ShownOnce label={t('users.keyFor', { name: created.name })} secret={created.key} />
        )
      }
      rows={rows}
      testId="api-keys"
      head={[
        t('users.keyName'),
        t('users.keyId'),
        t('users.role'),
        t('users.scope'),
        t('users.source'),
        t('users.lastUsed'),
        t('users.state'),
        t('users.actions'),
      ]}
      row={(key) => (
        <tr key={key.id} data-key-id={key.id}>
          <th scope="row">{key.name}</th>
          <td>
            <code>snk_{key.id}_…</code>
          </td>
          <td>{t(`role.${key.role}`)}</td>
          <td>{scopeText(t, key)}</td>
          <td>
            {t(`sourceKind.${key.sourceKind}`)}
            {key.sourceName !== null && ` · ${key.sourceName}`}
          </td>
          <td>{key.lastUsedAt === null ? '—' : formatTaipeiTime(key.lastUsedAt, i18n.language)}</td>
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
      )}
    />
  );
}
