import type { Connection } from 'mongoose';
import { tenantId as checkedTenantId } from '@enclave/eventing';
import type { MembershipView, MemberView, RecordedTenantEvent, SettingsView, TenantProjections } from '../../application';
import { tenantMemberPurgeModel } from './tenant-member-purges.schema';
import { TenantMembersRepository } from './tenant-members.repository';
import { tenantMemberModel } from './tenant-members.schema';
import { TenantSettingsRepository } from './tenant-settings.repository';
import { tenantSettingsModel } from './tenant-settings.schema';

/** `tenant_settings` and `tenant_members`, updated idempotently by stream version. */
export class MongoTenantProjections implements TenantProjections {
  private readonly settingsRepo: TenantSettingsRepository;
  private readonly membersRepo: TenantMembersRepository;

  constructor(private readonly connection: Connection) {
    this.settingsRepo = new TenantSettingsRepository(tenantSettingsModel(connection));
    this.membersRepo = new TenantMembersRepository(tenantMemberModel(connection), tenantMemberPurgeModel(connection));
  }

  /** Creates the collections and their unique indexes (idempotent). */
  async init(): Promise<void> {
    const c = this.connection;
    for (const model of [tenantSettingsModel(c), tenantMemberModel(c), tenantMemberPurgeModel(c)] as const) {
      await model.init();
      await model.createIndexes();
    }
  }

  async apply(events: readonly RecordedTenantEvent[]): Promise<void> {
    for (const recorded of events) {
      const tenant = checkedTenantId(recorded.tenantId);
      const { event, version, occurredAt } = recorded;
      switch (event.type) {
        case 'InstanceCreated':
          break; // the SettingsChanged of the same append carries the instance name
        case 'MemberAdded':
          await this.membersRepo.added(tenant, event.subjectId, event.role, version, occurredAt);
          break;
        case 'MemberRemoved':
          await this.membersRepo.removed(tenant, event.subjectId, version, occurredAt);
          break;
        case 'MemberRoleChanged':
          await this.membersRepo.roleChanged(tenant, event.subjectId, event.role, version);
          break;
        case 'OwnershipTransferProposed':
        case 'OwnershipTransferCancelled':
        case 'OwnershipTransferred':
          break; // the offer is read from the aggregate; the roles follow from MemberRoleChanged
        case 'SettingsChanged':
          await this.settingsRepo.put(tenant, version, event.settings, occurredAt);
          break;
        case 'SubjectDataPurged':
        case 'RetentionPurged':
          break; // nothing to show: they live on streams of their own
        default: {
          const unhandled: never = event;
          throw new Error(`unhandled tenant event ${(unhandled as { type: string }).type}`);
        }
      }
    }
  }

  async settings(tenantId: string): Promise<SettingsView | null> {
    const doc = await this.settingsRepo.get(checkedTenantId(tenantId));
    if (!doc) return null;
    return {
      tenantId: doc.tenantId,
      version: doc.version,
      settings: {
        instanceName: doc.instanceName,
        systemInstruction: doc.systemInstruction,
        messageLogging: doc.messageLogging,
        privacyPolicyUrl: doc.privacyPolicyUrl,
        defaultModel: doc.defaultModel,
        allowedModels: [...doc.allowedModels],
        messageLoggingNoticeVersion: doc.messageLoggingNoticeVersion ?? '',
        ...(doc.retention && {
          retention: {
            conversationDays: doc.retention.conversationDays,
            securityLogDays: doc.retention.securityLogDays,
            usageDetailDays: doc.retention.usageDetailDays,
          },
        }),
      },
    };
  }

  async membership(tenantId: string, subjectId: string): Promise<MembershipView | null> {
    const doc = await this.membersRepo.of(checkedTenantId(tenantId), subjectId);
    return doc && { subjectId: doc.subjectId, role: doc.role, addedAt: doc.addedAt, active: doc.active };
  }

  async purgeSubject(tenantId: string, subjectId: string, throughVersion: number): Promise<number> {
    return this.membersRepo.purge(checkedTenantId(tenantId), subjectId, throughVersion);
  }

  async members(tenantId: string): Promise<MemberView[]> {
    const docs = await this.membersRepo.active(checkedTenantId(tenantId));
    return docs.map((d) => ({ subjectId: d.subjectId, role: d.role, addedAt: d.addedAt }));
  }
}
