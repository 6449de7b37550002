import { useId, type FormEvent, type ReactNode } from 'react';
import type { LoadState } from '../use-load';
import { DataTable } from './data-table';
import { ErrorAlert } from './error-alert';
import { errorLink } from './field';
import { GridForm } from './grid-form';
import { LoadStatus } from './load-status';

/**
 * A section of accounts (people's or machine clients'): its heading, a form to create one folded
 * in a `<details>` (`add` opens it; `fields` are its fields, the first given `errorLink` props to
 * carry the form's error `formError`; `created` says what was made, shown once), then an error of
 * an action on a row (`error`), the list's load state, and the table (`testId`, `head`) of the
 * loaded `state`, one `row` (a `<tr>`) each.
 */
export function AccountList<T>({
  heading,
  add,
  submit,
  onCreate,
  formError,
  fields,
  created,
  error,
  state,
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
  error: string | null;
  state: LoadState<readonly T[]>;
  testId: string;
  head: readonly ReactNode[];
  row: (item: T) => ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-err`;
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
