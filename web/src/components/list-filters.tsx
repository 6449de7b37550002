import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { errorText } from '../errors';
import { ApiError } from '../http';
import { AGE_FILTERS, type AgeFilter } from '../paging';
import { isOneOf } from '../reader';
import { Field, SelectField } from './field';

/**
 * The filters of a staff list kept in the address, so a view can be shared and Back works:
 * `set` changes some of them at once and drops the page (`pageParam`): a new filter starts at page
 * one. The address is replaced, not pushed, so typing filters does not fill the history.
 */
export function useFilterParams(pageParam = 'page') {
  const [params, setParams] = useSearchParams();
  return {
    params,
    /** A filter's value, or '' when absent. */
    get: (key: string) => params.get(key) ?? '',
    /** The `age` filter, or '' when absent or unknown. */
    age: (key = 'age'): AgeFilter | '' => {
      const value = params.get(key);
      return isOneOf(AGE_FILTERS, value) ? value : '';
    },
    set: (changes: Record<string, string>) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.delete(pageParam);
          for (const [key, value] of Object.entries(changes)) {
            if (value === '') next.delete(key);
            else next.set(key, value);
          }
          return next;
        },
        { replace: true },
      ),
  };
}

/** A select of the age filters (`lists.ageOption.*`); '' is any age. */
export function AgeSelect({
  label,
  value,
  onChange,
}: {
  label: string;
  value: AgeFilter | '';
  onChange: (value: AgeFilter | '') => void;
}) {
  const { t } = useTranslation();
  return (
    <SelectField
      label={label}
      value={value}
      values={AGE_FILTERS}
      text={(age) => t(`lists.ageOption.${age}`)}
      empty={t('lists.ageOption.any')}
      onChange={onChange}
    />
  );
}

/** One text field of a SearchForm: its address key, label, hint and current (applied) value. */
export interface SearchField {
  key: string;
  label: string;
  hint?: string;
  value: string;
}

/**
 * Text searches applied together with a button (not on every key: each search is a query on the
 * server), and a button that clears them. A failed load whose error names one of the fields
 * (`loadError`, e.g. 400 `invalid_indicator` on `indicator`) is shown beside that field.
 */
export function SearchForm({
  legend,
  fields,
  onApply,
  loadError,
}: {
  legend: string;
  fields: readonly SearchField[];
  onApply: (values: Record<string, string>) => void;
  loadError?: unknown;
}) {
  const { t } = useTranslation();
  const applied = fields.map((field) => field.value).join('\u0000');
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((field) => [field.key, field.value])),
  );
  // A new address (Back, a shared link, "clear") shows what is applied.
  useEffect(() => {
    setValues(Object.fromEntries(fields.map((field) => [field.key, field.value])));
  }, [applied]);

  const fieldError =
    loadError instanceof ApiError && fields.some((field) => field.key === loadError.field)
      ? { key: loadError.field, message: errorText(t, loadError) }
      : null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply(
      Object.fromEntries(fields.map((field) => [field.key, (values[field.key] ?? '').trim()])),
    );
  }

  return (
    <form className="search-form" onSubmit={onSubmit} noValidate role="search" aria-label={legend}>
      {fields.map((field) => (
        <Field
          key={field.key}
          label={field.label}
          hint={field.hint}
          hintBelow
          error={fieldError?.key === field.key ? fieldError.message : null}
        >
          {(control) => (
            <input
              {...control}
              type="search"
              spellCheck={false}
              value={values[field.key] ?? ''}
              onChange={(event) =>
                setValues((current) => ({ ...current, [field.key]: event.target.value }))
              }
            />
          )}
        </Field>
      ))}
      <div className="notice-actions">
        <button type="submit" className="button">
          {t('lists.apply')}
        </button>
        {fields.some((field) => field.value !== '') && (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => onApply(Object.fromEntries(fields.map((field) => [field.key, ''])))}
          >
            {t('lists.clear')}
          </button>
        )}
      </div>
    </form>
  );
}

/**
 * The searches of a case list, kept in the address (`filters`): text in the case (`q`) and an
 * indicator it holds (`indicator`).
 */
export function CaseSearchForm({
  legend,
  filters,
  loadError,
}: {
  legend: string;
  filters: ReturnType<typeof useFilterParams>;
  loadError?: unknown;
}) {
  const { t } = useTranslation();
  return (
    <SearchForm
      legend={legend}
      fields={[
        { key: 'q', label: t('lists.text'), hint: t('lists.textHint'), value: filters.get('q') },
        {
          key: 'indicator',
          label: t('lists.indicator'),
          hint: t('lists.indicatorHint'),
          value: filters.get('indicator'),
        },
      ]}
      onApply={(values) => filters.set(values)}
      loadError={loadError}
    />
  );
}
