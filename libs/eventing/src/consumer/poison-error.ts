/**
 * Thrown by a handler for a message that can never succeed (invalid content, unknown version):
 * the consumer parks it on the dead-letter topic at once instead of retrying.
 */
export class PoisonError extends Error {
  override readonly name = 'PoisonError';
}
