// The clock is injected everywhere time decides something (link expiry, session expiry), so
// tests can move it instead of waiting.
export abstract class Clock {
  abstract nowMs(): number;
}

export class SystemClock extends Clock {
  nowMs(): number {
    return Date.now();
  }
}
