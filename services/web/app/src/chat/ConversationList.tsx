import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage';
import { useConversations } from './queries';

export function ConversationList() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const conversations = useConversations(search);
  return (
    <nav className="conversation-list" aria-labelledby="conversations-heading">
      <h2 id="conversations-heading">{t('chat.conversations')}</h2>
      <Link className="button" to="/chat">
        {t('chat.new')}
      </Link>
      <label htmlFor="conversation-search" className="visually-hidden">
        {t('chat.search')}
      </label>
      <input id="conversation-search" type="search" placeholder={t('chat.search')} value={search} onChange={(e) => setSearch(e.target.value)} />
      <ErrorMessage error={conversations.error} />
      {conversations.data && conversations.data.length === 0 && <p>{t('chat.empty')}</p>}
      <ul>
        {conversations.data?.map((c) => (
          <li key={c.id}>
            <NavLink to={`/chat/${encodeURIComponent(c.id)}`}>{c.title || t('chat.untitled')}</NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
