import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { OwnershipTransfer } from '../../application';
import { refusalsAsHttp } from './domain-errors';
import { proposeTransferBody, tenantParams } from './http-schemas';
import { actorOf } from './session-actor';

/**
 * Ownership changes hands only here, in two steps: the owner offers it to an admin (POST), the
 * admin accepts (POST …/accept) and the two swap roles. The owner may withdraw and the admin
 * decline (DELETE). Who may do what is decided from the tenant's current roles (403 otherwise);
 * each step is a tenant event on the audit trail.
 */
@Controller('v1/tenants/:tenantId/ownership-transfer')
@UseGuards(SessionGuard)
export class OwnershipController {
  constructor(private readonly transfer: OwnershipTransfer) {}

  @Get()
  @Roles('owner', 'admin')
  async pending(@Param() params: unknown) {
    const { tenantId } = parseOrThrow(tenantParams, params, 'path parameters');
    return { pending: await refusalsAsHttp(() => this.transfer.pending(tenantId)) };
  }

  @Post()
  @HttpCode(201)
  async propose(@Param() params: unknown, @Body() body: unknown, @CurrentSession() session: SessionClaims) {
    const { tenantId } = parseOrThrow(tenantParams, params, 'path parameters');
    const { toSubjectId } = parseOrThrow(proposeTransferBody, body, 'body');
    const offer = await refusalsAsHttp(() => this.transfer.propose({ tenantId, toSubjectId, actor: actorOf(session) }));
    return { status: 'proposed', ...offer };
  }

  @Post('accept')
  @HttpCode(200)
  async accept(@Param() params: unknown, @CurrentSession() session: SessionClaims) {
    const { tenantId } = parseOrThrow(tenantParams, params, 'path parameters');
    const done = await refusalsAsHttp(() => this.transfer.accept({ tenantId, actor: actorOf(session) }));
    return { status: 'transferred', ownerSubjectId: done.toSubjectId, previousOwnerSubjectId: done.fromSubjectId };
  }

  @Delete()
  @HttpCode(204)
  async cancel(@Param() params: unknown, @CurrentSession() session: SessionClaims): Promise<void> {
    const { tenantId } = parseOrThrow(tenantParams, params, 'path parameters');
    await refusalsAsHttp(() => this.transfer.cancel({ tenantId, actor: actorOf(session) }));
  }
}
