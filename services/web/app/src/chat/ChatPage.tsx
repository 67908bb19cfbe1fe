import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api } from '../api/http';
import { useSession } from '../api/session';
import { ADMIN_ROLES, type ConversationSummary } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { Composer } from './Composer';
import { ConversationList } from './ConversationList';
import { MessageView } from './MessageView';
import { QuotaMeter } from './QuotaMeter';
import { conversationsKey, modelsOf, useConversation, useQuota, useTenant } from './queries';
import { useAnswerStream } from './useAnswerStream';

const TITLE_LENGTH = 60;

/** A new conversation's title: its first message, cut visibly (…) when longer than the list shows. */
const titleFrom = (content: string) => (content.length > TITLE_LENGTH ? `${content.slice(0, TITLE_LENGTH)}…` : content);

/** Chat for every member: conversations on the side, the open one with its streaming answer. */
export default function ChatPage() {
  const { t } = useTranslation();
  const session = useSession().data!;
  const { conversationId } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const tenant = useTenant(session);
  const quota = useQuota(session, ADMIN_ROLES.includes(session.role));
  const conversation = useConversation(conversationId);
  const answer = useAnswerStream();
  const create = useMutation({
    mutationFn: (title: string) => api<ConversationSummary>('POST', '/v1/conversations', { title }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: conversationsKey }),
  });

  const send = async (content: string, model: string | undefined) => {
    let id = conversationId;
    if (!id) {
      try {
        id = (await create.mutateAsync(titleFrom(content))).id;
      } catch {
        return; // create.error says why
      }
      await navigate(`/chat/${encodeURIComponent(id)}`);
    }
    await answer.send(id, content, model);
  };

  const pending = answer.pending && answer.pending.conversationId === conversationId ? answer.pending : null;
  const stopped = answer.stopped && answer.stopped.conversationId === conversationId ? answer.stopped : null;
  const title = conversation.data?.title || (conversationId ? t('chat.untitled') : t('chat.new'));
  return (
    <div className="chat">
      <ConversationList />
      <section className="chat-main" aria-labelledby="chat-title">
        <h1 id="chat-title">{title}</h1>
        {quota.data && <QuotaMeter quota={quota.data} />}
        {tenant.data?.messageLogging && <p className="notice">{t('chat.loggingNotice')}</p>}
        <ErrorMessage error={conversation.error} />
        {/* Busy while streaming: screen readers announce the answer once, not token by token. */}
        <div className="messages" aria-live="polite" aria-busy={pending ? true : undefined}>
          {!conversationId && !pending && <p>{t('chat.start')}</p>}
          {conversation.data?.messages.map((m) => <MessageView key={m.id} role={m.role} content={m.content} />)}
          {pending && (
            <>
              <MessageView role="user" content={pending.question} />
              <MessageView role="assistant" content={pending.answer} streaming />
              <p role="status" className="visually-hidden">
                {t('chat.answering')}
              </p>
            </>
          )}
        </div>
        {stopped && (
          <>
            {stopped.answer && <MessageView role="assistant" content={stopped.answer} />}
            <p role="status">{t('chat.stopped')}</p>
          </>
        )}
        <ErrorMessage error={answer.error ?? create.error} />
        <Composer models={modelsOf(tenant.data)} streaming={answer.streaming || create.isPending} onSend={(c, m) => void send(c, m)} onStop={answer.stop} />
      </section>
    </div>
  );
}
