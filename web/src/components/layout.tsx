import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { changeLanguage, toLanguage } from '../i18n';
import { homeOf, useSession } from '../session';
import { Footer } from './footer';

/**
 * The frame of every page: skip link, header with navigation and the language switch, main
 * content, attribution footer. After client-side navigation focus moves to the new page's `<h1>`
 * so keyboard and screen-reader users start at the top of the new content.
 */
export function Layout() {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const { state, signOut } = useSession();
  const me = state.phase === 'signed-in' ? state.me : null;
  const home = me === null ? '/' : homeOf(me.role);
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [location.pathname]);

  const other = toLanguage(i18n.language) === 'en' ? 'zh-TW' : 'en';
  // "Statistics" leads to the bulletins and the transparency report too: it stays marked there.
  const figures = /^\/(bulletins|transparency)(\/|$)/.test(location.pathname);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipLink')}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="brand">
            <span className="brand__name">{t('app.name')}</span>
            <span className="brand__tagline">{t('app.tagline')}</span>
          </Link>
          <nav aria-label={t('nav.label')} className="site-nav">
            <NavLink to="/" end>
              {t('nav.check')}
            </NavLink>
            <NavLink to="/report">{t('nav.report')}</NavLink>
            {figures ? (
              <Link to="/stats" aria-current="true">
                {t('nav.stats')}
              </Link>
            ) : (
              <NavLink to="/stats">{t('nav.stats')}</NavLink>
            )}
            {me !== null && home !== '/' && <NavLink to={home}>{t(`nav.home.${me.role}`)}</NavLink>}
            {me?.role === 'reporter' && <NavLink to="/me/reports">{t('nav.myReports')}</NavLink>}
            {me === null && <NavLink to="/signin">{t('nav.signIn')}</NavLink>}
            <button
              type="button"
              className="lang-switch"
              onClick={() => void changeLanguage(other)}
            >
              <span className="visually-hidden">{t('language.switchLabel')}</span>
              <span lang={other}>{t('language.switchTo')}</span>
            </button>
          </nav>
        </div>
        {me !== null && (
          <div className="user-bar" data-testid="user-bar">
            <div className="user-bar__inner">
              <p>
                {t('nav.signedInAs', {
                  name: me.displayName ?? me.email ?? t('nav.adminToken'),
                  role: t(`role.${me.role}`),
                })}
              </p>
              <button
                type="button"
                className="user-bar__out"
                onClick={() => {
                  void signOut().finally(() => navigate('/'));
                }}
              >
                {t('nav.signOut')}
              </button>
            </div>
          </div>
        )}
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="site-main">
        <Outlet />
      </main>
      <Footer />
    </>
  );
}
