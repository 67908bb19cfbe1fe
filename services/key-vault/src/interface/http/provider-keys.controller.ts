import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { tenantId as checkedTenantId, type TenantId } from '@enclave/eventing';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { ListProviderKeys } from '../../application/list-provider-keys';
import { StoreProviderKey } from '../../application/store-provider-key';
import type { MaskedProviderKey } from '../../domain/provider-key/masking';
import { storeProviderKeyBody, tenantParams } from './provider-key.schemas';

/** Owners and admins of a tenant store provider keys and see them masked; nobody sees a key. */
@Controller('v1/tenants/:tenantId/provider-keys')
@UseGuards(SessionGuard)
@Roles('owner', 'admin')
export class ProviderKeysController {
  constructor(
    private readonly storeKey: StoreProviderKey,
    private readonly listKeys: ListProviderKeys,
  ) {}

  @Post()
  @HttpCode(201)
  async store(@Param() params: unknown, @Body() body: unknown, @CurrentSession() session: SessionClaims) {
    const tenantId = tenantOf(params);
    const input = parseOrThrow(storeProviderKeyBody, body ?? {}, 'body');
    const masked = await this.storeKey.execute(
      { tenantId, provider: input.provider, label: input.label, apiKey: input.apiKey, baseUrl: input.baseUrl },
      { kind: 'person', subjectId: session.subjectId, role: session.role },
    );
    return toJson(masked);
  }

  @Get()
  async list(@Param() params: unknown) {
    const tenantId = tenantOf(params);
    return { keys: (await this.listKeys.execute(tenantId)).map(toJson) };
  }
}

function toJson(key: MaskedProviderKey) {
  return {
    keyId: key.keyId,
    keyVersion: key.keyVersion,
    provider: key.provider,
    label: key.label,
    lastFour: key.lastFour,
    fingerprint: key.fingerprint,
    isDefault: key.isDefault,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt ? key.lastUsedAt.toISOString() : null,
  };
}

function tenantOf(params: unknown): TenantId {
  return checkedTenantId(parseOrThrow(tenantParams, params, 'path parameters').tenantId);
}
