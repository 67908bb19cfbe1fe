import { useTranslation } from 'react-i18next';
import { useSession } from '../api/session';
import { ErrorMessage } from '../components/ErrorMessage';
import { useTenant } from '../chat/queries';
import { Members } from './Members';
import { ProviderKeys } from './ProviderKeys';
import { SettingsForm } from './SettingsForm';

/** Owners and admins: instance settings, provider keys, members. */
export default function AdminPage() {
  const { t } = useTranslation();
  const session = useSession().data!;
  const tenant = useTenant(session);
  return (
    <div className="admin">
      <h1>{t('admin.title')}</h1>
      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">{t('admin.settings')}</h2>
        <ErrorMessage error={tenant.error} />
        {tenant.data && <SettingsForm tenant={tenant.data} />}
      </section>
      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">{t('admin.keys')}</h2>
        <ProviderKeys tenantId={session.tenantId} />
      </section>
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">{t('admin.members')}</h2>
        <Members tenantId={session.tenantId} myRole={session.role} />
      </section>
    </div>
  );
}
