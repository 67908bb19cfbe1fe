// Are duplicate-key failures of an ordered insertMany recognised, with how far the insert got?
import { insertedBeforeFailure, isDuplicateKeyError } from './duplicate-key';

describe('duplicate key errors', () => {
  it('recognises code 11000 on the error or its first write error', () => {
    expect(isDuplicateKeyError({ code: 11000 })).toBe(true);
    expect(isDuplicateKeyError({ writeErrors: [{ code: 11000, index: 2 }] })).toBe(true);
    expect(isDuplicateKeyError({ writeErrors: { code: 11000, index: 0 } })).toBe(true);
    expect(isDuplicateKeyError({ code: 121 })).toBe(false);
    expect(isDuplicateKeyError(new Error('network'))).toBe(false);
    expect(isDuplicateKeyError(null)).toBe(false);
  });

  it('reads how many documents went in before the failure', () => {
    expect(insertedBeforeFailure({ writeErrors: [{ code: 11000, index: 2 }] })).toBe(2);
    expect(insertedBeforeFailure({ code: 11000, insertedCount: 1 })).toBe(1);
    expect(insertedBeforeFailure({ code: 11000, result: { insertedCount: 3 } })).toBe(3);
    expect(insertedBeforeFailure({ code: 11000 })).toBe(0);
  });
});
