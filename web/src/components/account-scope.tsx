import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { PLATFORMS, type Platform } from '../api';
import type { ScopedInput } from '../api-admin';
import { ACCOUNT_ROLES, type AccountRole } from '../api-auth';
import { InputField, RequiredSelectField, SelectField } from './field';

/** An account's or API key's scope as typed: entity IDs as one text, '' for no platform. */
export interface ScopeDraft {
  role: AccountRole;
  entities: string;
  platform: Platform | '';
}

/** The scope as a table shows it: a verifier's entities, a liaison's platform, else "—". */
export function scopeText(
  t: TFunction,
  holder: { role: AccountRole; entityIds: string[]; platform: Platform | null },
): string {
  if (holder.role === 'verifier') return holder.entityIds.join(', ') || '—';
  if (holder.role === 'platform_liaison' && holder.platform !== null) {
    return t(`platform.${holder.platform}`);
  }
  return '—';
}

/** Role, entities (verifiers) and platform (liaisons): the scope shared by accounts and keys. */
export function ScopeFields({
  value,
  onChange,
}: {
  value: ScopeDraft;
  onChange: (value: ScopeDraft) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <RequiredSelectField
        label={t('users.role')}
        value={value.role}
        values={ACCOUNT_ROLES}
        text={(role) => t(`role.${role}`)}
        onChange={(role) => onChange({ ...value, role })}
      />
      {value.role === 'verifier' && (
        <InputField
          label={t('users.entities')}
          hint={t('users.entitiesHint')}
          hintBelow
          spellCheck={false}
          value={value.entities}
          onChange={(entities) => onChange({ ...value, entities })}
        />
      )}
      {value.role === 'platform_liaison' && (
        <SelectField
          label={t('case.platform')}
          value={value.platform}
          values={PLATFORMS}
          text={(platform) => t(`platform.${platform}`)}
          empty={t('users.choosePlatform')}
          onChange={(platform) => onChange({ ...value, platform })}
        />
      )}
    </>
  );
}

/** The scope of a request body: entities only for verifiers, a platform only for liaisons. */
export function scopeOf(value: ScopeDraft): ScopedInput {
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
export function ShownOnce({ label, secret }: { label: string; secret: string }) {
  const { t } = useTranslation();
  return (
    <div className="alert alert--success" role="status" data-testid="shown-once">
      <p>{t('users.shownOnce', { what: label })}</p>
      <code className="secret break">{secret}</code>
    </div>
  );
}
