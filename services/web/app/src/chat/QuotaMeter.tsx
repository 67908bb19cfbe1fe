import { useTranslation } from 'react-i18next';
import type { QuotaStatus } from '../api/types';

export function QuotaMeter({ quota }: { quota: QuotaStatus }) {
  const { t } = useTranslation();
  const used = quota.used.toLocaleString();
  if (quota.monthlyTokenQuota === null) return <p className="quota">{t('chat.quotaUnlimited', { used })}</p>;
  const label = t('chat.quotaValue', { used, quota: quota.monthlyTokenQuota.toLocaleString() });
  return (
    <div className={`quota${quota.warning ? ' quota-warning' : ''}`}>
      <label htmlFor="quota-meter">{t('chat.quota')}</label>
      <meter id="quota-meter" min={0} max={quota.monthlyTokenQuota} value={Math.min(quota.used, quota.monthlyTokenQuota)} high={quota.monthlyTokenQuota * 0.8} aria-valuetext={label} />
      <span>{label}</span>
    </div>
  );
}
