import type { PrivacyRegistry } from './privacy-registry';

// What other features may use of the privacy feature.

export { PrivacyRefusedError } from './privacy-errors';

/** The privacy state of a person, from memory (frozen, restricted...). */
export type PrivacyStates = Pick<PrivacyRegistry, 'get'>;
