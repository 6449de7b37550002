import { useTranslation } from 'react-i18next';

/** The data the demo shows and the feeds it reads, each with its licence (keys of `footer`). */
const DATA_SOURCES = [
  {
    name: 'cofacts',
    href: 'https://cofacts.tw/',
    licence: 'ccBySa',
    licenceHref: 'https://creativecommons.org/licenses/by-sa/4.0/',
  },
  {
    name: 'tw165',
    href: 'https://data.gov.tw/dataset/160055',
    licence: 'ogdl',
    licenceHref: 'https://data.gov.tw/license',
  },
  {
    name: 'blocklist',
    href: 'https://github.com/blocklistproject/Lists',
    licence: 'unlicense',
    licenceHref: 'https://unlicense.org/',
  },
] as const;

/** Attribution of the demo data (required by CC BY-SA 4.0 and OGDL-Taiwan) and the open feeds. */
export function Footer() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <div className="site-footer__inner">
        <section aria-labelledby="footer-data">
          <h2 id="footer-data">{t('footer.dataHeading')}</h2>
          <ul>
            {DATA_SOURCES.map((source) => (
              <li key={source.name}>
                <a href={source.href}>{t(`footer.${source.name}`)}</a>
                {' — '}
                {t('footer.licence')}
                <a href={source.licenceHref} rel="license">
                  {t(`footer.${source.licence}`)}
                </a>
              </li>
            ))}
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
