// Which tenant events does auth understand, and which does it park as poison?
import { PoisonError } from '@enclave/eventing';
import { factOf } from './tenant-events.handler';

describe('tenant event → fact', () => {
  it('reads the four tenant events', () => {
    expect(factOf({ event: { $case: 'instanceCreated', value: { instanceName: 'Acme', ownerSubjectId: 'o1' } } })).toEqual({
      type: 'InstanceCreated',
      instanceName: 'Acme',
      ownerSubjectId: 'o1',
    });
    expect(factOf({ event: { $case: 'memberAdded', value: { subjectId: 's1', role: 'auditor' } } })).toEqual({ type: 'MemberAdded', subjectId: 's1', role: 'auditor' });
    expect(factOf({ event: { $case: 'memberRemoved', value: { subjectId: 's1' } } })).toEqual({ type: 'MemberRemoved', subjectId: 's1' });
    const settings = { instanceName: 'Acme 2', systemInstruction: 'secret', messageLogging: false, privacyPolicyUrl: '', defaultModel: 'm', allowedModels: [], messageLoggingNoticeVersion: '' };
    expect(factOf({ event: { $case: 'settingsChanged', value: { settings } } })).toEqual({ type: 'SettingsChanged', instanceName: 'Acme 2' });
  });

  it('reads the tenant security-log period from the settings, and ignores tenant purge confirmations', () => {
    const settings = { instanceName: 'Acme', systemInstruction: '', messageLogging: false, privacyPolicyUrl: '', defaultModel: 'm', allowedModels: [], messageLoggingNoticeVersion: '' };
    const withRetention = { ...settings, retention: { conversationDays: 0, securityLogDays: 30, usageDetailDays: 365 } };
    expect(factOf({ event: { $case: 'settingsChanged', value: { settings: withRetention } } })).toEqual({ type: 'SettingsChanged', instanceName: 'Acme', securityLogDays: 30 });
    expect(factOf({ event: { $case: 'subjectDataPurged', value: { requestId: 'r', subjectId: 's', recordsDeleted: 1 } } })).toBeNull();
    expect(factOf({ event: { $case: 'retentionPurged', value: { dataClass: 'x', cutoffMs: 1, recordsDeleted: 1 } } })).toBeNull();
  });

  it('reads role changes and completed ownership transfers, and ignores open offers', () => {
    expect(factOf({ event: { $case: 'memberRoleChanged', value: { subjectId: 's1', role: 'admin' } } })).toEqual({ type: 'MemberRoleChanged', subjectId: 's1', role: 'admin' });
    expect(factOf({ event: { $case: 'ownershipTransferred', value: { fromSubjectId: 'o1', toSubjectId: 'a1' } } })).toEqual({
      type: 'OwnershipTransferred',
      fromSubjectId: 'o1',
      toSubjectId: 'a1',
    });
    expect(factOf({ event: { $case: 'ownershipTransferProposed', value: { fromSubjectId: 'o1', toSubjectId: 'a1' } } })).toBeNull();
    expect(factOf({ event: { $case: 'ownershipTransferCancelled', value: { fromSubjectId: 'o1', toSubjectId: 'a1' } } })).toBeNull();
  });

  it.each([
    ['no payload', { event: undefined }],
    ['an unknown role', { event: { $case: 'memberAdded', value: { subjectId: 's1', role: 'superuser' } } }],
    ['a role change to an unknown role', { event: { $case: 'memberRoleChanged', value: { subjectId: 's1', role: 'root' } } }],
    ['a transfer without its new owner', { event: { $case: 'ownershipTransferred', value: { fromSubjectId: 'o1', toSubjectId: '' } } }],
    ['a member without subject', { event: { $case: 'memberAdded', value: { subjectId: '', role: 'member' } } }],
    ['settings without settings', { event: { $case: 'settingsChanged', value: { settings: undefined } } }],
  ] as const)('parks %s as poison', (_case, message) => {
    expect(() => factOf(message as never)).toThrow(PoisonError);
  });
});
