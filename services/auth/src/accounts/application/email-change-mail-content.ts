import { escapeHtml, singleLine } from '../../login-links/application/link-mail-content';

// The two mails of an email change. Subjects are fixed text: no instance or person name, and
// never an address, reaches a subject line. The notice to the old address does not name the
// new one: it tells the person that a change is pending and how to stop it.

export const EMAIL_CHANGE_SUBJECT = {
  confirmation: 'Confirm your new Enclave email address',
  notice: 'A change of your Enclave email address was requested',
} as const;

export interface EmailChangeMailInput {
  instanceName: string;
  recipientName: string;
  /** True when someone other than the person asked (an owner or admin of the instance). */
  requestedByAdmin: boolean;
  validHours: number;
}

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/** To the NEW address: the link that makes the change. */
export function composeConfirmationMail(input: EmailChangeMailInput & { link: string }): MailContent {
  const { greeting, instance, who } = common(input);
  const lead = `${who} asked to use this address for your account on the Enclave instance named "${instance}". The change happens only when you open this link:`;
  const validity = `The link works once and expires in ${input.validHours} hours. If you did not expect this mail, ignore it and nothing changes.`;
  return {
    subject: EMAIL_CHANGE_SUBJECT.confirmation,
    text: `${greeting}\n\n${lead}\n\n${input.link}\n\n${validity}\n`,
    html: `<p>${escapeHtml(greeting)}</p>\n<p>${escapeHtml(lead)}</p>\n<p><a href="${escapeHtml(input.link)}">Confirm this address</a></p>\n<p>${escapeHtml(validity)}</p>\n`,
  };
}

/** To the OLD address: a change is pending; nothing has changed yet. */
export function composeChangeNotice(input: EmailChangeMailInput): MailContent {
  const { greeting, instance, who } = common(input);
  const lead = `${who} asked to change the email address of your account on the Enclave instance named "${instance}" to another address.`;
  const rest =
    `Nothing changes unless the link mailed to the new address is used within ${input.validHours} hours. ` +
    'If you did not ask for this, reply to this mail to reach the owner of the instance.';
  return {
    subject: EMAIL_CHANGE_SUBJECT.notice,
    text: `${greeting}\n\n${lead}\n\n${rest}\n`,
    html: `<p>${escapeHtml(greeting)}</p>\n<p>${escapeHtml(lead)}</p>\n<p>${escapeHtml(rest)}</p>\n`,
  };
}

function common(input: EmailChangeMailInput) {
  const name = singleLine(input.recipientName);
  return {
    greeting: name ? `Hello ${name},` : 'Hello,',
    instance: singleLine(input.instanceName) || 'Enclave',
    who: input.requestedByAdmin ? 'An administrator of your instance' : 'You',
  };
}
