import type { FormEvent, ReactNode } from 'react';
import { ErrorAlert } from './error-alert';

/**
 * A form of fields side by side (`form--grid`), checked by the page rather than the browser
 * (`noValidate`): the fields (`children`), the form's own error (`error`, with `errorId` for the
 * fields that name it), the submit button (`submit`) and, when given, a polite status line.
 */
export function GridForm({
  onSubmit,
  error,
  errorId,
  submit,
  status,
  children,
}: {
  onSubmit: (event: FormEvent<HTMLFormElement>) => void | Promise<void>;
  error: string | null | undefined;
  errorId?: string;
  submit: string;
  status?: string;
  children: ReactNode;
}) {
  return (
    <form className="form form--grid" onSubmit={(event) => void onSubmit(event)} noValidate>
      {children}
      <ErrorAlert message={error} wide id={errorId} />
      <button type="submit" className="button">
        {submit}
      </button>
      {status !== undefined && (
        <p role="status" className="panel__status field--full">
          {status}
        </p>
      )}
    </form>
  );
}
