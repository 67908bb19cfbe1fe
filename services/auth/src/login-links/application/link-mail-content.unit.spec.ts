// Do invitation and sign-in mails carry the link and the instance name in the body only, with fixed subjects and nothing unsafe?
import { composeLinkMail, MAIL_NAME_MAX } from './link-mail-content';

const link = 'http://127.0.0.1:7100/login?tenant=t1&token=abc';

describe('link mail content', () => {
  it('invites with a fixed subject, the instance name quoted in the body and the link in text and HTML', () => {
    const mail = composeLinkMail({ purpose: 'invitation', instanceName: 'Acme', recipientName: 'Ada', link, validMinutes: 15 });
    expect(mail.subject).toBe("You're invited to an Enclave instance");
    expect(mail.text).toContain('the Enclave instance named "Acme"');
    expect(mail.text).toContain(link);
    expect(mail.text).toContain('Hello Ada,');
    expect(mail.html).toContain('href="http://127.0.0.1:7100/login?tenant=t1&amp;token=abc"');
  });

  it('signs in with its own subject', () => {
    const mail = composeLinkMail({ purpose: 'login', instanceName: 'Acme', recipientName: '', link, validMinutes: 15 });
    expect(mail.subject).toBe('Your Enclave sign-in link');
    expect(mail.text.startsWith('Hello,')).toBe(true);
  });

  it('keeps chosen text out of the subject, line breaks out of the body and markup out of the HTML', () => {
    const mail = composeLinkMail({ purpose: 'invitation', instanceName: 'URGENT: verify your bank\r\nBcc: x@y', recipientName: '<b>x</b>', link, validMinutes: 15 });
    expect(mail.subject).toBe("You're invited to an Enclave instance");
    expect(mail.text).toContain('"URGENT: verify your bank Bcc: x@y"');
    expect(mail.html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>');
  });

  it('cuts a long chosen name short in the body', () => {
    const long = `URGENT your account is locked ${'x'.repeat(80)} call +1 555 0100`;
    const mail = composeLinkMail({ purpose: 'invitation', instanceName: long, recipientName: long, link, validMinutes: 15 });
    const quoted = /named "([^"]*)"/.exec(mail.text)![1]!;
    expect(quoted.length).toBe(MAIL_NAME_MAX);
    expect(quoted.endsWith('…')).toBe(true);
    expect(mail.text).not.toContain('555 0100');
    expect(mail.html).not.toContain('555 0100');
    expect(mail.subject).toBe("You're invited to an Enclave instance");
  });
});
