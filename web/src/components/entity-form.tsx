import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import {
  createEntity,
  ENTITY_KINDS,
  updateEntity,
  type Entity,
  type EntityInput,
  type EntityKind,
} from '../api-admin';
import { errorText } from '../errors';
import { ApiError } from '../http';
import { GridForm } from './grid-form';
import { InputField, RequiredSelectField, TextAreaField } from './field';

/** The form's fields as typed: lists as one text ("a, b\nc"), '' for what is left out. */
interface EntityDraft {
  id: string;
  kind: EntityKind;
  nameZh: string;
  nameEn: string;
  aliases: string;
  domains: string;
  contact: string;
}

/** The fields typed one item a line (the list hint describes them). */
const LIST_FIELDS = ['aliases', 'domains'] as const;

/** A refused field (`form` when the error names none this form shows) and why. */
interface DraftError {
  field: string;
  message: string;
}

/** Fields that show their own error; any other error is shown for the whole form. */
const FIELDS_WITH_ERRORS = ['id', 'nameZh', 'contactEmail'];

/** What an entity ID may be (the server's rule): lower-case letters, digits, hyphens. */
const ENTITY_ID = /^[a-z0-9][a-z0-9-]+$/;

function draftOf(entity: Entity | undefined): EntityDraft {
  return {
    id: entity?.id ?? '',
    kind: entity?.kind ?? 'public_figure',
    nameZh: entity?.nameZh ?? '',
    nameEn: entity?.nameEn ?? '',
    aliases: entity?.aliases.join('\n') ?? '',
    domains: entity?.domains.join('\n') ?? '',
    contact: entity?.contactEmail ?? '',
  };
}

/** "a, b\nc" → ["a", "b", "c"]: one item a line, or separated by (full-width) commas. */
function splitList(value: string): string[] {
  return value
    .split(/[\n,，、]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** The request body of a draft: trimmed, with empty optional fields left out. */
function inputOf(draft: EntityDraft): EntityInput {
  return {
    kind: draft.kind,
    nameZh: draft.nameZh.trim(),
    aliases: splitList(draft.aliases),
    domains: splitList(draft.domains),
    ...(draft.nameEn.trim() !== '' && { nameEn: draft.nameEn.trim() }),
    ...(draft.contact.trim() !== '' && { contactEmail: draft.contact.trim() }),
  };
}

/** What the client refuses before sending (a new entity's ID, the Chinese name), or null. */
function checkDraft(t: TFunction, draft: EntityDraft, isNew: boolean): DraftError | null {
  if (isNew && !ENTITY_ID.test(draft.id)) {
    return { field: 'id', message: t('entities.idInvalid') };
  }
  if (draft.nameZh.trim() === '') return { field: 'nameZh', message: t('entities.nameRequired') };
  return null;
}

/**
 * Adds an entity (no `entity`: with its ID, and emptied after saving for the next one) or edits
 * `entity` (its ID stays). `onSaved` gets what the server stored.
 */
export function EntityForm({
  entity,
  onSaved,
}: {
  entity?: Entity;
  onSaved: (entity: Entity) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const isNew = entity === undefined;
  const [draft, setDraft] = useState(() => draftOf(entity));
  const [error, setError] = useState<DraftError | null>(null);
  const [status, setStatus] = useState('');
  const set = (patch: Partial<EntityDraft>) => setDraft((current) => ({ ...current, ...patch }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setStatus('');
    const refused = checkDraft(t, draft, isNew);
    if (refused !== null) {
      setError(refused);
      return;
    }
    try {
      const saved = isNew
        ? await createEntity({ ...inputOf(draft), id: draft.id })
        : await updateEntity(entity.id, inputOf(draft));
      setError(null);
      setStatus(t('entities.saved', { name: saved.nameZh }));
      if (isNew) setDraft(draftOf(undefined));
      onSaved(saved);
    } catch (caught) {
      setError({
        field: caught instanceof ApiError && caught.field !== undefined ? caught.field : 'form',
        message: errorText(t, caught),
      });
    }
  }

  const errorOf = (field: string) => (error?.field === field ? error.message : null);
  const listHint = `${id}-listhint`;

  return (
    <GridForm
      onSubmit={onSubmit}
      error={error !== null && !FIELDS_WITH_ERRORS.includes(error.field) ? error.message : null}
      submit={t('entities.save')}
      status={status}
    >
      {isNew && (
        <InputField
          label={t('entities.id')}
          hint={t('entities.idHint')}
          hintBelow
          error={errorOf('id')}
          spellCheck={false}
          autoCapitalize="off"
          value={draft.id}
          onChange={(id) => set({ id })}
        />
      )}
      <RequiredSelectField
        label={t('entities.kind')}
        value={draft.kind}
        values={ENTITY_KINDS}
        text={(kind) => t(`entityKind.${kind}`)}
        onChange={(kind) => set({ kind })}
      />
      <InputField
        label={t('entities.nameZh')}
        error={errorOf('nameZh')}
        value={draft.nameZh}
        onChange={(nameZh) => set({ nameZh })}
      />
      <InputField
        label={t('entities.nameEn')}
        optional
        lang="en"
        value={draft.nameEn}
        onChange={(nameEn) => set({ nameEn })}
      />
      {LIST_FIELDS.map((field) => (
        <TextAreaField
          key={field}
          label={t(`entities.${field}`)}
          describedBy={[listHint]}
          rows={3}
          value={draft[field]}
          onChange={(value) => set({ [field]: value })}
        />
      ))}
      <p className="field__hint field--full" id={listHint}>
        {t('entities.listHint')}
      </p>
      <InputField
        label={t('entities.contact')}
        optional
        error={errorOf('contactEmail')}
        type="email"
        value={draft.contact}
        onChange={(contact) => set({ contact })}
      />
    </GridForm>
  );
}
