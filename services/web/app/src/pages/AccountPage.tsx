import { useTranslation } from 'react-i18next';
import { useSession } from '../api/session';

/** Who is signed in: role, instance and when the session ends. */
export function AccountPage() {
  const { t } = useTranslation();
  const session = useSession().data;
  if (!session) return null;
  return (
    <section className="narrow">
      <h1>{t('account.title')}</h1>
      <dl>
        <dt>{t('account.role')}</dt>
        <dd>{t(`admin.roles.${session.role}`)}</dd>
        <dt>{t('account.instance')}</dt>
        <dd>
          <code>{session.tenantId}</code>
        </dd>
        <dt>{t('account.expires')}</dt>
        <dd>{new Date(session.expiresAt).toLocaleString()}</dd>
      </dl>
    </section>
  );
}
