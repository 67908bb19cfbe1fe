import { ConcurrencyError } from '@enclave/eventing';
import type { ContactDirectory } from '../../accounts/application/account-contacts';
import type { Mailer } from '../../login-links/application/mailer';
import type { TenantDirectory } from '../../memberships/application/membership-store';
import type { AuthEventLog } from '../../shared/application/auth-event-log';
import type { Role } from '../../shared/roles';
import { privacyStreams, type BreachNotificationSent } from '../domain/privacy-events';
import { composeBreachMail } from './breach-mail-content';

/** The roles told about a breach. */
export const BREACH_RECIPIENT_ROLES: readonly Role[] = ['owner', 'admin'];

export interface BreachNoticeInput {
  tenantId: string;
  incidentId: string;
  detectedAtMs: number;
  notifyByMs: number;
  severity: string;
}

/** Who of a tenant is active in one of the roles. */
export interface ManagerDirectory {
  activeWithRoles(tenantId: string, roles: readonly Role[]): Promise<string[]>;
}

export interface NotifyBreachDeps {
  managers: ManagerDirectory;
  contacts: ContactDirectory;
  tenants: TenantDirectory;
  mailer: Mailer;
  events: AuthEventLog;
}

export type BreachNoticeOutcome = { recipients: number; confirmed: boolean };

/**
 * Breach notification, auth's part (audit's BreachIncidentRecorded): mails every active owner
 * and admin of the tenant (addresses opened only to send; erased people are skipped), then
 * confirms with BreachNotificationSent on stream `breach-notice-<incidentId>` at version 0. A
 * redelivery finds the confirmation and mails no one; a crash between the mails and the
 * confirmation mails again (a notice twice rather than none). Nobody reachable: no confirmation,
 * so audit keeps the incident unnotified and lists it overdue at the deadline.
 */
export class NotifyBreach {
  constructor(private readonly deps: NotifyBreachDeps) {}

  async execute(input: BreachNoticeInput): Promise<BreachNoticeOutcome> {
    const { deps } = this;
    const stream = privacyStreams.breachNotice(input.incidentId);
    if ((await deps.events.read(input.tenantId, stream)).version > 0) return { recipients: 0, confirmed: false };

    const profile = await deps.tenants.findProfile(input.tenantId);
    const content = composeBreachMail({ ...input, instanceName: profile?.instanceName ?? '' });
    let recipients = 0;
    for (const subjectId of await deps.managers.activeWithRoles(input.tenantId, BREACH_RECIPIENT_ROLES)) {
      const contact = await deps.contacts.findContact(input.tenantId, subjectId);
      if (!contact) continue;
      await deps.mailer.send({ to: contact.email, ...content });
      recipients += 1;
    }
    if (recipients === 0) return { recipients, confirmed: false };

    const event: BreachNotificationSent = { type: 'BreachNotificationSent', tenantId: input.tenantId, incidentId: input.incidentId, recipients, subjectId: '' };
    try {
      await deps.events.append(input.tenantId, stream, 0, [event], { kind: 'service', name: 'auth' });
      return { recipients, confirmed: true };
    } catch (error) {
      if (error instanceof ConcurrencyError) return { recipients, confirmed: false };
      throw error;
    }
  }
}
