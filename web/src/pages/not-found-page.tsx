import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle } from '../document-title';

/** Any address the UI does not know. */
export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('notFoundPage.title'));
  return (
    <>
      <h1 tabIndex={-1}>{t('notFoundPage.title')}</h1>
      <p>{t('notFoundPage.body')}</p>
      <p>
        <Link to="/">{t('common.backHome')}</Link>
      </p>
    </>
  );
}
