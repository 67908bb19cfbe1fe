import { useMutation, useQueryClient } from '@tanstack/react-query';
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api } from '../api/http';
import type { TenantView } from '../api/types';
import { FormFooter } from '../components/FormFooter';
import { describedBy, Field } from '../components/Field';

export function SettingsForm({ tenant }: { tenant: TenantView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const schema = z.object({
    instanceName: z.string().trim().min(1, t('validation.required')).max(100, t('validation.tooLong')),
    systemInstruction: z.string().max(8000, t('validation.tooLong')),
    defaultModel: z.string().trim().max(100, t('validation.tooLong')),
    allowedModels: z.string().max(4000, t('validation.tooLong')),
    privacyPolicyUrl: z.union([z.literal(''), z.string().trim().url(t('validation.url')).max(2048, t('validation.tooLong'))]),
    messageLogging: z.boolean(),
  });
  type Input = z.infer<typeof schema>;
  const form = useForm<Input>({
    resolver: zodResolver(schema),
    defaultValues: {
      instanceName: tenant.instanceName,
      systemInstruction: tenant.systemInstruction ?? '',
      defaultModel: tenant.defaultModel,
      allowedModels: (tenant.allowedModels ?? []).join(', '),
      privacyPolicyUrl: tenant.privacyPolicyUrl ?? '',
      messageLogging: tenant.messageLogging,
    },
  });
  const save = useMutation({
    mutationFn: (input: Input) =>
      api<TenantView>('PATCH', `/v1/tenants/${encodeURIComponent(tenant.tenantId)}/settings`, {
        ...input,
        allowedModels: input.allowedModels.split(',').map((m) => m.trim()).filter(Boolean),
      }),
    onSuccess: (view) => queryClient.setQueryData(['tenant', tenant.tenantId], view),
  });
  const { errors } = form.formState;
  return (
    <form onSubmit={form.handleSubmit((input) => save.mutate(input))} noValidate>
      <Field id="instanceName" label={t('admin.instanceName')} error={errors.instanceName}>
        <input id="instanceName" {...form.register('instanceName')} {...describedBy('instanceName', errors.instanceName)} />
      </Field>
      <Field id="systemInstruction" label={t('admin.systemInstruction')} error={errors.systemInstruction}>
        <textarea id="systemInstruction" rows={3} {...form.register('systemInstruction')} {...describedBy('systemInstruction', errors.systemInstruction)} />
      </Field>
      <Field id="defaultModel" label={t('admin.defaultModel')} error={errors.defaultModel}>
        <input id="defaultModel" {...form.register('defaultModel')} {...describedBy('defaultModel', errors.defaultModel)} />
      </Field>
      <Field id="allowedModels" label={t('admin.allowedModels')} error={errors.allowedModels}>
        <input id="allowedModels" {...form.register('allowedModels')} {...describedBy('allowedModels', errors.allowedModels)} />
      </Field>
      <Field id="privacyPolicyUrl" label={t('admin.privacyPolicyUrl')} error={errors.privacyPolicyUrl}>
        <input id="privacyPolicyUrl" type="url" {...form.register('privacyPolicyUrl')} {...describedBy('privacyPolicyUrl', errors.privacyPolicyUrl)} />
      </Field>
      <div className="field checkbox">
        <input id="messageLogging" type="checkbox" {...form.register('messageLogging')} />
        <label htmlFor="messageLogging">{t('admin.messageLogging')}</label>
      </div>
      <FormFooter mutation={save} label={t('admin.save')} done={t('admin.saved')} />
    </form>
  );
}
