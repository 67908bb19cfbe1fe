import { useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api } from '../api/http';
import type { Member, Role } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { FormFooter } from '../components/FormFooter';
import { describedBy, Field } from '../components/Field';

const ASSIGNABLE = ['admin', 'member', 'auditor'] as const;

/** Members by pseudonymous id with their role; invite, change role, remove (confirmed in a modal dialog). */
export function Members({ tenantId, myRole }: { tenantId: string; myRole: Role }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const path = `/v1/tenants/${encodeURIComponent(tenantId)}/members`;
  const key = ['members', tenantId];
  const members = useQuery({ queryKey: key, queryFn: () => api<{ members: Member[] }>('GET', path).then((r) => r.members) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const changeRole = useMutation({
    mutationFn: ({ subjectId, role }: { subjectId: string; role: Role }) => api('PATCH', `${path}/${encodeURIComponent(subjectId)}`, { role }),
    onSettled: refresh,
  });
  const remove = useMutation({ mutationFn: (subjectId: string) => api('DELETE', `${path}/${encodeURIComponent(subjectId)}`), onSettled: refresh });
  const dialog = useRef<HTMLDialogElement>(null);
  const [removing, setRemoving] = useState<string | null>(null);

  const schema = z.object({
    email: z.string().trim().email(t('validation.email')),
    name: z.string().trim().min(1, t('validation.required')).max(200, t('validation.tooLong')),
    role: z.enum(ASSIGNABLE),
  });
  type Input = z.infer<typeof schema>;
  const form = useForm<Input>({ resolver: zodResolver(schema), defaultValues: { email: '', name: '', role: 'member' } });
  const invite = useMutation({
    mutationFn: (input: Input) => api('POST', path, input),
    onSuccess: () => {
      form.reset();
      return refresh();
    },
  });
  const { errors } = form.formState;
  const manageable = (role: Role) => role !== 'owner' && (myRole === 'owner' || role !== 'admin');

  return (
    <>
      <ErrorMessage error={members.error ?? changeRole.error ?? remove.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">{t('admin.subject')}</th>
            <th scope="col">{t('admin.role')}</th>
            <th scope="col">{t('admin.added')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('admin.remove')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {members.data?.map((m) => (
            <tr key={m.subjectId}>
              <td>
                <code>{m.subjectId}</code>
              </td>
              <td>
                {manageable(m.role) ? (
                  <select
                    aria-label={t('admin.roleOf', { subject: m.subjectId })}
                    value={m.role}
                    onChange={(e) => changeRole.mutate({ subjectId: m.subjectId, role: e.target.value as Role })}
                  >
                    {ASSIGNABLE.filter((r) => myRole === 'owner' || r !== 'admin').map((r) => (
                      <option key={r} value={r}>
                        {t(`admin.roles.${r}`)}
                      </option>
                    ))}
                  </select>
                ) : (
                  t(`admin.roles.${m.role}`)
                )}
              </td>
              <td>{new Date(m.addedAt).toLocaleDateString()}</td>
              <td>
                {manageable(m.role) && (
                  <button
                    type="button"
                    onClick={() => {
                      setRemoving(m.subjectId);
                      dialog.current?.showModal();
                    }}
                  >
                    {t('admin.remove')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <dialog ref={dialog} aria-labelledby="remove-title" onClose={() => setRemoving(null)}>
        <h3 id="remove-title">{t('admin.removeTitle')}</h3>
        <p>{t('admin.removeBody')}</p>
        <form method="dialog">
          <button type="submit">{t('admin.cancel')}</button>
          <button type="button" className="danger" onClick={() => { if (removing) remove.mutate(removing); dialog.current?.close(); }}>
            {t('admin.confirmRemove')}
          </button>
        </form>
      </dialog>
      <h3>{t('admin.invite')}</h3>
      <form onSubmit={form.handleSubmit((input) => invite.mutate(input))} noValidate>
        <Field id="inviteName" label={t('admin.inviteName')} error={errors.name}>
          <input id="inviteName" {...form.register('name')} {...describedBy('inviteName', errors.name)} />
        </Field>
        <Field id="inviteEmail" label={t('admin.inviteEmail')} error={errors.email}>
          <input id="inviteEmail" type="email" autoComplete="off" {...form.register('email')} {...describedBy('inviteEmail', errors.email)} />
        </Field>
        <Field id="inviteRole" label={t('admin.role')}>
          <select id="inviteRole" {...form.register('role')}>
            {ASSIGNABLE.filter((r) => myRole === 'owner' || r !== 'admin').map((r) => (
              <option key={r} value={r}>
                {t(`admin.roles.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <FormFooter mutation={invite} label={t('admin.inviteSubmit')} done={t('admin.invited')} />
      </form>
    </>
  );
}
