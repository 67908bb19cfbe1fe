import type { TenantRole } from './tenant-role';
import type { TenantSettings } from './tenant-settings';

/** The tenant aggregate as folded from its stream `tenant-<tenantId>`. */
export interface TenantState {
  created: boolean;
  instanceName: string;
  ownerSubjectId: string;
  /** subjectId → role */
  members: ReadonlyMap<string, TenantRole>;
  settings: TenantSettings;
  /** The owner's open offer of ownership to an admin, if any. */
  pendingTransfer: { fromSubjectId: string; toSubjectId: string } | null;
}

export const initialTenantState: TenantState = {
  created: false,
  instanceName: '',
  ownerSubjectId: '',
  members: new Map(),
  settings: {
    instanceName: '',
    systemInstruction: '',
    messageLogging: false,
    privacyPolicyUrl: '',
    defaultModel: '',
    allowedModels: [],
    messageLoggingNoticeVersion: '',
  },
  pendingTransfer: null,
};

export function tenantStreamId(tenantId: string): string {
  return `tenant-${tenantId}`;
}
