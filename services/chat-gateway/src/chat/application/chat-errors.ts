import type { RefusalReason } from '../../metering/domain/metering-fact';

/** A chat refused before the provider was called (quota, rate, no key); recorded as ChatRefused. */
export class ChatRefusedError extends Error {
  override readonly name = 'ChatRefusedError';
  constructor(
    readonly reason: RefusalReason,
    message: string,
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}
