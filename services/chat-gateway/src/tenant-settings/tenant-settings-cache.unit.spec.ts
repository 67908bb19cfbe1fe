// Is a tenant's settings fetched once, replaced only by newer SettingsChanged events, and dropped on InstanceCreated?
import { eventsV1, type tenantV1 } from '@enclave/proto';
import { TenantSettingsCache, type TenantSettingsView } from './application/tenant-settings-cache';
import { applyTenantEvent } from './interface/tenant-events';
import { toSettingsView } from './infrastructure/settings-mapping';

function view(systemInstruction: string, version: number): TenantSettingsView {
  return { systemInstruction, defaultModel: 'm', allowedModels: [], messageLogging: false, messageLoggingNoticeVersion: '', conversationRetentionDays: 0, version };
}

function setup() {
  const fetched: string[] = [];
  let served = view('from peer', 5);
  const cache = new TenantSettingsCache(
    { fetch: async (tenantId) => (fetched.push(tenantId), served) },
    { maxEntries: 10, ttlMs: 60_000, clock: () => 0 },
  );
  return { cache, fetched, serve: (v: TenantSettingsView) => void (served = v) };
}

function decoded(event: tenantV1.TenantEvent['event'], streamVersion: number) {
  const envelope: eventsV1.EventEnvelope = {
    id: 'e', type: 't', tenantId: 't1', subjectId: '', actor: undefined, occurredAtMs: 0, schemaVersion: 1,
    traceparent: '', tracestate: '', streamId: 'tenant-t1', streamVersion, payload: Buffer.alloc(0),
  };
  return { envelope, payload: { event } };
}

const settings = (systemInstruction: string): tenantV1.TenantSettings => ({
  instanceName: 'i', systemInstruction, messageLogging: true, privacyPolicyUrl: '', defaultModel: 'gpt-4o', allowedModels: ['a'],
  messageLoggingNoticeVersion: 'notice-2', retention: { conversationDays: 30, securityLogDays: 90, usageDetailDays: 365 },
});

describe('TenantSettingsCache', () => {
  it('fetches a tenant once and then answers from memory', async () => {
    const { cache, fetched } = setup();
    await cache.get('t1');
    await cache.get('t1');
    expect(fetched).toEqual(['t1']);
  });

  it('given cached settings, when SettingsChanged is newer, then they are replaced without a fetch', async () => {
    const { cache, fetched } = setup();
    await cache.get('t1');
    applyTenantEvent(cache, decoded({ $case: 'settingsChanged', value: { settings: settings('new rules') } }, 6));
    expect(await cache.get('t1')).toEqual({
      systemInstruction: 'new rules', defaultModel: 'gpt-4o', allowedModels: ['a'], messageLogging: true,
      messageLoggingNoticeVersion: 'notice-2', conversationRetentionDays: 30, version: 6,
    });
    expect(fetched).toHaveLength(1);
  });

  it('given cached settings, when an older SettingsChanged arrives late, then it is ignored', async () => {
    const { cache } = setup();
    await cache.get('t1');
    applyTenantEvent(cache, decoded({ $case: 'settingsChanged', value: { settings: settings('stale') } }, 4));
    expect((await cache.get('t1')).systemInstruction).toBe('from peer');
  });

  it('given cached settings, when InstanceCreated arrives, then the next read fetches again', async () => {
    const { cache, fetched, serve } = setup();
    await cache.get('t1');
    applyTenantEvent(cache, decoded({ $case: 'instanceCreated', value: { instanceName: 'i', ownerSubjectId: 's' } }, 1));
    serve(view('fresh', 1));
    expect((await cache.get('t1')).systemInstruction).toBe('fresh');
    expect(fetched).toHaveLength(2);
  });

  it('ignores membership events', async () => {
    const { cache, fetched } = setup();
    await cache.get('t1');
    applyTenantEvent(cache, decoded({ $case: 'memberAdded', value: { subjectId: 's', role: 'member' } }, 7));
    await cache.get('t1');
    expect(fetched).toHaveLength(1);
  });
});

describe('toSettingsView', () => {
  it('maps unset retention to "kept until deleted" (0) and keeps the notice version', () => {
    const mapped = toSettingsView({ instanceName: 'i', systemInstruction: '', messageLogging: false, privacyPolicyUrl: '', defaultModel: '', allowedModels: [], messageLoggingNoticeVersion: '' }, 1);
    expect(mapped).toMatchObject({ conversationRetentionDays: 0, messageLoggingNoticeVersion: '' });
    expect(toSettingsView(undefined, 1).conversationRetentionDays).toBe(0);
  });
});
