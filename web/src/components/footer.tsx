import { useTranslation } from 'react-i18next';

/** Attribution of the demo data (required by CC BY-SA 4.0 and OGDL-Taiwan) and the open feeds. */
export function Footer() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <div className="site-footer__inner">
        <section aria-labelledby="footer-data">
          <h2 id="footer-data">{t('footer.dataHeading')}</h2>
          <ul>
            <li>
              <a href="https://cofacts.tw/">{t('footer.cofacts')}</a>
              {' — '}
              {t('footer.licence')}
              <a href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license">
                {t('footer.ccBySa')}
              </a>
            </li>
            <li>
              <a href="https://data.gov.tw/dataset/160055">{t('footer.tw165')}</a>
              {' — '}
              {t('footer.licence')}
              <a href="https://data.gov.tw/license" rel="license">
                {t('footer.ogdl')}
              </a>
            </li>
            <li>
              <a href="https://github.com/blocklistproject/Lists">{t('footer.blocklist')}</a>
              {' — '}
              {t('footer.licence')}
              <a href="https://unlicense.org/" rel="license">
                {t('footer.unlicense')}
              </a>
            </li>
          </ul>
        </section>
        <section aria-labelledby="footer-links">
          <h2 id="footer-links">{t('footer.linksHeading')}</h2>
          <ul>
            <li>
              <a href="/openapi.json">{t('footer.apiDocs')}</a>
            </li>
            <li>
              <a href="/api/v1/blocklist/domains.txt">{t('footer.domainBlocklist')}</a>
            </li>
          </ul>
          <p>{t('footer.software')}</p>
        </section>
      </div>
    </footer>
  );
}
