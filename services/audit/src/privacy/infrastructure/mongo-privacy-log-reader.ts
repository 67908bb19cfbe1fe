import type { Connection, mongo } from 'mongoose';
import type { TenantId } from '@enclave/eventing';
import type { AuditEntry } from '../../log/domain/audit-entry';
import type { BreachLogReader, BreachNotification, PrivacyLogReader } from '../application/ports';
import type { ConsentEntry } from '../domain/consents';
import { DATA_SERVICES } from '../domain/privacy-events';

const CONSENT_TYPES = ['audit.ConsentGranted', 'audit.ConsentWithdrawn'];
const PURGED_TYPES = DATA_SERVICES.map((s) => `${s}.SubjectDataPurged`);
export const MEMBER_CHAT_READ_TYPE = 'chat-gateway.MemberChatRead';
export const SUBJECT_DATA_EXPORTED_TYPE = 'audit.SubjectDataExported';
const BREACH_NOTIFIED_TYPE = 'auth.BreachNotificationSent';
const INSTANCE_CREATED_TYPE = 'tenant.InstanceCreated';

/** Reads of audit_entries (written only by the log); every query names its tenant. */
export class MongoPrivacyLogReader implements PrivacyLogReader, BreachLogReader {
  private readonly entries: mongo.Collection;

  constructor(connection: Connection) {
    this.entries = connection.collection('audit_entries') as unknown as mongo.Collection;
  }

  async consentEntries(tenant: TenantId, subjectId: string): Promise<ConsentEntry[]> {
    const docs = await this.entries.find({ tenantId: tenant, subjectId, type: { $in: CONSENT_TYPES } }).sort({ seq: 1 }).toArray();
    return docs.flatMap((doc): ConsentEntry[] => {
      const granted = doc.type === 'audit.ConsentGranted';
      const body = payloadCase(doc.payload, granted ? 'consentGranted' : 'consentWithdrawn');
      if (!body) return [];
      return [
        {
          seq: Number(doc.seq),
          type: granted ? 'ConsentGranted' : 'ConsentWithdrawn',
          purpose: String(body.purpose ?? ''),
          textVersion: String(body.textVersion ?? ''),
          atMs: new Date(doc.occurredAt as Date).getTime(),
          actorId: String((doc.actor as { id?: string } | undefined)?.id ?? ''),
        },
      ];
    });
  }

  async purgeConfirmations(tenant: TenantId, subjectId: string, requestId: string): Promise<string[]> {
    const docs = await this.entries.find({ tenantId: tenant, subjectId, type: { $in: PURGED_TYPES } }, { projection: { service: 1, type: 1, payload: 1 } }).toArray();
    const services = docs
      .filter((d) => payloadCase(d.payload, 'subjectDataPurged')?.requestId === requestId && d.type === `${String(d.service)}.SubjectDataPurged`)
      .map((d) => String(d.service));
    return [...new Set(services)].sort();
  }

  async rectifiedAfterOpening(tenant: TenantId, subjectId: string, requestId: string): Promise<boolean> {
    const opened = await this.entries.find({ tenantId: tenant, subjectId, type: 'audit.DataSubjectRequestOpened' }, { projection: { seq: 1, payload: 1 } }).toArray();
    const mine = opened.find((d) => payloadCase(d.payload, 'dataSubjectRequestOpened')?.requestId === requestId);
    if (!mine) return false;
    const later = await this.entries.findOne({ tenantId: tenant, subjectId, type: 'auth.AccountRectified', seq: { $gt: Number(mine.seq) } }, { projection: { _id: 1 } });
    return later !== null;
  }

  async breachNotification(tenant: TenantId, incidentId: string): Promise<BreachNotification | undefined> {
    // Only auth's own topic can confirm: the entry's service must be the type's.
    const docs = await this.entries.find({ tenantId: tenant, type: BREACH_NOTIFIED_TYPE, service: 'auth' }, { projection: { seq: 1, occurredAt: 1, payload: 1 } }).sort({ seq: 1 }).toArray();
    for (const doc of docs) {
      const body = payloadCase(doc.payload, 'breachNotificationSent');
      if (body?.incidentId === incidentId) return { notifiedAtMs: new Date(doc.occurredAt as Date).getTime(), recipients: Number(body.recipients ?? 0) };
    }
    return undefined;
  }

  async instanceCreatedAt(tenant: TenantId): Promise<number | undefined> {
    const doc = await this.entries.find({ tenantId: tenant, type: INSTANCE_CREATED_TYPE, service: 'tenant' }, { projection: { occurredAt: 1 } }).sort({ seq: 1 }).limit(1).next();
    return doc ? new Date(doc.occurredAt as Date).getTime() : undefined;
  }

  async entriesAbout(tenant: TenantId, subjectId: string, limit: number): Promise<AuditEntry[]> {
    return (await this.entries.find({ tenantId: tenant, subjectId }).sort({ seq: 1 }).limit(limit).toArray()).map(toEntry);
  }

  async readsAbout(tenant: TenantId, subjectId: string, after: number, limit: number): Promise<AuditEntry[]> {
    const types = [MEMBER_CHAT_READ_TYPE, SUBJECT_DATA_EXPORTED_TYPE];
    const docs = await this.entries.find({ tenantId: tenant, subjectId, type: { $in: types }, seq: { $gt: after } }).sort({ seq: 1 }).limit(limit).toArray();
    return docs.map(toEntry);
  }
}

function payloadCase(payload: unknown, oneofCase: string): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(String(payload)) as Record<string, unknown>;
    const body = parsed[oneofCase];
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function toEntry(doc: mongo.Document): AuditEntry {
  const actor = (doc.actor ?? {}) as { kind?: string; id?: string; role?: string };
  return {
    tenantId: String(doc.tenantId),
    seq: Number(doc.seq),
    eventId: String(doc.eventId),
    service: String(doc.service),
    type: String(doc.type),
    actor: { kind: (actor.kind ?? 'unspecified') as AuditEntry['actor']['kind'], id: actor.id ?? '', role: actor.role ?? '' },
    subjectId: String(doc.subjectId ?? ''),
    occurredAt: new Date(doc.occurredAt as Date),
    recordedAt: new Date(doc.recordedAt as Date),
    payload: String(doc.payload),
    prevHash: String(doc.prevHash),
    hash: String(doc.hash),
  };
}
