import { Body, Controller, Get, Param, Patch, UseGuards } from '@nestjs/common';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { ChangeSettings, TenantQueries, type SettingsView } from '../../application';
import { effectiveRetention } from '../../domain';
import { refusalsAsHttp } from './domain-errors';
import { changeSettingsBody, tenantParams } from './http-schemas';
import { actorOf } from './session-actor';

/**
 * What every member may see (including the logging notice version to acknowledge and the
 * retention periods in force); admins also see the hidden instruction and the model list.
 */
export function presentTenant(view: SettingsView, role: SessionClaims['role']): Record<string, unknown> {
  const { settings } = view;
  const visible: Record<string, unknown> = {
    tenantId: view.tenantId,
    instanceName: settings.instanceName,
    privacyPolicyUrl: settings.privacyPolicyUrl,
    messageLogging: settings.messageLogging,
    messageLoggingNoticeVersion: settings.messageLoggingNoticeVersion,
    defaultModel: settings.defaultModel,
    retention: effectiveRetention(settings),
  };
  if (role === 'owner' || role === 'admin') {
    visible.systemInstruction = settings.systemInstruction;
    visible.allowedModels = [...settings.allowedModels];
  }
  return visible;
}

/** The session guard answers 404 when :tenantId is not the session's tenant. */
@Controller('v1/tenants/:tenantId')
@UseGuards(SessionGuard)
export class TenantController {
  constructor(
    private readonly queries: TenantQueries,
    private readonly changeSettings: ChangeSettings,
  ) {}

  @Get()
  @Roles('owner', 'admin', 'member', 'auditor')
  async get(@Param() params: unknown, @CurrentSession() session: SessionClaims): Promise<Record<string, unknown>> {
    const { tenantId } = parseOrThrow(tenantParams, params, 'path parameters');
    const view = await refusalsAsHttp(() => this.queries.settings(tenantId));
    return presentTenant(view, session.role);
  }

  @Patch('settings')
  @Roles('owner', 'admin')
  async patch(
    @Param() params: unknown,
    @Body() body: unknown,
    @CurrentSession() session: SessionClaims,
  ): Promise<Record<string, unknown>> {
    const { tenantId } = parseOrThrow(tenantParams, params, 'path parameters');
    const changes = parseOrThrow(changeSettingsBody, body, 'body');
    const view = await refusalsAsHttp(() => this.changeSettings.execute({ tenantId, changes, actor: actorOf(session) }));
    return presentTenant(view, session.role);
  }
}
