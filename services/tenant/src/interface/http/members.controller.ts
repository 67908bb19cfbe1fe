import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { AddMember, ChangeMemberRole, RemoveMember, TenantQueries } from '../../application';
import { refusalsAsHttp } from './domain-errors';
import { addMemberBody, changeRoleBody, memberParams, tenantParams } from './http-schemas';
import { actorOf } from './session-actor';

/**
 * Owners and admins manage members of lower rank (an admin: auditors and members; the owner:
 * also admins), ranked by their current role in the tenant; refusals are 403. People appear
 * only by pseudonymous subject id.
 */
@Controller('v1/tenants/:tenantId/members')
@UseGuards(SessionGuard)
@Roles('owner', 'admin')
export class MembersController {
  constructor(
    private readonly addMember: AddMember,
    private readonly removeMember: RemoveMember,
    private readonly changeMemberRole: ChangeMemberRole,
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

  @Patch(':subjectId')
  async changeRole(@Param() params: unknown, @Body() body: unknown, @CurrentSession() session: SessionClaims) {
    const { tenantId, subjectId } = parseOrThrow(memberParams, params, 'path parameters');
    const { role } = parseOrThrow(changeRoleBody, body, 'body');
    const result = await refusalsAsHttp(() => this.changeMemberRole.execute({ tenantId, subjectId, role, actor: actorOf(session) }));
    return { subjectId, role, changed: result.changed };
  }

  @Delete(':subjectId')
  @HttpCode(204)
  async remove(@Param() params: unknown, @CurrentSession() session: SessionClaims): Promise<void> {
    const { tenantId, subjectId } = parseOrThrow(memberParams, params, 'path parameters');
    await refusalsAsHttp(() => this.removeMember.execute({ tenantId, subjectId, actor: actorOf(session) }));
  }
}
