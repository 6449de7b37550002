import type { ReactNode } from 'react';

/**
 * One fact of a description list (`<dl className="facts">`): its term and value, in the `<div>`
 * that keeps them together on the grid.
 */
export function Fact({
  term,
  testId,
  children,
}: {
  term: ReactNode;
  /** The value's test id. */
  testId?: string;
  children: ReactNode;
}) {
  return (
    <div>
      <dt>{term}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
