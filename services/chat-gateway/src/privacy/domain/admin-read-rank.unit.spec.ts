// Whose conversations may an owner or admin read, ranked by the roles both hold now?
import { decideReadRank, type ReadRankInput } from './admin-read-rank';

const read = (readerRole: ReadRankInput['readerRole'], memberRole: ReadRankInput['memberRole'], same = false) =>
  decideReadRank({ readerSubjectId: 'reader', readerRole, memberSubjectId: same ? 'reader' : 'member', memberRole });

describe('decideReadRank', () => {
  it('lets an admin read members and auditors, and the owner read everyone below', () => {
    expect(read('admin', 'member')).toEqual({ allowed: true });
    expect(read('admin', 'auditor')).toEqual({ allowed: true });
    for (const role of ['admin', 'member', 'auditor'] as const) expect(read('owner', role)).toEqual({ allowed: true });
  });

  it("refuses an admin reading another admin's or the owner's conversations", () => {
    expect(read('admin', 'admin')).toEqual({ allowed: false, error: 'rank_too_low', message: 'an admin may not read the conversations of an account of equal or higher rank' });
    expect(read('admin', 'owner')).toEqual({ allowed: false, error: 'rank_too_low', message: "nobody but the owner may read the owner's conversations" });
  });

  it('ranks someone no longer a member like an admin: only the owner reads them', () => {
    expect(read('admin', undefined)).toMatchObject({ allowed: false, error: 'rank_too_low' });
    expect(read('owner', undefined)).toEqual({ allowed: true });
  });

  it('goes by the current role: a demoted or removed reader is refused whatever the session says', () => {
    expect(read('member', 'member')).toMatchObject({ allowed: false, error: 'forbidden' });
    expect(read('auditor', 'member')).toMatchObject({ allowed: false, error: 'forbidden' });
    expect(read(undefined, 'member')).toMatchObject({ allowed: false, error: 'forbidden' });
  });

  it('lets a reader open their own conversations here too', () => {
    expect(read('admin', 'admin', true)).toEqual({ allowed: true });
  });
});
