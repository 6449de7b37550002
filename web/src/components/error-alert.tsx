/**
 * An error, said at once by screen readers (`role="alert"`); nothing while `message` is null or
 * undefined. `wide` spans the grid of a `form--grid`; `id` lets a control name it in
 * `aria-describedby`.
 */
export function ErrorAlert({
  message,
  wide = false,
  id,
}: {
  message: string | null | undefined;
  wide?: boolean;
  id?: string;
}) {
  if (message === null || message === undefined) return null;
  return (
    <p
      className={wide ? 'alert alert--error field--full' : 'alert alert--error'}
      role="alert"
      id={id}
    >
      {message}
    </p>
  );
}
