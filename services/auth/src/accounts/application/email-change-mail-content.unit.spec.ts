// Do the two email-change mails say what they must (link to the new address, notice to the old) with fixed subjects and no injected text?
import { emailConfirmationUrl } from '../domain/email-change';
import { composeChangeNotice, composeConfirmationMail, EMAIL_CHANGE_SUBJECT } from './email-change-mail-content';

const base = { instanceName: 'Acme', recipientName: 'Max', requestedByAdmin: false, validHours: 24 };

describe('email change mails', () => {
  it('sends the new address the link, valid once for 24 hours', () => {
    const mail = composeConfirmationMail({ ...base, link: 'https://chat.example/confirm-email?tenant=t&token=abc' });
    expect(mail.subject).toBe(EMAIL_CHANGE_SUBJECT.confirmation);
    expect(mail.text).toContain('https://chat.example/confirm-email?tenant=t&token=abc');
    expect(mail.text).toContain('expires in 24 hours');
    expect(mail.html).toContain('href="https://chat.example/confirm-email?tenant=t&amp;token=abc"');
  });

  it('tells the old address that a change is pending and who asked, without a link', () => {
    const mine = composeChangeNotice(base);
    const admins = composeChangeNotice({ ...base, requestedByAdmin: true });
    expect(mine.subject).toBe(EMAIL_CHANGE_SUBJECT.notice);
    expect(mine.text).toContain('You asked to change the email address');
    expect(admins.text).toContain('An administrator of your instance asked to change the email address');
    expect(admins.text).toContain('Nothing changes unless the link mailed to the new address is used');
    expect(admins.text).not.toContain('http');
  });

  it('keeps subjects fixed and names on one line, escaped in HTML', () => {
    const hostile = { ...base, instanceName: 'Acme\r\nBcc: x@evil.example', recipientName: '<b>Max</b>' };
    for (const mail of [composeChangeNotice(hostile), composeConfirmationMail({ ...hostile, link: 'https://x.example/' })]) {
      expect(Object.values(EMAIL_CHANGE_SUBJECT)).toContain(mail.subject);
      expect(mail.text).not.toContain('\r\nBcc');
      expect(mail.html).not.toContain('<b>Max</b>');
    }
  });

  it('builds the confirmation URL under the public base URL, keeping a base path', () => {
    expect(emailConfirmationUrl('https://chat.example/app/', 't 1', 'tok')).toBe('https://chat.example/app/confirm-email?tenant=t%201&token=tok');
  });
});
