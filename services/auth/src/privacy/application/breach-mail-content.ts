import { escapeHtml, singleLine } from '../../login-links/application/link-mail-content';

export interface BreachMailInput {
  instanceName: string;
  incidentId: string;
  detectedAtMs: number;
  notifyByMs: number;
  severity: string;
}

export const BREACH_MAIL_SUBJECT = 'Personal data breach recorded on your Enclave instance';

/** The notice to an owner or admin: which incident, when detected, how severe, the deadline. No description. */
export function composeBreachMail(input: BreachMailInput): { subject: string; text: string; html: string } {
  const instance = singleLine(input.instanceName) || 'Enclave';
  // Fixed: the instance name is chosen by whoever created the instance, so it stays out of the subject.
  const subject = BREACH_MAIL_SUBJECT;
  const lines = [
    `A personal data breach was recorded for the Enclave instance named "${instance}".`,
    `Incident: ${input.incidentId}`,
    `Detected at: ${new Date(input.detectedAtMs).toISOString()}`,
    `Severity: ${input.severity}`,
    `Notify by: ${new Date(input.notifyByMs).toISOString()} (72 hours after detection)`,
    'The details are in the privacy section of the admin console.',
  ];
  const text = `Hello,\n\n${lines.join('\n')}\n`;
  const html = `<p>Hello,</p>\n${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}\n`;
  return { subject, text, html };
}
