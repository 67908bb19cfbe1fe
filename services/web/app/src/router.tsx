import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { homeFor, useSession } from './api/session';
import { ADMIN_ROLES, CHAT_ROLES, type Role } from './api/types';
import { Layout } from './components/Layout';
import { LoginPage } from './pages/LoginPage';
import { RequestLinkPage } from './pages/RequestLinkPage';
import { SignupPage } from './pages/SignupPage';
import { AccountPage } from './pages/AccountPage';

// Pages behind a session load on demand: the first visit (a sign-in link) stays small.
const ChatPage = lazy(() => import('./chat/ChatPage'));
const AdminPage = lazy(() => import('./admin/AdminPage'));

function Loading() {
  const { t } = useTranslation();
  return <p role="status">{t('app.loading')}</p>;
}

/** Renders its page for the allowed roles; sends everyone else to sign in or to their home. */
function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const session = useSession();
  if (session.isPending) return <Loading />;
  if (!session.data) return <Navigate to="/signin" replace />;
  if (!roles.includes(session.data.role)) return <Navigate to={homeFor(session.data.role)} replace />;
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

function Home() {
  const session = useSession();
  if (session.isPending) return <Loading />;
  return <Navigate to={session.data ? homeFor(session.data.role) : '/signin'} replace />;
}

const ALL_ROLES: readonly Role[] = ['owner', 'admin', 'member', 'auditor'];

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <Home /> },
      { path: 'login', element: <LoginPage /> },
      { path: 'signin', element: <RequestLinkPage /> },
      { path: 'signup', element: <SignupPage /> },
      { path: 'chat/:conversationId?', element: <RequireRole roles={CHAT_ROLES}><ChatPage /></RequireRole> },
      { path: 'admin', element: <RequireRole roles={ADMIN_ROLES}><AdminPage /></RequireRole> },
      { path: 'account', element: <RequireRole roles={ALL_ROLES}><AccountPage /></RequireRole> },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
]);
