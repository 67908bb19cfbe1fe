import { useCallback, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { streamAnswer } from '../api/chat-stream';
import { conversationKey, conversationsKey } from './queries';

export interface PendingTurn {
  conversationId: string;
  question: string;
  answer: string;
}

/**
 * One answer at a time: shows the question and the growing answer until the stored history
 * (refetched when the stream ends, however it ends) contains them.
 */
export function useAnswerStream() {
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<PendingTurn | null>(null);
  const [error, setError] = useState<unknown>(null);
  /** What had arrived when the person stopped the answer (the stored history does not keep it). */
  const [stopped, setStopped] = useState<{ conversationId: string; answer: string } | null>(null);
  const controller = useRef<AbortController | null>(null);

  const send = useCallback(
    async (conversationId: string, question: string, model: string | undefined) => {
      const abort = new AbortController();
      controller.current = abort;
      setError(null);
      setStopped(null);
      let answer = '';
      setPending({ conversationId, question, answer });
      try {
        await streamAnswer(
          conversationId,
          { content: question, ...(model && { model }) },
          {
            onDelta: (text) => {
              answer += text;
              setPending((p) => (p ? { ...p, answer } : p));
            },
          },
          abort.signal,
        );
      } catch (failure) {
        if (abort.signal.aborted) setStopped({ conversationId, answer });
        else setError(failure);
      } finally {
        controller.current = null;
        await Promise.all([
          queryClient.refetchQueries({ queryKey: conversationKey(conversationId) }),
          queryClient.invalidateQueries({ queryKey: conversationsKey }),
          queryClient.invalidateQueries({ queryKey: ['quota'] }),
        ]);
        setPending(null);
      }
    },
    [queryClient],
  );

  const stop = useCallback(() => controller.current?.abort(), []);

  return { pending, error, stopped, send, stop, streaming: pending !== null };
}
