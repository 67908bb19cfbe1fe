import { useEffect } from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';

const MAX_MESSAGE = 32_000;

/** The message box, the model picker and send / stop. Enter sends, Shift+Enter breaks the line. */
export function Composer({
  models,
  streaming,
  onSend,
  onStop,
}: {
  models: string[];
  streaming: boolean;
  onSend: (content: string, model: string | undefined) => void;
  onStop: () => void;
}) {
  const { t } = useTranslation();
  const schema = z.object({
    content: z.string().trim().min(1, t('validation.required')).max(MAX_MESSAGE, t('validation.tooLong')),
    model: z.string(),
  });
  type Input = z.infer<typeof schema>;
  const form = useForm<Input>({ resolver: zodResolver(schema), defaultValues: { content: '', model: models[0] ?? '' } });
  // The list arrives after the first render: keep the choice one of the models offered.
  useEffect(() => {
    if (!models.includes(form.getValues('model'))) form.setValue('model', models[0] ?? '');
  }, [models, form]);
  const submit = form.handleSubmit(({ content, model }) => {
    onSend(content.trim(), model || models[0]);
    form.reset({ content: '', model });
  });
  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor="message" className="visually-hidden">
        {t('chat.message')}
      </label>
      <textarea
        id="message"
        rows={3}
        placeholder={t('chat.message')}
        {...form.register('content')}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !streaming) {
            e.preventDefault();
            void submit();
          }
        }}
      />
      <div className="composer-actions">
        {models.length > 0 && (
          <>
            <label htmlFor="model">{t('chat.model')}</label>
            <select id="model" {...form.register('model')} disabled={models.length === 1}>
              {models.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </>
        )}
        {streaming ? (
          <button type="button" onClick={onStop}>
            {t('chat.stop')}
          </button>
        ) : (
          <button type="submit">{t('chat.send')}</button>
        )}
      </div>
    </form>
  );
}
