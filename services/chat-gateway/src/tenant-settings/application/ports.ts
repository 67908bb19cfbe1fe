// What other features may use of the tenant-settings feature.

/** What chat-gateway needs of a tenant's settings. */
export interface TenantSettingsView {
  /** Hidden instruction prepended to every conversation upstream; empty = none. */
  systemInstruction: string;
  defaultModel: string;
  allowedModels: string[];
  /** On: owners/admins may read members' conversations (each read is recorded as MemberChatRead). */
  messageLogging: boolean;
  /** Version of the logging notice members acknowledge; empty while logging is off. */
  messageLoggingNoticeVersion: string;
  /** Conversations untouched this many days are deleted by the retention job; 0 = kept. */
  conversationRetentionDays: number;
  /** Tenant stream version the settings reflect; newer replaces older, never the reverse. */
  version: number;
}

/** Where a miss is filled from (gRPC TenantService.GetTenantSettings). */
export interface TenantSettingsSource {
  fetch(tenantId: string): Promise<TenantSettingsView>;
}

/** A tenant's settings, from memory when warm (see TenantSettingsCache). */
export interface TenantSettingsReader {
  get(tenantId: string): Promise<TenantSettingsView>;
}
