import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Sets `<title>` to "page — site" in the UI language, so every page has a distinct title. */
export function useDocumentTitle(page: string | null): void {
  const { t } = useTranslation();
  const site = t('app.name');
  useEffect(() => {
    document.title = page === null || page === '' ? site : `${page} — ${site}`;
  }, [page, site]);
}
