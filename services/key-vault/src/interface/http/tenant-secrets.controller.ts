import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { tenantId as checkedTenantId } from '@enclave/eventing';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { SecretLifecycle } from '../../application/secret-lifecycle';
import { TenantSecrets } from '../../application/tenant-secrets';
import { personOf } from './actor';
import { kindParams, rotateTenantSecretBody, storeTenantSecretBody, tenantSecretParams } from './provider-key.schemas';
import { tenantSecretJson } from './to-json';

/**
 * SMTP passwords (`smtp-password`) and OIDC client secrets (`oidc-client-secret`): owners and
 * admins store, list (masked), rotate and delete them; only auth's service identity can read one.
 */
@Controller('v1/tenants/:tenantId/secrets/:kind')
@UseGuards(SessionGuard)
@Roles('owner', 'admin')
export class TenantSecretsController {
  constructor(
    private readonly secrets: TenantSecrets,
    private readonly lifecycle: SecretLifecycle,
  ) {}

  @Post()
  @HttpCode(201)
  async store(@Param() params: unknown, @Body() body: unknown, @CurrentSession() session: SessionClaims) {
    const { tenantId, kind } = parseOrThrow(kindParams, params, 'path parameters');
    const input = parseOrThrow(storeTenantSecretBody, body ?? {}, 'body');
    const stored = await this.secrets.store({ tenantId: checkedTenantId(tenantId), kind, label: input.label, value: input.value }, personOf(session));
    return tenantSecretJson(stored);
  }

  @Get()
  async list(@Param() params: unknown) {
    const { tenantId, kind } = parseOrThrow(kindParams, params, 'path parameters');
    return { secrets: (await this.secrets.list(checkedTenantId(tenantId), kind)).map(tenantSecretJson) };
  }

  @Post(':secretId/rotate')
  @HttpCode(200)
  async rotate(@Param() params: unknown, @Body() body: unknown, @CurrentSession() session: SessionClaims) {
    const { tenantId, kind, secretId } = parseOrThrow(tenantSecretParams, params, 'path parameters');
    const input = parseOrThrow(rotateTenantSecretBody, body ?? {}, 'body');
    const rotated = await this.secrets.rotate({ tenantId: checkedTenantId(tenantId), kind, secretId, value: input.value }, personOf(session));
    return tenantSecretJson(rotated);
  }

  @Delete(':secretId')
  @HttpCode(204)
  async delete(@Param() params: unknown, @CurrentSession() session: SessionClaims): Promise<void> {
    const { tenantId, kind, secretId } = parseOrThrow(tenantSecretParams, params, 'path parameters');
    await this.lifecycle.delete({ tenantId: checkedTenantId(tenantId), kind, secretId }, personOf(session));
  }
}
