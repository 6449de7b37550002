import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

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
    setPage: (next) =>
      setParams(
        (current) => {
          const updated = new URLSearchParams(current);
          if (next <= 1) updated.delete(param);
          else updated.set(param, String(next));
          return updated;
        },
        { preventScrollReset: true },
      ),
  };
}

/**
 * Previous / next buttons with "page n of m" for a list paged by usePaged; nothing when there is
 * one page. `label` names the list for screen readers (the navigation landmark). At either end a
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
