// When may an owner/admin read a member's conversations: role, tenant, message logging and the member's restrictions?
import { decideAdminRead, type AdminReadInput } from './admin-read-policy';
import { evolvePrivacy, UNRESTRICTED } from './privacy-state';

const base: AdminReadInput = { readerRole: 'admin', readerTenantId: 't1', requestedTenantId: 't1', messageLogging: true, member: UNRESTRICTED };

describe('decideAdminRead', () => {
  it('allows owners and admins of the tenant while logging is on', () => {
    expect(decideAdminRead(base)).toEqual({ allowed: true });
    expect(decideAdminRead({ ...base, readerRole: 'owner' })).toEqual({ allowed: true });
  });

  it('403 forbidden for members and auditors', () => {
    for (const readerRole of ['member', 'auditor'] as const) {
      expect(decideAdminRead({ ...base, readerRole })).toMatchObject({ allowed: false, status: 403, error: 'forbidden' });
    }
  });

  it('404 for another tenant, even with logging off there', () => {
    expect(decideAdminRead({ ...base, requestedTenantId: 't2', messageLogging: false })).toMatchObject({ allowed: false, status: 404 });
  });

  it('403 message_logging_off while the tenant does not log messages', () => {
    expect(decideAdminRead({ ...base, messageLogging: false })).toMatchObject({ allowed: false, status: 403, error: 'message_logging_off' });
  });

  it('403 for a restricted or frozen member', () => {
    const restricted = evolvePrivacy(UNRESTRICTED, { type: 'ProcessingRestricted', atMs: 1 });
    const frozen = evolvePrivacy(UNRESTRICTED, { type: 'ErasureRequested', atMs: 1 });
    expect(decideAdminRead({ ...base, member: restricted })).toMatchObject({ status: 403, error: 'processing_restricted' });
    expect(decideAdminRead({ ...base, member: frozen })).toMatchObject({ status: 403, error: 'account_frozen' });
  });
});
