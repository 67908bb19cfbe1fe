import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/http';

/** A failure in words the person can act on (known error codes), announced to screen readers. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const code = error instanceof ApiError ? (error.status === 403 && !i18n.exists(`errors.${error.code}`) ? 'forbidden' : error.code) : '';
  const message = error instanceof Error ? error.message : String(error);
  const text = i18n.exists(`errors.${code}`) ? t(`errors.${code}`) : t('errors.generic', { message });
  return (
    <p role="alert" className="error">
      {text}
    </p>
  );
}
