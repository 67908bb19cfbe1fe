import type { Actor, ConfirmationLog } from './ports';
import { runTenantCommand, type CommandDeps } from './run-tenant-command';

export const TENANT_SERVICE_ACTOR: Actor = { kind: 'service', name: 'tenant' };

/** The stream holding tenant's one confirmation of an erasure request. */
export function subjectPurgeStreamId(requestId: string): string {
  return `subject-purge:${requestId}`;
}

export interface PurgeSubjectDeps extends CommandDeps {
  confirmations: ConfirmationLog;
}

/**
 * Audit's SubjectPurgeRequested reached tenant: the person stops being a member (MemberRemoved,
 * even for the owner: the instance then has no owner and its admins keep running it), their
 * member row is deleted, then SubjectDataPurged is appended once per request. Safe to repeat:
 * a redelivery finds nothing more to remove and the confirmation already there.
 */
export class PurgeSubject {
  constructor(private readonly deps: PurgeSubjectDeps) {}

  async execute(input: { tenantId: string; requestId: string; subjectId: string }): Promise<{ confirmed: boolean; recordsDeleted: number }> {
    const { tenantId, requestId, subjectId } = input;
    const outcome = await runTenantCommand(this.deps, tenantId, { type: 'PurgeMember', subjectId }, TENANT_SERVICE_ACTOR);
    const recordsDeleted = await this.deps.projections.purgeSubject(tenantId, subjectId, outcome.version);
    const confirmed = await this.deps.confirmations.appendOnce(
      tenantId,
      subjectPurgeStreamId(requestId),
      { type: 'SubjectDataPurged', requestId, subjectId, recordsDeleted },
      TENANT_SERVICE_ACTOR,
    );
    if (confirmed) this.deps.publisher.nudge();
    return { confirmed, recordsDeleted };
  }
}
