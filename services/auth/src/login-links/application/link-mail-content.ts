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

/** Subject, plain text and HTML of an invitation or sign-in mail. */
export function composeLinkMail(input: LinkMailInput): LinkMailContent {
  const instance = singleLine(input.instanceName) || 'Enclave';
  const name = singleLine(input.recipientName);
  const greeting = name ? `Hello ${name},` : 'Hello,';
  const invitation = input.purpose === 'invitation';
  const subject = invitation ? `You're invited to ${instance}` : `Your sign-in link for ${instance}`;
  const lead = invitation
    ? `You have been invited to ${instance}. Use this link to sign in:`
    : `Use this link to sign in to ${instance}:`;
  const validity = `The link works once and expires in ${input.validMinutes} minutes. If you did not expect this mail, you can ignore it.`;
  const text = `${greeting}\n\n${lead}\n\n${input.link}\n\n${validity}\n`;
  const html =
    `<p>${escapeHtml(greeting)}</p>\n<p>${escapeHtml(lead)}</p>\n` +
    `<p><a href="${escapeHtml(input.link)}">${escapeHtml(invitation ? `Join ${instance}` : `Sign in to ${instance}`)}</a></p>\n` +
    `<p>${escapeHtml(validity)}</p>\n`;
  return { subject, text, html };
}

/** Names come from people: no line breaks or control characters reach a header or a line. */
export function singleLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
