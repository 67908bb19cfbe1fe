import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { api } from '../api/http';
import { SESSION_KEY, useSession } from '../api/session';
import { ADMIN_ROLES, CHAT_ROLES } from '../api/types';

/** Pages for people who are not signed in: they never ask for the session. */
const PUBLIC_PAGES = ['/login', '/signin', '/signup'];

export function Layout() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const session = useSession(!PUBLIC_PAGES.includes(pathname));
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: () => api<void>('POST', '/v1/auth/logout'),
    onSuccess: () => {
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, null);
      void navigate('/signin', { replace: true });
    },
  });
  const role = session.data?.role;
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="app-header">
        <span className="brand">{t('app.name')}</span>
        {role && (
          <nav aria-label={t('app.nav')}>
            <ul>
              {CHAT_ROLES.includes(role) && (
                <li>
                  <NavLink to="/chat">{t('app.chat')}</NavLink>
                </li>
              )}
              {ADMIN_ROLES.includes(role) && (
                <li>
                  <NavLink to="/admin">{t('app.admin')}</NavLink>
                </li>
              )}
              <li>
                <NavLink to="/account">{t('app.account')}</NavLink>
              </li>
              <li>
                <button type="button" className="link-button" onClick={() => signOut.mutate()}>
                  {t('app.signOut')}
                </button>
              </li>
            </ul>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
