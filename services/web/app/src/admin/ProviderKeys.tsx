import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api } from '../api/http';
import type { ProviderKey } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { FormFooter } from '../components/FormFooter';
import { describedBy, Field } from '../components/Field';

const PROVIDERS = ['openai', 'openai-compatible', 'anthropic', 'xai'] as const;

/** The instance's provider keys, masked; a new key is sent once and never shown again. */
export function ProviderKeys({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const path = `/v1/tenants/${encodeURIComponent(tenantId)}/provider-keys`;
  const keys = useQuery({ queryKey: ['provider-keys', tenantId], queryFn: () => api<{ keys: ProviderKey[] }>('GET', path).then((r) => r.keys) });
  const schema = z.object({
    provider: z.enum(PROVIDERS),
    label: z.string().trim().min(1, t('validation.required')).max(100, t('validation.tooLong')),
    apiKey: z.string().trim().min(8, t('validation.required')).max(500, t('validation.tooLong')),
    baseUrl: z.union([z.literal(''), z.string().trim().url(t('validation.url'))]),
  });
  type Input = z.infer<typeof schema>;
  const form = useForm<Input>({ resolver: zodResolver(schema), defaultValues: { provider: 'openai', label: '', apiKey: '', baseUrl: '' } });
  const add = useMutation({
    mutationFn: ({ baseUrl, ...input }: Input) => api<ProviderKey>('POST', path, { ...input, ...(baseUrl && { baseUrl }) }),
    onSuccess: () => {
      form.reset();
      return queryClient.invalidateQueries({ queryKey: ['provider-keys', tenantId] });
    },
  });
  const { errors } = form.formState;
  return (
    <>
      <ErrorMessage error={keys.error} />
      {keys.data && keys.data.length === 0 && <p>{t('admin.noKeys')}</p>}
      <ul>
        {keys.data?.map((k) => (
          <li key={k.keyId}>
            {k.label} — {k.provider} — ••••{k.lastFour}
          </li>
        ))}
      </ul>
      <form onSubmit={form.handleSubmit((input) => add.mutate(input))} noValidate>
        <Field id="provider" label={t('admin.provider')}>
          <select id="provider" {...form.register('provider')}>
            {PROVIDERS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </Field>
        <Field id="keyLabel" label={t('admin.label')} error={errors.label}>
          <input id="keyLabel" {...form.register('label')} {...describedBy('keyLabel', errors.label)} />
        </Field>
        <Field id="apiKey" label={t('admin.apiKey')} error={errors.apiKey}>
          <input id="apiKey" type="password" autoComplete="off" {...form.register('apiKey')} {...describedBy('apiKey', errors.apiKey)} />
        </Field>
        <Field id="baseUrl" label={t('admin.baseUrl')} error={errors.baseUrl}>
          <input id="baseUrl" type="url" {...form.register('baseUrl')} {...describedBy('baseUrl', errors.baseUrl)} />
        </Field>
        <FormFooter mutation={add} label={t('admin.addKey')} done={t('admin.keyAdded')} />
      </form>
    </>
  );
}
