import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api, ApiError } from '../api/http';
import { homeFor, SESSION_KEY } from '../api/session';
import type { Session } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { RequestLinkForm } from './RequestLinkPage';

/**
 * The mailed link's target. Opening it changes nothing: the token is exchanged only when the
 * person presses the button (a POST), so mail scanners that fetch or even render links cannot
 * use it up. The answer sets the HttpOnly session cookie; the page then goes to the role's home.
 */
export function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const tenantId = params.get('tenant') ?? '';
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signIn = useMutation({
    mutationFn: () => api<Session>('POST', '/v1/auth/sessions', { token }),
    onSuccess: (session) => {
      queryClient.setQueryData(SESSION_KEY, session);
      void navigate(homeFor(session.role), { replace: true }); // the token leaves the address bar and history
    },
  });
  const invalid = signIn.error instanceof ApiError && signIn.error.status === 401;
  if (!token || invalid) {
    return (
      <section className="narrow">
        <h1>{invalid ? t('login.invalidTitle') : t('request.title')}</h1>
        <p>{invalid ? t('login.invalid') : t('login.missing')}</p>
        <RequestLinkForm tenantId={tenantId} />
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>{t('login.title')}</h1>
      <p>{t('login.intro')}</p>
      <ErrorMessage error={signIn.error} />
      <button type="button" onClick={() => signIn.mutate()} disabled={signIn.isPending}>
        {signIn.isPending ? t('login.working') : t('login.continue')}
      </button>
    </section>
  );
}
