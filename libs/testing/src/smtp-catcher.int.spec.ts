// Does mail sent over real SMTP to the local catcher come back through SmtpCatcherClient intact?
import { createTransport, type Transporter } from 'nodemailer';
import { loadInfraEnv, SmtpCatcherClient, uniqueName } from '@enclave/testing';

describe('SMTP catcher through SmtpCatcherClient', () => {
  const infra = loadInfraEnv();
  const catcher = new SmtpCatcherClient(infra.smtpApiUrl);
  let transport: Transporter;

  beforeAll(() => {
    transport = createTransport({ host: infra.smtpHost, port: infra.smtpPort, secure: false, ignoreTLS: true });
  });

  afterAll(() => transport.close());

  const address = (label: string) => `${uniqueName(label)}@example.test`;

  it('captures a mail with its sender, recipients, Reply-To, subject, text and html', async () => {
    const to = address('to');
    const cc = address('cc');
    const replyTo = address('reply');
    const sent = await transport.sendMail({
      from: 'Enclave <no-reply@enclave.test>',
      to,
      cc,
      replyTo,
      subject: 'Your sign-in code',
      text: 'Code: 424242',
      html: '<p>Code: <b>424242</b></p>',
    });

    const mail = await catcher.waitForMail(to);

    expect(mail).toMatchObject({
      from: 'no-reply@enclave.test',
      to: [to],
      cc: [cc],
      replyTo,
      subject: 'Your sign-in code',
      text: 'Code: 424242',
      html: '<p>Code: <b>424242</b></p>',
      messageId: sent.messageId,
    });
    expect([...mail.envelope.to].sort()).toEqual([to, cc].sort());
    expect(Number.isNaN(Date.parse(mail.date))).toBe(false);
    await expect(catcher.get(mail.id)).resolves.toEqual(mail);
    expect((await catcher.list(cc)).map((m) => m.id)).toEqual([mail.id]);
  });

  it('lists only the mail to the given address, oldest first', async () => {
    const alice = address('alice');
    const bob = address('bob');
    await transport.sendMail({ from: 'a@enclave.test', to: alice, subject: 'first', text: '1' });
    await transport.sendMail({ from: 'a@enclave.test', to: bob, subject: 'other', text: '2' });
    await transport.sendMail({ from: 'a@enclave.test', to: alice.toUpperCase(), subject: 'second', text: '3' });

    await catcher.waitForMail(alice, { match: (m) => m.subject === 'second' });
    const mails = await catcher.list(alice);

    expect(mails.map((m) => m.subject)).toEqual(['first', 'second']);
    expect((await catcher.list()).length).toBeGreaterThanOrEqual(3);
  });

  it('waits for the mail that matches the predicate', async () => {
    const to = address('match');
    await transport.sendMail({ from: 'a@enclave.test', to, subject: 'welcome', text: 'hi' });
    const waiting = catcher.waitForMail(to, { match: (m) => m.subject === 'reset', timeoutMs: 15_000 });
    await transport.sendMail({ from: 'a@enclave.test', to, subject: 'reset', text: 'reset link' });

    await expect(waiting).resolves.toMatchObject({ subject: 'reset', text: 'reset link' });
  });

  it('rejects with a clear message, and without the address, when no mail arrives', async () => {
    const to = address('nobody');

    const failure = catcher.waitForMail(to, { timeoutMs: 300, intervalMs: 50 });

    await expect(failure).rejects.toThrow(/^No mail to the requested address within 300 ms: none arrived$/);
    await expect(failure).rejects.not.toThrow(to);
  });

  it('answers undefined for a message id it does not hold', async () => {
    await expect(catcher.get('0000000000000-000000-00000000')).resolves.toBeUndefined();
    await expect(catcher.get('../etc/passwd')).resolves.toBeUndefined();
  });
});
