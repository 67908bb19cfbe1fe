import { serviceFor } from './service-routes';

describe('serviceFor', () => {
  it.each([
    ['/v1/auth/sessions', 'auth'],
    ['/v1/auth/session', 'auth'],
    ['/v1/tenants/t1/accounts/s1', 'auth'],
    ['/v1/instances', 'tenant'],
    ['/v1/tenants/t1', 'tenant'],
    ['/v1/tenants/t1/settings', 'tenant'],
    ['/v1/tenants/t1/members', 'tenant'],
    ['/v1/tenants/t1/members/s1', 'tenant'],
    ['/v1/tenants/t1/ownership-transfer/accept', 'tenant'],
    ['/v1/conversations', 'chat-gateway'],
    ['/v1/conversations/c1/messages', 'chat-gateway'],
    ['/v1/chat/completions', 'chat-gateway'],
    ['/v1/models/gpt-4o', 'chat-gateway'],
    ['/v1/tenants/t1/members/s1/conversations', 'chat-gateway'],
    ['/v1/tenants/t1/virtual-keys/k1', 'chat-gateway'],
    ['/v1/tenants/t1/provider-keys/k1/test', 'key-vault'],
    ['/v1/tenants/t1/secrets/webhook', 'key-vault'],
    ['/v1/tenants/t1/usage', 'billing'],
    ['/v1/tenants/t1/quota', 'billing'],
    ['/v1/tenants/t1/audit/events', 'audit'],
    ['/v1/tenants/t1/privacy/requests', 'audit'],
    ['/v1/audit/public-key', 'audit'],
  ])('%s goes to %s', (path, service) => {
    expect(serviceFor(path)).toBe(service);
  });

  it.each(['/v1', '/v1/unknown', '/v1/tenants', '/v1/tenants/t1/unknown', '/v1/test/clock', '/v1/admin/kek', '/v1/authx'])('%s has no service', (path) => {
    expect(serviceFor(path)).toBeUndefined();
  });
});
