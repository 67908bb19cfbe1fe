import { REFUSAL_MESSAGES, type PrivacyRefusal } from '../domain/privacy-state';

/** A request refused because of the person's privacy state or the tenant's logging setting: 403 {error, message}. */
export class PrivacyRefusedError extends Error {
  override readonly name = 'PrivacyRefusedError';
  constructor(
    readonly code: PrivacyRefusal | 'message_logging_off' | 'forbidden' | 'rank_too_low',
    message: string,
  ) {
    super(message);
  }

  static of(refusal: PrivacyRefusal): PrivacyRefusedError {
    return new PrivacyRefusedError(refusal, REFUSAL_MESSAGES[refusal]);
  }
}
