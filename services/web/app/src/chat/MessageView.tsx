import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';

const Markdown = lazy(() => import('./Markdown'));

/** One turn of the conversation; assistant answers render as markdown. */
export function MessageView({ role, content, streaming = false }: { role: 'user' | 'assistant'; content: string; streaming?: boolean }) {
  const { t } = useTranslation();
  return (
    <article className={`message message-${role}`} data-testid={streaming ? 'streaming-answer' : undefined}>
      <h3 className="message-author">{role === 'user' ? t('chat.you') : t('chat.assistant')}</h3>
      {role === 'assistant' ? (
        <div className="message-body">
          <Suspense fallback={<p className="plain">{content}</p>}>
            <Markdown text={content} />
          </Suspense>
        </div>
      ) : (
        <p className="message-body plain">{content}</p>
      )}
    </article>
  );
}
