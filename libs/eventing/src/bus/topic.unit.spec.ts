// Are topic and dead-letter names built as the architecture says, and bad names refused?
import { eventsV1 } from '@enclave/proto';
import { defineTopic, dlqTopic, serviceTopic } from './topic';

describe('topic naming', () => {
  it('names a service topic enclave.<service>.events.v<n>', () => {
    expect(serviceTopic('tenant')).toBe('enclave.tenant.events.v1');
    expect(serviceTopic('key-vault')).toBe('enclave.key-vault.events.v1');
    expect(serviceTopic('billing', 2)).toBe('enclave.billing.events.v2');
  });

  it('names the dead-letter topic <topic>.dlq', () => {
    expect(dlqTopic('enclave.tenant.events.v1')).toBe('enclave.tenant.events.v1.dlq');
    expect(defineTopic(serviceTopic('auth'), eventsV1.Actor).dlq).toBe('enclave.auth.events.v1.dlq');
  });

  it.each(['', 'Tenant', 'ten ant', 'tenant.x', '1tenant'])('refuses the service name %j', (name) => {
    expect(() => serviceTopic(name)).toThrow(TypeError);
  });

  it('refuses invalid topic names and versions', () => {
    expect(() => defineTopic('has space', eventsV1.Actor)).toThrow(TypeError);
    expect(() => defineTopic('', eventsV1.Actor)).toThrow(TypeError);
    expect(() => serviceTopic('tenant', 0)).toThrow(TypeError);
  });

  it('binds the codec, so both sides use one message type', () => {
    const topic = defineTopic('enclave.x.events.v1', eventsV1.Actor);
    const bytes = topic.codec.encode({ kind: eventsV1.ActorKind.ACTOR_KIND_SYSTEM, id: '', role: '' }).finish();
    expect(topic.codec.decode(bytes).kind).toBe(eventsV1.ActorKind.ACTOR_KIND_SYSTEM);
  });
});
