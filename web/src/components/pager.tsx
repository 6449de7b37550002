import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { PageOf } from '../paging';

/** One page of a list, and where the page number lives (the address, so Back and links work). */
export interface Paged<T> {
  items: T[];
  /** 1-based, clamped to [1, pages]. */
  page: number;
  pages: number;
  total: number;
  /** Index (0-based) of the first item of this page in the whole list. */
  offset: number;
  setPage: (page: number) => void;
}

/** The address with page `page` in `param` (page one is the absence of `param`). */
function withPage(param: string, page: number) {
  return (current: URLSearchParams) => {
    const updated = new URLSearchParams(current);
    if (page <= 1) updated.delete(param);
    else updated.set(param, String(page));
    return updated;
  };
}

/**
 * Splits `list` into pages of `size` items; the current page is the `param` query parameter
 * (absent or invalid → 1). The API gives these lists whole (at most a few hundred entries), so
 * paging happens here.
 */
export function usePaged<T>(list: readonly T[], size: number, param = 'page'): Paged<T> {
  const [params, setParams] = useSearchParams();
  const pages = Math.max(1, Math.ceil(list.length / size));
  const asked = Number.parseInt(params.get(param) ?? '1', 10);
  const page = Number.isFinite(asked) ? Math.min(Math.max(asked, 1), pages) : 1;
  const offset = (page - 1) * size;
  return {
    items: list.slice(offset, offset + size),
    page,
    pages,
    total: list.length,
    offset,
    setPage: (next) => setParams(withPage(param, next), { preventScrollReset: true }),
  };
}

/** Where a list the server pages stands: the page in the address and what to ask the server. */
export interface ServerPage {
  /** 1-based, from the address (absent or invalid → 1). */
  page: number;
  limit: number;
  offset: number;
  /** Moves to a page (kept in the address; `replace` does not add a history entry). */
  setPage: (page: number, options?: { replace?: boolean }) => void;
}

/**
 * The page of a list the server pages (`limit` = `size`, `offset`), kept in the address as the
 * `param` query parameter so Back and shared links work. A filter change should drop `param`
 * (page one).
 */
export function useServerPage(size: number, param = 'page'): ServerPage {
  const [params, setParams] = useSearchParams();
  const asked = Number.parseInt(params.get(param) ?? '1', 10);
  const page = Number.isFinite(asked) && asked >= 1 ? asked : 1;
  return {
    page,
    limit: size,
    offset: (page - 1) * size,
    setPage: (next, options = {}) =>
      setParams(withPage(param, next), {
        preventScrollReset: true,
        replace: options.replace === true,
      }),
  };
}

/**
 * The Paged a Pager shows for a page the server answered (`null` until one is loaded). A page
 * past the end (an old link, or the list shrank) moves to the last page.
 */
export function useServerPaged<T>(result: PageOf<T> | null, at: ServerPage): Paged<T> | null {
  const pages = result === null ? 1 : Math.max(1, Math.ceil(result.total / result.limit));
  const pastEnd = result !== null && result.total > 0 && result.offset >= result.total;
  useEffect(() => {
    if (pastEnd) at.setPage(pages, { replace: true });
    // `at` is new on every render; the page count and the flag say when to act.
  }, [pastEnd, pages]);
  if (result === null) return null;
  return {
    items: result.items,
    page: Math.min(Math.floor(result.offset / result.limit) + 1, pages),
    pages,
    total: result.total,
    offset: result.offset,
    setPage: (next) => at.setPage(next),
  };
}

/**
 * Previous / next buttons with "page n of m" for a list paged by usePaged or useServerPaged;
 * nothing when there is one page. `label` names the list for screen readers (the navigation landmark). At either end a
 * button is `aria-disabled` rather than `disabled`, so keyboard focus is not lost when the last
 * page is reached.
 */
export function Pager<T>({ paged, label }: { paged: Paged<T>; label: string }) {
  const { t } = useTranslation();
  if (paged.pages <= 1) return null;
  return (
    <nav className="notice-actions pager" aria-label={t('pager.label', { list: label })}>
      <button
        type="button"
        className="button button--secondary"
        aria-disabled={paged.page <= 1}
        onClick={() => {
          if (!(paged.page <= 1)) paged.setPage(paged.page - 1);
        }}
      >
        {t('pager.previous')}
      </button>
      <p className="pager__status" aria-live="polite">
        {t('pager.status', {
          page: paged.page,
          pages: paged.pages,
          from: paged.offset + 1,
          to: paged.offset + paged.items.length,
          total: paged.total,
        })}
      </p>
      <button
        type="button"
        className="button button--secondary"
        aria-disabled={paged.page >= paged.pages}
        onClick={() => {
          if (!(paged.page >= paged.pages)) paged.setPage(paged.page + 1);
        }}
      >
        {t('pager.next')}
      </button>
    </nav>
  );
}
