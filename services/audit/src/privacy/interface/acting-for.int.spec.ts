// Through HTTP against real Kafka, FerretDB and tenant's MemberDirectoryService over gRPC: may an owner or admin open, cancel, lift or export only for someone they outrank, ranked by the tenant's current roles, and does a refusal leave nothing behind?
import { uuidv7 } from '@enclave/platform';
import { newTenantId } from '../../test-support/audit-test-kit.helper.spec';
import { startPrivacyStack, type PrivacyStack } from '../../test-support/privacy-stack.helper.spec';

jest.setTimeout(120_000);

let stack: PrivacyStack;
const tenant = newTenantId();
const base = `/v1/tenants/${tenant}/privacy`;
const eventsAbout = (subjectId: string) => stack.connection.collection('events').countDocuments({ tenantId: tenant, subjectId });

beforeAll(async () => {
  stack = await startPrivacyStack('audit-acting-for');
});

afterAll(async () => {
  await stack?.close();
});

describe('data-subject requests on someone else\'s behalf', () => {
  it('403: an admin opening an erasure for the owner or another admin; nothing is opened, nobody frozen', async () => {
    const owner = stack.person(tenant, 'owner');
    const admin = stack.person(tenant, 'admin');
    const otherAdmin = stack.person(tenant, 'admin');
    for (const target of [owner, otherAdmin]) {
      const reply = await stack.call('POST', `${base}/requests`, admin.token, { kind: 'erasure', subjectId: target.id });
      expect(reply.status).toBe(403);
      expect(reply.body).toEqual({ error: 'forbidden', message: expect.stringMatching(/owner's account|equal or higher rank/) });
      expect(await eventsAbout(target.id)).toBe(0);
    }
    expect((await stack.call('POST', `${base}/requests`, admin.token, { kind: 'restriction', subjectId: owner.id })).status).toBe(403);
    expect((await stack.call('GET', `${base}/subjects/${owner.id}/export`, admin.token)).status).toBe(403);
    expect((await stack.call('DELETE', `${base}/subjects/${otherAdmin.id}/restriction`, admin.token)).status).toBe(403);
  });

  it('201: the owner for an admin, an admin for a member or for someone who is no longer a member', async () => {
    const owner = stack.person(tenant, 'owner');
    const admin = stack.person(tenant, 'admin');
    const member = stack.person(tenant, 'member');
    expect((await stack.call('POST', `${base}/requests`, owner.token, { kind: 'access', subjectId: admin.id })).status).toBe(201);
    expect((await stack.call('POST', `${base}/requests`, admin.token, { kind: 'access', subjectId: member.id })).status).toBe(201);
    expect((await stack.call('POST', `${base}/requests`, admin.token, { kind: 'access', subjectId: uuidv7() })).status).toBe(201);
  });

  it('ranks by the directory, not the session: a demoted admin, or an owner claim of an admin, is refused', async () => {
    const admin = stack.person(tenant, 'admin');
    const member = stack.person(tenant, 'member');
    const target = stack.person(tenant, 'admin');
    expect((await stack.call('POST', `${base}/requests`, stack.tokenFor(tenant, 'owner', admin.id), { kind: 'erasure', subjectId: target.id })).status).toBe(403);
    stack.members.set(`${tenant}/${admin.id}`, 'member');
    expect((await stack.call('POST', `${base}/requests`, admin.token, { kind: 'access', subjectId: member.id })).status).toBe(403);
    stack.members.delete(`${tenant}/${admin.id}`);
    const removed = await stack.call('POST', `${base}/requests`, admin.token, { kind: 'access', subjectId: member.id });
    expect(removed).toMatchObject({ status: 403, body: { message: 'you are not a member of this tenant' } });
  });

  it('403: an admin cancelling an erasure the owner opened for another admin; the owner may', async () => {
    const owner = stack.person(tenant, 'owner');
    const admin = stack.person(tenant, 'admin');
    const target = stack.person(tenant, 'admin');
    const opened = await stack.call('POST', `${base}/requests`, owner.token, { kind: 'erasure', subjectId: target.id });
    expect(opened.status).toBe(201);
    expect((await stack.call('POST', `${base}/requests/${opened.body.requestId}/cancel`, admin.token)).status).toBe(403);
    expect((await stack.call('POST', `${base}/requests/${opened.body.requestId}/cancel`, owner.token)).status).toBe(200);
  });

  it('answers 503, opening nothing, when the tenant cannot say who ranks where', async () => {
    const admin = stack.person(tenant, 'admin');
    const member = stack.person(tenant, 'member');
    await stack.servers.get('tenant')!.stop(100);
    const reply = await stack.call('POST', `${base}/requests`, admin.token, { kind: 'erasure', subjectId: member.id });
    expect(reply.status).toBe(503);
    expect(await eventsAbout(member.id)).toBe(0);
    // The person acting for themself needs no ranking.
    expect((await stack.call('POST', `${base}/requests`, member.token, { kind: 'access' })).status).toBe(201);
  });
});
