import { useMutation } from '@tanstack/react-query';
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api } from '../api/http';
import { FormFooter } from '../components/FormFooter';
import { describedBy, Field } from '../components/Field';

/** Creates an instance; its owner gets a sign-in link by mail. */
export function SignupPage() {
  const { t } = useTranslation();
  const schema = z.object({
    instanceName: z.string().trim().min(1, t('validation.required')).max(100, t('validation.tooLong')),
    adminName: z.string().trim().min(1, t('validation.required')).max(200, t('validation.tooLong')),
    adminEmail: z.string().trim().email(t('validation.email')),
  });
  type Input = z.infer<typeof schema>;
  const form = useForm<Input>({ resolver: zodResolver(schema), defaultValues: { instanceName: '', adminName: '', adminEmail: '' } });
  const create = useMutation({ mutationFn: (input: Input) => api<{ tenantId: string }>('POST', '/v1/instances', input) });
  const { errors } = form.formState;
  return (
    <section className="narrow">
      <h1>{t('signup.title')}</h1>
      {create.isSuccess ? (
        <div role="status">
          <p>{t('signup.sent')}</p>
          <p>{t('signup.instanceId', { tenantId: create.data.tenantId })}</p>
        </div>
      ) : (
        <form onSubmit={form.handleSubmit((input) => create.mutate(input))} noValidate>
          <Field id="instanceName" label={t('signup.instanceName')} error={errors.instanceName}>
            <input id="instanceName" {...form.register('instanceName')} {...describedBy('instanceName', errors.instanceName)} />
          </Field>
          <Field id="adminName" label={t('signup.name')} error={errors.adminName}>
            <input id="adminName" autoComplete="name" {...form.register('adminName')} {...describedBy('adminName', errors.adminName)} />
          </Field>
          <Field id="adminEmail" label={t('signup.email')} error={errors.adminEmail}>
            <input id="adminEmail" type="email" autoComplete="email" {...form.register('adminEmail')} {...describedBy('adminEmail', errors.adminEmail)} />
          </Field>
          <FormFooter mutation={create} label={t('signup.submit')} />
        </form>
      )}
    </section>
  );
}
