import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { parseOrThrow, UnavailableError } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { z } from 'zod';
import type { IssueVirtualKey } from '../application/issue-virtual-key';
import type { ListVirtualKeys } from '../application/list-virtual-keys';
import type { RevokeVirtualKey } from '../application/revoke-virtual-key';
import type { VirtualKeyView } from '../application/virtual-key-view';

export const VIRTUAL_KEYS = Symbol('VIRTUAL_KEYS');

/** The management use cases; null when VIRTUAL_KEY_PEPPER is not configured. */
export type VirtualKeysUseCases = { issue: IssueVirtualKey; list: ListVirtualKeys; revoke: RevokeVirtualKey } | null;

export const MAX_RATE_PER_MINUTE = 1_000_000;
export const MAX_MONTHLY_TOKENS = 1_000_000_000_000;

const modelName = z.string().trim().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'model names are printable ASCII without spaces');

export const CreateVirtualKeySchema = z.strictObject({
  label: z.string().trim().min(1, 'label must not be empty').max(100, 'label must be at most 100 characters'),
  rateLimitPerMinute: z.number().int().min(1).max(MAX_RATE_PER_MINUTE).optional(),
  monthlyTokenLimit: z.number().int().min(1).max(MAX_MONTHLY_TOKENS).nullable().optional(),
  allowedModels: z.array(modelName).max(100).optional(),
});

const TenantParams = z.object({ tenantId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 'expected a tenant id') });
const KeyParams = TenantParams.extend({
  id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a virtual key id'),
});

/**
 * Owners and admins manage the tenant's virtual keys for the OpenAI-compatible API. The key is
 * in the creation response only; afterwards it is shown masked (last four). Another tenant's
 * path answers 404 (SessionGuard), members and auditors 403.
 */
@Controller('v1/tenants/:tenantId/virtual-keys')
@UseGuards(SessionGuard)
@Roles('owner', 'admin')
export class VirtualKeysController {
  constructor(@Inject(VIRTUAL_KEYS) private readonly useCases: VirtualKeysUseCases) {}

  @Post()
  @HttpCode(201)
  async create(@CurrentSession() session: SessionClaims, @Param() params: unknown, @Body() body: unknown): Promise<{ key: string; virtualKey: VirtualKeyView }> {
    const { tenantId } = parseOrThrow(TenantParams, params, 'path parameters');
    const input = parseOrThrow(CreateVirtualKeySchema, body ?? {}, 'body');
    const { key, view } = await this.enabled().issue.execute(tenantId, actorOf(session), {
      label: input.label,
      ...(input.rateLimitPerMinute !== undefined && { rateLimitPerMinute: input.rateLimitPerMinute }),
      monthlyTokenLimit: input.monthlyTokenLimit ?? null,
      allowedModels: input.allowedModels ?? [],
    });
    return { key, virtualKey: view };
  }

  @Get()
  async list(@Param() params: unknown): Promise<{ virtualKeys: VirtualKeyView[] }> {
    const { tenantId } = parseOrThrow(TenantParams, params, 'path parameters');
    return { virtualKeys: await this.enabled().list.execute(tenantId) };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentSession() session: SessionClaims, @Param() params: unknown): Promise<void> {
    const { tenantId, id } = parseOrThrow(KeyParams, params, 'path parameters');
    await this.enabled().revoke.execute(tenantId, actorOf(session), id.toLowerCase());
  }

  private enabled(): NonNullable<VirtualKeysUseCases> {
    if (!this.useCases) throw new UnavailableError('virtual keys are not configured on this gateway (VIRTUAL_KEY_PEPPER)');
    return this.useCases;
  }
}

function actorOf(session: SessionClaims) {
  return { subjectId: session.subjectId, role: session.role };
}
