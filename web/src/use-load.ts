import { useCallback, useEffect, useState, type DependencyList } from 'react';

/**
 * Where a load stands: in flight, done with its value, or failed with what was thrown (an
 * `ApiError` for a refused or failed request). The error is kept as thrown so its message can be
 * rendered in whatever language the UI has at render time (see `LoadStatus`).
 */
export type LoadState<T> =
  { phase: 'loading' } | { phase: 'done'; data: T } | { phase: 'failed'; error: unknown };

export interface LoadOptions {
  /**
   * When the dependencies change after a load is done, keep showing the loaded value until the
   * new one arrives instead of going back to `loading` (for filters typed into, so the list does
   * not flash). A failed reload still replaces the value with the failure.
   */
  keepWhileReloading?: boolean;
  /** Do not load (e.g. while a filter is invalid); the state stays as it is. */
  skip?: boolean;
}

export interface Load<T> {
  state: LoadState<T>;
  /**
   * Changes the loaded value in place (after a save, with what the server returned) without a
   * new request. Ignored unless the load is done.
   */
  update: (change: (data: T) => T) => void;
}

const LOADING = { phase: 'loading' } as const;

/**
 * Runs `load` on mount and again whenever a value in `deps` changes (as `useEffect` compares
 * them), aborting the previous request through its `AbortSignal`; a load that was aborted never
 * changes the state. Leave the translation function out of `deps`: a language switch must not
 * repeat a request.
 */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
  options: LoadOptions = {},
): Load<T> {
  const [state, setState] = useState<LoadState<T>>(LOADING);
  const keep = options.keepWhileReloading === true;
  const skip = options.skip === true;

  useEffect(() => {
    if (skip) return;
    const controller = new AbortController();
    // Returning the same state object lets React skip the render on mount.
    setState((current) =>
      current.phase === 'loading' || (keep && current.phase === 'done') ? current : LOADING,
    );
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ phase: 'done', data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ phase: 'failed', error });
      },
    );
    return () => controller.abort();
    // `load` is a new function on every render: the caller's `deps` say when it really changed.
  }, [...deps, skip, keep]);

  const update = useCallback(
    (change: (data: T) => T) =>
      setState((current) =>
        current.phase === 'done' ? { phase: 'done', data: change(current.data) } : current,
      ),
    [],
  );

  return { state, update };
}

/**
 * `list` with the element whose `id` is `updated.id` replaced by `updated` (after a save, with
 * what the server returned); a new array, the same order. An id not in the list changes nothing.
 */
export function replaceById<T extends { id: string }>(list: readonly T[], updated: T): T[] {
  return list.map((item) => (item.id === updated.id ? updated : item));
}

/** The value of a done load, or null while it loads or after it failed. */
export function loadedData<T>(state: LoadState<T>): T | null {
  return state.phase === 'done' ? state.data : null;
}

/** What a failed load threw (to show beside the field it names), or undefined otherwise. */
export function loadFailure(state: LoadState<unknown>): unknown {
  return state.phase === 'failed' ? state.error : undefined;
}
