import type { LoginLinkPurpose } from '../domain/login-link';

export interface LinkMailInput {
  purpose: LoginLinkPurpose;
  instanceName: string;
  recipientName: string;
  link: string;
  validMinutes: number;
}

export interface LinkMailContent {
  subject: string;
  text: string;
  html: string;
}

/** Fixed subjects: text somebody chose (an instance or person name) never reaches a subject line. */
export const LINK_MAIL_SUBJECT = { invitation: "You're invited to an Enclave instance", login: 'Your Enclave sign-in link' } as const;

/** Subject, plain text and HTML of an invitation or sign-in mail. */
export function composeLinkMail(input: LinkMailInput): LinkMailContent {
  const instance = mailName(input.instanceName) || 'Enclave';
  const name = mailName(input.recipientName);
  const greeting = name ? `Hello ${name},` : 'Hello,';
  const invitation = input.purpose === 'invitation';
  const subject = invitation ? LINK_MAIL_SUBJECT.invitation : LINK_MAIL_SUBJECT.login;
  const lead = invitation
    ? `You have been invited to the Enclave instance named "${instance}". Use this link to sign in:`
    : `Use this link to sign in to the Enclave instance named "${instance}":`;
  const validity = `The link works once and expires in ${input.validMinutes} minutes. If you did not expect this mail, you can ignore it.`;
  const text = `${greeting}\n\n${lead}\n\n${input.link}\n\n${validity}\n`;
  const html =
    `<p>${escapeHtml(greeting)}</p>\n<p>${escapeHtml(lead)}</p>\n` +
    `<p><a href="${escapeHtml(input.link)}">${invitation ? 'Join' : 'Sign in'}</a></p>\n` +
    `<p>${escapeHtml(validity)}</p>\n`;
  return { subject, text, html };
}

/**
 * Names in a mail body are chosen by whoever created the instance or the account (anyone, at
 * sign-up): one short quoted line, so a name cannot pass for the mail's own wording.
 */
export const MAIL_NAME_MAX = 64;

function mailName(value: string): string {
  const line = singleLine(value);
  return line.length <= MAIL_NAME_MAX ? line : `${line.slice(0, MAIL_NAME_MAX - 1).trimEnd()}…`;
}

/** Names come from people: no line breaks or control characters reach a header or a line. */
export function singleLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
