import type { tenantV1 } from '@enclave/proto';
import type { TenantSettingsView } from '../application/tenant-settings-cache';

/** Protobuf TenantSettings (gRPC answer or SettingsChanged event) → what the gateway keeps. */
export function toSettingsView(settings: tenantV1.TenantSettings | undefined, version: number): TenantSettingsView {
  return {
    systemInstruction: settings?.systemInstruction ?? '',
    defaultModel: settings?.defaultModel ?? '',
    allowedModels: [...(settings?.allowedModels ?? [])],
    messageLogging: settings?.messageLogging ?? false,
    messageLoggingNoticeVersion: settings?.messageLoggingNoticeVersion ?? '',
    // Unset retention = the defaults: conversations kept until the member deletes them.
    conversationRetentionDays: Math.max(0, settings?.retention?.conversationDays ?? 0),
    version,
  };
}
