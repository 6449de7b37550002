import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { BrowserRouter, Route, Routes } from 'react-router';
import { Layout } from './components/layout';
import { initI18n } from './i18n';
import { CasePage } from './pages/case-page';
import { HomePage } from './pages/home-page';
import { NotFoundPage } from './pages/not-found-page';
import { ReportPage } from './pages/report-page';
import { StatsPage } from './pages/stats-page';
import { BulletinsPage } from './pages/bulletins-page';
import { BulletinPage } from './pages/bulletin-page';
import { TransparencyPage } from './pages/transparency-page';
import { SignInPage } from './pages/sign-in-page';
import { VerifierPage } from './pages/verifier-page';
import { DecideLinkPage } from './pages/decide-link-page';
import { UnfollowPage } from './pages/unfollow-page';
import { StaffQueuePage } from './pages/staff-queue-page';
import { TakedownPage } from './pages/takedown-page';
import { BlocklistPage } from './pages/blocklist-page';
import { EntitiesPage } from './pages/entities-page';
import { UsersPage } from './pages/users-page';
import { LiaisonPage } from './pages/liaison-page';
import { DecisionHistoryPage } from './pages/decision-history-page';
import { MyReportsPage } from './pages/my-reports-page';
import { SessionProvider } from './session';
import './styles.css';

const i18n = initI18n();
const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <SessionProvider>
        <BrowserRouter>
          <Routes>
            <Route element={<Layout />}>
              <Route index element={<HomePage />} />
              <Route path="report" element={<ReportPage />} />
              <Route path="stats" element={<StatsPage />} />
              <Route path="bulletins" element={<BulletinsPage />} />
              <Route path="bulletins/:week" element={<BulletinPage />} />
              <Route path="transparency" element={<TransparencyPage />} />
              <Route path="transparency/:year" element={<TransparencyPage />} />
              <Route path="cases/:id" element={<CasePage />} />
              <Route path="signin" element={<SignInPage />} />
              <Route path="verify" element={<VerifierPage />} />
              <Route path="verify/history" element={<DecisionHistoryPage />} />
              <Route path="me/reports" element={<MyReportsPage />} />
              <Route path="decide/:token" element={<DecideLinkPage />} />
              <Route path="unfollow/:token" element={<UnfollowPage />} />
              <Route path="staff" element={<StaffQueuePage />} />
              <Route path="staff/takedown" element={<TakedownPage />} />
              <Route path="staff/blocklist" element={<BlocklistPage />} />
              <Route path="staff/entities" element={<EntitiesPage />} />
              <Route path="staff/users" element={<UsersPage />} />
              <Route path="platform" element={<LiaisonPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </SessionProvider>
    </I18nextProvider>
  </StrictMode>,
);
