// Does a consumed event become the right log entry draft: service, actor names, canonical payload, platform tenant?
import { PLATFORM_TENANT } from './audit-entry';
import { actorKindName, toEntryDraft, type LoggedEvent } from './event-to-draft';

const event = (overrides: Partial<LoggedEvent> = {}): LoggedEvent => ({
  id: '01900000-0000-7000-8000-000000000001',
  type: 'tenant.MemberAdded',
  tenantId: 't-1',
  subjectId: 'sub-b',
  actor: { kind: 1, id: 'sub-a', role: 'admin' },
  occurredAt: new Date('2025-03-01T10:00:00.000Z'),
  payload: { event: { $case: 'memberAdded', value: { subjectId: 'sub-b', role: 'member' } } },
  ...overrides,
});

describe('toEntryDraft', () => {
  it('keeps the envelope facts and writes the payload as canonical proto3-shaped JSON', () => {
    const recordedAt = new Date('2025-03-01T10:00:02.000Z');
    expect(toEntryDraft(event(), 'tenant', recordedAt)).toEqual({
      tenantId: 't-1',
      eventId: '01900000-0000-7000-8000-000000000001',
      service: 'tenant',
      type: 'tenant.MemberAdded',
      actor: { kind: 'person', id: 'sub-a', role: 'admin' },
      subjectId: 'sub-b',
      occurredAt: new Date('2025-03-01T10:00:00.000Z'),
      recordedAt,
      payload: '{"memberAdded":{"role":"member","subjectId":"sub-b"}}',
    });
  });

  it('files an event without a tenant under the platform pseudo-tenant', () => {
    expect(toEntryDraft(event({ tenantId: '' }), 'auth', new Date(0)).tenantId).toBe(PLATFORM_TENANT);
    expect(PLATFORM_TENANT).toBe('_platform');
  });

  it('names actor kinds, unknown ones as unspecified', () => {
    expect([0, 1, 2, 3, 99].map(actorKindName)).toEqual(['unspecified', 'person', 'service', 'system', 'unspecified']);
  });
});
