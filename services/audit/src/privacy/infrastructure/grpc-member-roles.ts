import { UnavailableError, type GrpcClient } from '@enclave/platform';
import type { TenantId } from '@enclave/eventing';
import type { tenantV1 } from '@enclave/proto';
import { isRole, type Role } from '@enclave/session';
import type { MemberRoles } from '../application/ports';

type Client = GrpcClient<typeof tenantV1.MemberDirectoryServiceService>;

/** Tenant's MemberDirectoryService.GetMemberRoles, with audit's identity and a deadline; any failure is a 503. */
export class GrpcMemberRoles implements MemberRoles {
  constructor(
    private readonly client: Client,
    private readonly deadlineMs: number,
  ) {}

  async rolesOf(tenant: TenantId, subjectIds: readonly string[]): Promise<ReadonlyMap<string, Role>> {
    let members: tenantV1.MemberRole[];
    try {
      ({ members } = await this.client.call('getMemberRoles', { tenantId: tenant, subjectIds: [...subjectIds] }, { idempotent: true, deadlineMs: this.deadlineMs }));
    } catch {
      throw new UnavailableError('roles in the tenant cannot be checked right now; retry later');
    }
    return new Map(members.filter((m) => isRole(m.role)).map((m) => [m.subjectId, m.role as Role]));
  }

  close(): void {
    this.client.close();
  }
}
