// Which requested values count as a rectification, and how are they named on the event?
import { changedDetails, rectifiedFields } from './account';

const current = { email: 'ada@acme.example', displayName: 'Ada' };

describe('rectification', () => {
  it('keeps only values that differ from the current ones', () => {
    expect(changedDetails(current, { email: 'ada@acme.example', displayName: 'Ada L.' })).toEqual({ displayName: 'Ada L.' });
    expect(changedDetails(current, { email: 'ada@new.example' })).toEqual({ email: 'ada@new.example' });
    expect(changedDetails(current, { displayName: 'Ada' })).toEqual({});
  });

  it('names the changed fields as the proto does', () => {
    expect(rectifiedFields({ email: 'x@y.z', displayName: 'X' })).toEqual(['email', 'display_name']);
    expect(rectifiedFields({ displayName: 'X' })).toEqual(['display_name']);
    expect(rectifiedFields({})).toEqual([]);
  });
});
