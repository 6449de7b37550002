import { useId, useState, type DependencyList, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../errors';
import { replaceById, useLoad, type Load } from '../use-load';
import { DataTable } from './data-table';
import { ErrorAlert } from './error-alert';
import { errorLink } from './field';
import { GridForm } from './grid-form';
import { LoadStatus } from './load-status';

/** The loaded rows of an AccountList, with the error of the last failed `change` of a row. */
export interface AccountRows<T> extends Load<T[]> {
  error: string | null;
  /** Runs `request`, which answers with a row, and puts that row in place of its old self. */
  change: (request: () => Promise<T>) => Promise<void>;
}

/**
 * Loads the rows of an AccountList (`useLoad` of `load`, again when `deps` change) and gives the
 * way to change one: a request's failure is kept, as text, for the list to show.
 */
export function useAccountRows<T extends { id: string }>(
  load: (signal: AbortSignal) => Promise<T[]>,
  deps: DependencyList,
): AccountRows<T> {
  const { t } = useTranslation();
  const { state, update } = useLoad(load, deps);
  const [error, setError] = useState<string | null>(null);
  async function change(request: () => Promise<T>) {
    try {
      const updated = await request();
      update((list) => replaceById(list, updated));
    } catch (caught) {
      setError(errorText(t, caught));
    }
  }
  return { state, update, error, change };
}

/**
 * A section of accounts (people's or machine clients'): its heading, a form to create one folded
 * in a `<details>` (`add` opens it; `fields` are its fields, the first given `errorLink` props to
 * carry the form's error `formError`; `created` says what was made, shown once), then the `rows`
 * (their load state, the error of a failed change of one) and their table (`testId`, `head`), one
 * `row` (a `<tr>`) each.
 */
export function AccountList<T>({
  heading,
  add,
  submit,
  onCreate,
  formError,
  fields,
  created,
  rows,
  testId,
  head,
  row,
}: {
  heading: string;
  add: string;
  submit: string;
  onCreate: (event: FormEvent<HTMLFormElement>) => void | Promise<void>;
  formError: string | null;
  fields: (link: ReturnType<typeof errorLink>) => ReactNode;
  created: ReactNode;
  rows: AccountRows<T>;
  testId: string;
  head: readonly ReactNode[];
  row: (item: T) => ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-err`;
  const { state, error } = rows;
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{heading}</h2>
      <details className="panel">
        <summary>{add}</summary>
        <GridForm onSubmit={onCreate} error={formError} errorId={errorId} submit={submit}>
          {fields(errorLink(formError, errorId))}
        </GridForm>
        {created}
      </details>
      <ErrorAlert message={error} />
      <LoadStatus state={state} />
      {state.phase === 'done' && (
        <DataTable labelledBy={`${id}-h`} testId={testId} head={head}>
          {state.data.map(row)}
        </DataTable>
      )}
    </section>
  );
}
