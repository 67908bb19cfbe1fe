import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { tenantId as checkedTenantId, type TenantId } from '@enclave/eventing';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { ListProviderKeys } from '../../application/list-provider-keys';
import { RotateProviderKey } from '../../application/rotate-provider-key';
import { SecretLifecycle } from '../../application/secret-lifecycle';
import { StoreProviderKey } from '../../application/store-provider-key';
import { TestProviderKey } from '../../application/test-provider-key';
import { personOf } from './actor';
import { keyParams, rotateProviderKeyBody, storeProviderKeyBody, tenantParams } from './provider-key.schemas';
import { providerKeyJson } from './to-json';

/** Owners and admins of a tenant manage its provider keys and see them masked; nobody sees a key. */
@Controller('v1/tenants/:tenantId/provider-keys')
@UseGuards(SessionGuard)
@Roles('owner', 'admin')
export class ProviderKeysController {
  constructor(
    private readonly storeKey: StoreProviderKey,
    private readonly listKeys: ListProviderKeys,
    private readonly rotateKey: RotateProviderKey,
    private readonly testKey: TestProviderKey,
    private readonly lifecycle: SecretLifecycle,
  ) {}

  @Post()
  @HttpCode(201)
  async store(@Param() params: unknown, @Body() body: unknown, @CurrentSession() session: SessionClaims) {
    const tenantId = tenantOf(params);
    const input = parseOrThrow(storeProviderKeyBody, body ?? {}, 'body');
    const masked = await this.storeKey.execute(
      { tenantId, provider: input.provider, label: input.label, apiKey: input.apiKey, baseUrl: input.baseUrl },
      personOf(session),
    );
    return providerKeyJson(masked);
  }

  @Get()
  async list(@Param() params: unknown) {
    return { keys: (await this.listKeys.execute(tenantOf(params))).map(providerKeyJson) };
  }

  /** A new version becomes current; the previous one retires after ROTATION_GRACE_MS. */
  @Post(':keyId/rotate')
  @HttpCode(200)
  async rotate(@Param() params: unknown, @Body() body: unknown, @CurrentSession() session: SessionClaims) {
    const { tenantId, keyId } = keyOf(params);
    const input = parseOrThrow(rotateProviderKeyBody, body ?? {}, 'body');
    return providerKeyJson(await this.rotateKey.execute({ tenantId, keyId, apiKey: input.apiKey }, personOf(session)));
  }

  /** Lists the provider's models with the key: 200 with ok true/false and the outcome. */
  @Post(':keyId/test')
  @HttpCode(200)
  async test(@Param() params: unknown, @CurrentSession() session: SessionClaims) {
    const { tenantId, keyId } = keyOf(params);
    return this.testKey.execute({ tenantId, keyId }, personOf(session));
  }

  /** Crypto-shredding: every version's data key is destroyed; the key can never be decrypted again. */
  @Delete(':keyId')
  @HttpCode(204)
  async delete(@Param() params: unknown, @CurrentSession() session: SessionClaims): Promise<void> {
    const { tenantId, keyId } = keyOf(params);
    await this.lifecycle.delete({ tenantId, kind: 'provider-key', secretId: keyId }, personOf(session));
  }
}

function tenantOf(params: unknown): TenantId {
  return checkedTenantId(parseOrThrow(tenantParams, params, 'path parameters').tenantId);
}

function keyOf(params: unknown): { tenantId: TenantId; keyId: string } {
  const parsed = parseOrThrow(keyParams, params, 'path parameters');
  return { tenantId: checkedTenantId(parsed.tenantId), keyId: parsed.keyId };
}
