import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { AddMember, RemoveMember, TenantQueries } from '../../application';
import { refusalsAsHttp } from './domain-errors';
import { addMemberBody, memberParams, tenantParams } from './http-schemas';
import { actorOf } from './session-actor';

/** Owners and admins manage members; people appear only by pseudonymous subject id. */
@Controller('v1/tenants/:tenantId/members')
@UseGuards(SessionGuard)
@Roles('owner', 'admin')
export class MembersController {
  constructor(
    private readonly addMember: AddMember,
    private readonly removeMember: RemoveMember,
    private readonly queries: TenantQueries,
  ) {}

  @Post()
  @HttpCode(201)
  async add(@Param() params: unknown, @Body() body: unknown, @CurrentSession() session: SessionClaims) {
    const { tenantId } = parseOrThrow(tenantParams, params, 'path parameters');
    const input = parseOrThrow(addMemberBody, body, 'body');
    const result = await refusalsAsHttp(() =>
      this.addMember.execute({ tenantId, email: input.email, name: input.name ?? '', role: input.role, actor: actorOf(session) }),
    );
    return { subjectId: result.subjectId, role: result.role };
  }

  @Get()
  async list(@Param() params: unknown) {
    const { tenantId } = parseOrThrow(tenantParams, params, 'path parameters');
    const members = await this.queries.members(tenantId);
    return { members: members.map((m) => ({ subjectId: m.subjectId, role: m.role, addedAt: m.addedAt.toISOString() })) };
  }

  @Delete(':subjectId')
  @HttpCode(204)
  async remove(@Param() params: unknown, @CurrentSession() session: SessionClaims): Promise<void> {
    const { tenantId, subjectId } = parseOrThrow(memberParams, params, 'path parameters');
    await refusalsAsHttp(() => this.removeMember.execute({ tenantId, subjectId, actor: actorOf(session) }));
  }
}
