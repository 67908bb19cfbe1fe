// Is a person's consent state the last ConsentGranted/ConsentWithdrawn of each purpose in log order, with every purpose listed and the full history kept?
import { foldConsents, type ConsentEntry } from './consents';

const entry = (seq: number, type: ConsentEntry['type'], purpose: string, textVersion = 'v1'): ConsentEntry => ({ seq, type, purpose, textVersion, atMs: seq * 1000, actorId: 's' });

describe('foldConsents', () => {
  it('lists every purpose as not granted when nothing was recorded', () => {
    expect(foldConsents([]).current).toEqual([
      { purpose: 'message_logging_notice', granted: false, textVersion: null, atMs: null },
      { purpose: 'marketing_email', granted: false, textVersion: null, atMs: null },
      { purpose: 'public_sharing', granted: false, textVersion: null, atMs: null },
    ]);
  });

  it('takes the latest entry of each purpose by log order, whatever order they arrive in', () => {
    const view = foldConsents([entry(5, 'ConsentWithdrawn', 'marketing_email', 'v2'), entry(2, 'ConsentGranted', 'marketing_email'), entry(3, 'ConsentGranted', 'public_sharing')]);
    expect(view.current.find((c) => c.purpose === 'marketing_email')).toEqual({ purpose: 'marketing_email', granted: false, textVersion: 'v2', atMs: 5000 });
    expect(view.current.find((c) => c.purpose === 'public_sharing')).toMatchObject({ granted: true, textVersion: 'v1' });
    expect(view.history.map((h) => h.seq)).toEqual([2, 3, 5]);
  });
});
