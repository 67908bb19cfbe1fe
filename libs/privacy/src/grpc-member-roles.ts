import { UnavailableError, type GrpcClient } from '@enclave/platform';
import type { tenantV1 } from '@enclave/proto';
import { isRole, type Role } from '@enclave/session';

type Client = GrpcClient<typeof tenantV1.MemberDirectoryServiceService>;

/** Current roles of people in a tenant; someone absent from the answer is not an active member. */
export interface MemberRoles {
  rolesOf(tenantId: string, subjectIds: readonly string[]): Promise<ReadonlyMap<string, Role>>;
}

/**
 * Tenant's MemberDirectoryService.GetMemberRoles with the caller's identity and a deadline: the
 * roles people hold NOW (a session's role claim may predate a demotion). Any failure is a 503.
 */
export class GrpcMemberRoles implements MemberRoles {
  constructor(
    private readonly client: Client,
    private readonly deadlineMs: number,
  ) {}

  async rolesOf(tenantId: string, subjectIds: readonly string[]): Promise<ReadonlyMap<string, Role>> {
    let members: tenantV1.MemberRole[];
    try {
      ({ members } = await this.client.call('getMemberRoles', { tenantId, subjectIds: [...new Set(subjectIds)] }, { idempotent: true, deadlineMs: this.deadlineMs }));
    } catch {
      throw new UnavailableError('roles in the tenant cannot be checked right now; retry later');
    }
    return new Map(members.filter((m) => isRole(m.role)).map((m) => [m.subjectId, m.role as Role]));
  }

  close(): void {
    this.client.close();
  }
}
