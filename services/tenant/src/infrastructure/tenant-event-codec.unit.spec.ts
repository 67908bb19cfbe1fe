// Does every tenant domain event survive the trip through the protobuf payload unchanged?
import type { TenantEvent } from '../domain';
import { tenantV1 } from '@enclave/proto';
import { decodeTenantEvent, encodeTenantEvent, envelopeType, subjectOf, TenantEventDecodeError } from './tenant-event-codec';

const events: TenantEvent[] = [
  { type: 'InstanceCreated', instanceName: 'Acme', ownerSubjectId: 's-1' },
  { type: 'MemberAdded', subjectId: 's-2', role: 'auditor' },
  { type: 'MemberRemoved', subjectId: 's-2' },
  {
    type: 'SettingsChanged',
    settings: {
      instanceName: 'Acme',
      systemInstruction: 'Be brief.',
      messageLogging: true,
      privacyPolicyUrl: 'https://acme.example/p',
      defaultModel: 'gpt-4o-mini',
      allowedModels: ['gpt-4o-mini', 'gpt-4o'],
      messageLoggingNoticeVersion: '2025-01',
      retention: { conversationDays: 0, securityLogDays: 30, usageDetailDays: 400 },
    },
  },
  {
    type: 'SettingsChanged',
    settings: {
      instanceName: 'No retention set',
      systemInstruction: '',
      messageLogging: false,
      privacyPolicyUrl: '',
      defaultModel: 'gpt-4o-mini',
      allowedModels: [],
      messageLoggingNoticeVersion: '',
    },
  },
  { type: 'SubjectDataPurged', requestId: 'req-1', subjectId: 's-3', recordsDeleted: 2 },
  { type: 'RetentionPurged', dataClass: 'usage_detail', cutoffMs: 1_700_000_000_000, recordsDeleted: 7 },
  { type: 'MemberRoleChanged', subjectId: 's-4', role: 'owner' },
  { type: 'OwnershipTransferProposed', fromSubjectId: 's-1', toSubjectId: 's-4' },
  { type: 'OwnershipTransferCancelled', fromSubjectId: 's-1', toSubjectId: 's-4' },
  { type: 'OwnershipTransferred', fromSubjectId: 's-1', toSubjectId: 's-4' },
];

it.each(events)('round-trips $type', (event) => {
  expect(decodeTenantEvent(encodeTenantEvent(event))).toStrictEqual(event);
});

it('names envelope types and subjects', () => {
  expect(envelopeType('MemberAdded')).toBe('tenant.MemberAdded');
  expect(events.map(subjectOf)).toEqual(['s-1', 's-2', 's-2', '', '', 's-3', '', 's-4', 's-4', 's-4', 's-4']);
});

it('refuses an empty payload and an unknown role', () => {
  expect(() => decodeTenantEvent(new Uint8Array())).toThrow(TenantEventDecodeError);
  const bad = tenantV1.TenantEvent.encode({ event: { $case: 'memberAdded', value: { subjectId: 's', role: 'superuser' } } }).finish();
  expect(() => decodeTenantEvent(bad)).toThrow(/unknown role/);
  const badChange = tenantV1.TenantEvent.encode({ event: { $case: 'memberRoleChanged', value: { subjectId: 's', role: 'root' } } }).finish();
  expect(() => decodeTenantEvent(badChange)).toThrow(/unknown role/);
  expect(() => decodeTenantEvent(Buffer.from([0xff, 0xff, 0xff]))).toThrow(TenantEventDecodeError);
});
