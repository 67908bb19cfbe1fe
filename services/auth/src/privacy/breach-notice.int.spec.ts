// Against real Kafka, FerretDB and SMTP: does audit's BreachIncidentRecorded make auth mail every active owner and admin of that tenant (not members, auditors, removed admins or another tenant) a notice with incident, detection, severity and deadline, once under redelivery, and append BreachNotificationSent {incidentId, recipients} once?
import type { Producer } from 'kafkajs';
import { auditV1, authV1, eventsV1, TOPICS } from '@enclave/proto';
import { buildEnvelope, defineTopic, tenantId as checkedTenantId, toKafkaMessage, type EventEnvelope } from '@enclave/eventing';
import { SmtpCatcherClient, uniqueName, waitFor } from '@enclave/testing';
import { serviceKeys, startAuth, TenantEventProducer, tenantEvents, uniqueEmail, type AuthHarness } from '../test-support/auth-test-kit.helper.spec';

jest.setTimeout(90_000);

const HOUR = 3_600_000;
const smtp = new SmtpCatcherClient();
const tenantId = uniqueName('tenant');
const otherTenantId = uniqueName('other');
const emails = {
  owner: uniqueEmail('owner'),
  admin: uniqueEmail('admin'),
  member: uniqueEmail('member'),
  auditor: uniqueEmail('auditor'),
  leaver: uniqueEmail('former-admin'),
  stranger: uniqueEmail('other-owner'),
};
let auth: AuthHarness;
let producer: TenantEventProducer;
let otherProducer: TenantEventProducer;
let auditProducer: Producer;
let auditVersion = 0;

const register = (tenant: string, email: string) =>
  auth.runtime.registerAccount.execute({ tenantId: tenant, email, displayName: 'Someone' }, { kind: 'service', name: 'tenant' }).then((r) => r.subjectId);
const notices = async (email: string) => (await smtp.list(email)).filter((m) => m.subject?.startsWith('Personal data breach'));
const confirmations = (incidentId: string) => auth.connection.collection('events').find({ streamId: `breach-notice-${incidentId}` }).toArray();

function breachRecorded(incidentId: string, detectedAtMs: number): EventEnvelope {
  const payload: auditV1.AuditEvent = {
    event: { $case: 'breachIncidentRecorded', value: { incidentId, detectedAtMs, notifyByMs: detectedAtMs + 72 * HOUR, severity: 'high', affectedSubjectCount: 12 } },
  };
  return buildEnvelope(defineTopic(auth.topics.audit, TOPICS.audit.codec), payload, {
    type: 'audit.BreachIncidentRecorded',
    tenantId: checkedTenantId(tenantId),
    actor: { kind: eventsV1.ActorKind.ACTOR_KIND_PERSON, id: 'someone', role: 'admin' },
    streamId: `privacy-breach:${incidentId}`,
    streamVersion: ++auditVersion,
  });
}
const sendAudit = (...envelopes: EventEnvelope[]) => auditProducer.send({ topic: auth.topics.audit, acks: -1, messages: envelopes.map(toKafkaMessage) }).then(() => undefined);

beforeAll(async () => {
  auth = await startAuth({ withKafka: true, keys: serviceKeys() });
  const ids = {
    owner: await register(tenantId, emails.owner),
    admin: await register(tenantId, emails.admin),
    member: await register(tenantId, emails.member),
    auditor: await register(tenantId, emails.auditor),
    leaver: await register(tenantId, emails.leaver),
    stranger: await register(otherTenantId, emails.stranger),
  };
  producer = await TenantEventProducer.connect(auth.kafka!, auth.topics.tenant, tenantId);
  otherProducer = await TenantEventProducer.connect(auth.kafka!, auth.topics.tenant, otherTenantId);
  auditProducer = auth.kafka!.producer({ allowAutoTopicCreation: true });
  await auditProducer.connect();
  await producer.send(
    tenantEvents.instanceCreated('Acme', ids.owner),
    tenantEvents.memberAdded(ids.owner, 'owner'),
    tenantEvents.memberAdded(ids.admin, 'admin'),
    tenantEvents.memberAdded(ids.member, 'member'),
    tenantEvents.memberAdded(ids.auditor, 'auditor'),
    tenantEvents.memberAdded(ids.leaver, 'admin'),
    tenantEvents.memberRemoved(ids.leaver),
  );
  await otherProducer.send(tenantEvents.instanceCreated('Other', ids.stranger), tenantEvents.memberAdded(ids.stranger, 'owner'));
  const memberships = auth.connection.collection('memberships');
  await waitFor(async () => (await memberships.countDocuments({ tenantId, active: false })) === 1 && (await memberships.countDocuments({ tenantId: otherTenantId })) === 1, {
    timeoutMs: 30_000,
    description: 'memberships projected',
  });
});

afterAll(async () => {
  await producer?.disconnect();
  await otherProducer?.disconnect();
  await auditProducer?.disconnect();
  await auth?.stop();
});

describe('BreachIncidentRecorded on the audit topic', () => {
  const incidentId = uniqueName('incident');
  const detectedAtMs = Date.UTC(2026, 4, 10, 8);
  let envelope: EventEnvelope;

  beforeAll(async () => {
    envelope = breachRecorded(incidentId, detectedAtMs);
    await sendAudit(envelope);
    await waitFor(async () => ((await confirmations(incidentId)).length > 0 ? true : undefined), { timeoutMs: 30_000, description: 'BreachNotificationSent' });
  });

  it('mails the active owner and admin of the tenant a notice with incident, detection, severity and deadline', async () => {
    const [toOwner] = await notices(emails.owner);
    const [toAdmin] = await notices(emails.admin);
    for (const mail of [toOwner, toAdmin]) {
      expect(mail!.subject).toBe('Personal data breach recorded on your Enclave instance');
      expect(mail!.text).toContain(`Incident: ${incidentId}`);
      expect(mail!.text).toContain('Detected at: 2026-05-10T08:00:00.000Z');
      expect(mail!.text).toContain('Severity: high');
      expect(mail!.text).toContain('Notify by: 2026-05-13T08:00:00.000Z');
    }
  });

  it('mails no member, auditor, removed admin or anyone of another tenant', async () => {
    for (const email of [emails.member, emails.auditor, emails.leaver, emails.stranger]) expect(await notices(email)).toEqual([]);
  });

  it('confirms with BreachNotificationSent as the auth service, counting the recipients, naming no one', async () => {
    const [confirmation] = await confirmations(incidentId);
    expect(confirmation).toMatchObject({ tenantId, subjectId: '', type: 'auth.BreachNotificationSent', version: 1, actor: { kind: eventsV1.ActorKind.ACTOR_KIND_SERVICE, id: 'auth' } });
    expect(authV1.AuthEvent.decode(confirmation!.payload.buffer).event).toEqual({ $case: 'breachNotificationSent', value: { incidentId, recipients: 2 } });
  });

  it('mails and confirms only once when the event is redelivered', async () => {
    await sendAudit(envelope, envelope);
    const sentinel = uniqueName('sentinel');
    await sendAudit(breachRecorded(sentinel, detectedAtMs));
    await waitFor(async () => ((await confirmations(sentinel)).length > 0 ? true : undefined), { timeoutMs: 30_000, description: 'the sentinel notice' });
    expect(await confirmations(incidentId)).toHaveLength(1);
    for (const email of [emails.owner, emails.admin]) {
      expect((await notices(email)).filter((m) => m.text?.includes(incidentId))).toHaveLength(1);
    }
    expect(await auth.runtime.notifyBreach.execute({ tenantId, incidentId, detectedAtMs, notifyByMs: detectedAtMs + 72 * HOUR, severity: 'high' })).toEqual({ recipients: 0, confirmed: false });
  });
});
