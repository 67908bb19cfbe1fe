import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented operator token with the configured one in constant time: both are hashed
 * first, so neither the content nor the length of the secret leaks through timing.
 */
export function operatorTokenMatches(configured: string, presented: string | undefined): boolean {
  if (presented === undefined || presented === '') return false;
  const a = createHash('sha256').update(configured, 'utf8').digest();
  const b = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The header platform-operator requests carry their token in. */
export const OPERATOR_TOKEN_HEADER = 'x-operator-token';
