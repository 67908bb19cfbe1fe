import { useMutation } from '@tanstack/react-query';
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { z } from 'zod';
import { api } from '../api/http';
import { FormFooter } from '../components/FormFooter';
import { describedBy, Field } from '../components/Field';

/** Asks auth to mail a new sign-in link (the same answer whether or not the address is a member). */
export function RequestLinkForm({ tenantId = '' }: { tenantId?: string }) {
  const { t } = useTranslation();
  const schema = z.object({
    tenantId: z.string().trim().min(1, t('validation.required')).max(128, t('validation.tooLong')),
    email: z.string().trim().email(t('validation.email')),
  });
  type Input = z.infer<typeof schema>;
  const form = useForm<Input>({ resolver: zodResolver(schema), defaultValues: { tenantId, email: '' } });
  const request = useMutation({ mutationFn: (input: Input) => api('POST', '/v1/auth/login-links', input) });
  const { errors } = form.formState;
  if (request.isSuccess) return <p role="status">{t('request.sent')}</p>;
  return (
    <form onSubmit={form.handleSubmit((input) => request.mutate(input))} noValidate>
      <Field id="tenantId" label={t('request.tenant')} error={errors.tenantId}>
        <input id="tenantId" autoComplete="off" {...form.register('tenantId')} {...describedBy('tenantId', errors.tenantId)} />
      </Field>
      <Field id="email" label={t('request.email')} error={errors.email}>
        <input id="email" type="email" autoComplete="email" {...form.register('email')} {...describedBy('email', errors.email)} />
      </Field>
      <FormFooter mutation={request} label={t('request.submit')} />
    </form>
  );
}

export function RequestLinkPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  return (
    <section className="narrow">
      <h1>{t('request.title')}</h1>
      <p>{t('request.intro')}</p>
      <RequestLinkForm tenantId={params.get('tenant') ?? ''} />
      <p>
        {t('request.noAccount')} <Link to="/signup">{t('request.signup')}</Link>
      </p>
    </section>
  );
}
