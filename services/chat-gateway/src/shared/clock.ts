/** Milliseconds since the epoch; injected so caches and quota windows are testable. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
