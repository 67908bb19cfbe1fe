// A person's consents as the audit log shows them: the ConsentGranted / ConsentWithdrawn entries
// of that tenant and subject, folded in log order.
import { CONSENT_PURPOSES } from './privacy-events';

export interface ConsentEntry {
  seq: number;
  type: 'ConsentGranted' | 'ConsentWithdrawn';
  purpose: string;
  textVersion: string;
  atMs: number;
  /** Who recorded it (the person, normally). */
  actorId: string;
}

export interface ConsentState {
  purpose: string;
  granted: boolean;
  textVersion: string | null;
  /** When the current state was recorded; null when never asked. */
  atMs: number | null;
}

export interface ConsentView {
  current: ConsentState[];
  history: ConsentEntry[];
}

export function foldConsents(entries: readonly ConsentEntry[]): ConsentView {
  const history = [...entries].sort((a, b) => a.seq - b.seq);
  const current = new Map<string, ConsentState>(CONSENT_PURPOSES.map((purpose) => [purpose, { purpose, granted: false, textVersion: null, atMs: null }]));
  for (const entry of history) {
    current.set(entry.purpose, { purpose: entry.purpose, granted: entry.type === 'ConsentGranted', textVersion: entry.textVersion, atMs: entry.atMs });
  }
  return { current: [...current.values()], history };
}
