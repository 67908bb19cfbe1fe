// The web console in real Chromium against the real local stack: an owner signs up and reaches
// the console from the mailed link, adds a provider key and invites a member; the member signs
// in from their mail, chats and sees the answer arrive in parts, reloads, and a second browser
// (signed in through a newly requested link) shows the same history. Every page is scanned by
// axe-core; any console error or unexpected failed request fails the test.
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { SmtpCatcherClient, uniqueName, waitFor, type CaughtMail } from '@enclave/testing';
import { call } from '../http';
import { stackGroups, startGroupsAtTopicEnds } from '../support/skip-topic-history';
import { accessibilityProblems, launchChromium, openGuardedPage, screenshot, type GuardedPage } from '../support/browser';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const stack = require('../../../scripts/local-stack.js');

const PORT_BASE = 24100;
const run = uniqueName('web').replace(/[^a-z0-9]/gi, '').toLowerCase();
const dbPrefix = `e2e${run.slice(-10)}`;
const logDir = path.join(__dirname, '../../../.enclave/logs', dbPrefix);
const email = (who: string) => `${who}.${run}@example.test`;

jest.setTimeout(240_000);

/** The sign-in URL of a mail (the console's /login page). */
function linkOf(mail: CaughtMail): string {
  const match = /(https?:\/\/\S+\/login\?\S*token=[A-Za-z0-9_-]+)/.exec(mail.text ?? '');
  if (!match) throw new Error('mail carries no console sign-in link');
  return match[1]!;
}

describe('web console', () => {
  const smtp = new SmtpCatcherClient();
  const ports = stack.ports(PORT_BASE);
  const origin = `http://127.0.0.1:${ports.web.http}`;
  let running: { stop: () => Promise<void> };
  let browser: Browser;
  const pages: GuardedPage[] = [];
  let tenantId = '';
  let conversationPath = '';
  let answerText = '';
  let history: string[] = [];
  // Markdown in the question comes back in the (echoed) answer, where it is rendered.
  const question = 'Please explain in a few words how **streaming** answers reach `this browser`';

  const open = async () => {
    const guarded = await openGuardedPage(browser, origin);
    pages.push(guarded);
    return guarded;
  };
  const expectAccessible = async (g: GuardedPage, name: string) => {
    await screenshot(g.page, name);
    expect(await accessibilityProblems(g.page, name)).toEqual([]);
  };
  const signInFromMail = async (g: GuardedPage, mail: CaughtMail) => {
    await g.page.goto(linkOf(mail));
    await g.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await expectAccessible(g, `${g === pages[0] ? 'owner' : 'member'}-login`);
    const [answer] = await Promise.all([
      g.page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/auth/sessions'),
      g.page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    // The tokens travel in HttpOnly cookies only: the page never sees them.
    const body = (await answer.json()) as Record<string, unknown>;
    expect(Object.keys(body)).not.toEqual(expect.arrayContaining(['token']));
    expect(Object.keys(body)).not.toEqual(expect.arrayContaining(['refreshToken']));
  };

  beforeAll(async () => {
    // Every tenant of this suite is created below: earlier runs' events on the shared broker are not ours to replay.
    await startGroupsAtTopicEnds(stackGroups(dbPrefix));
    running = await stack.startStack({
      portBase: PORT_BASE,
      dbPrefix,
      groupSuffix: dbPrefix,
      logDir,
      readyTimeoutMs: 90_000,
      authFirst: true,
      // One word per chunk, spaced out: the answer visibly arrives in parts.
      extra: {
        'fake-upstream': { FAKE_UPSTREAM_CHUNK_DELAY_MS: '80' },
        // Every local client is 127.0.0.1 and Redis is shared by every suite on the machine.
        auth: { LOGIN_LINK_LIMIT_PER_IP: '100000' },
      },
    });
    browser = await launchChromium();
  }, 180_000);

  afterEach(() => {
    for (const g of pages) expect(g.problems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  }, 60_000);

  it('serves the console with strict security headers on one origin', async () => {
    const res = await fetch(`${origin}/signup`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const forged = await fetch(`${origin}/v1/instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', 'x-enclave-csrf': '1' },
      body: JSON.stringify({ instanceName: 'x', adminEmail: email('evil'), adminName: 'x' }),
    });
    expect(forged.status).toBe(403);
  });

  it('an owner signs up and reaches the admin console from the mailed link', async () => {
    const owner = await open();
    await owner.page.goto('/signup');
    await owner.page.getByLabel('Instance name').fill(`Acme ${run}`);
    await owner.page.getByLabel('Your name').fill('Olga Owner');
    await owner.page.getByLabel('Your email address').fill(email('owner'));
    await expectAccessible(owner, 'signup');
    await owner.page.getByRole('button', { name: 'Create instance' }).click();
    const created = await owner.page.getByText(/Your instance id/).textContent();
    tenantId = /: (\S+)$/.exec(created ?? '')![1]!;

    const mail = await smtp.waitForMail(email('owner'), { timeoutMs: 120_000 });
    expect(linkOf(mail).startsWith(`${origin}/login?`)).toBe(true);
    // Opening the link (a GET, as a mail scanner would) must not use the token up.
    expect((await fetch(linkOf(mail))).status).toBe(200);
    await signInFromMail(owner, mail);
    await owner.page.waitForURL('**/admin');
    await owner.page.getByRole('heading', { name: 'Administration' }).waitFor();
    await owner.page.getByLabel('Instance name').waitFor();
    expect(await owner.page.getByLabel('Instance name').inputValue()).toBe(`Acme ${run}`);
    const cookies = await owner.context.cookies();
    expect(cookies.find((c) => c.name === 'enclave_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await owner.page.evaluate('localStorage.length + sessionStorage.length')).toBe(0);
    await expectAccessible(owner, 'owner-admin');

    // Before any provider key, a chat is refused with words the owner can act on.
    owner.expect({ method: 'POST', path: /^\/v1\/conversations\/[^/]+\/messages$/, status: 409 });
    await owner.page.getByRole('link', { name: 'Chat' }).click();
    await owner.page.getByRole('textbox', { name: 'Message' }).fill('hello before any key');
    await owner.page.getByRole('button', { name: 'Send' }).click();
    await owner.page.getByRole('alert').filter({ hasText: 'no AI provider key yet' }).waitFor();
    await expectAccessible(owner, 'owner-chat-no-key');
    await owner.page.getByRole('link', { name: 'Admin' }).click();
    await owner.page.getByLabel('Provider', { exact: true }).waitFor();
  });

  it('the owner adds a provider key and invites a member', async () => {
    const { page } = pages[0]!;
    await page.getByLabel('Provider', { exact: true }).selectOption('openai-compatible');
    await page.getByLabel('Label', { exact: true }).fill('local');
    await page.getByLabel(/API key/).fill(`sk-web-${run}`);
    await page.getByLabel(/Base URL/).fill(`http://127.0.0.1:${ports.upstream}/v1`);
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.getByText('Key stored.', { exact: false }).waitFor();
    await page.getByText(/local — openai-compatible — ••••/).waitFor();
    expect(await page.content()).not.toContain(`sk-web-${run}`);

    await page.getByLabel('Name', { exact: true }).fill('Mia Member');
    await page.getByLabel('Email address', { exact: true }).fill(email('member'));
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('Invitation sent.').waitFor();
    await waitFor(async () => (await page.getByRole('row').count()) >= 3, { timeoutMs: 30_000, description: 'the member in the list' });
    await expectAccessible(pages[0]!, 'owner-admin-filled');

    // No quota for this test tenant (the operator's call; billing has no console page yet).
    const { operatorToken } = stack.loadSecrets();
    await call('PUT', `${origin}/v1/tenants/${tenantId}/quota`, { headers: { 'x-operator-token': operatorToken }, body: { monthlyTokenQuota: null } });
  });

  it('a member signs in from their mail, chats and sees the answer arrive in parts', async () => {
    const member = await open();
    const mail = await smtp.waitForMail(email('member'), { timeoutMs: 120_000 });
    await signInFromMail(member, mail);
    const { page } = member;
    await page.waitForURL('**/chat');
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    await expectAccessible(member, 'member-chat-empty');
    // Members pick among what they may use: here the instance's default model only.
    await waitFor(async () => (await page.getByLabel('Model').inputValue()) === 'gpt-4o-mini', { timeoutMs: 30_000, description: 'the default model in the picker' });

    // Record every text the streaming answer shows, as the DOM changes.
    await page.evaluate(`(() => {
      const seen = (window.__parts = []);
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="streaming-answer"] .message-body')?.textContent ?? '';
        if (text && seen[seen.length - 1] !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    await page.getByRole('textbox', { name: 'Message' }).fill(question);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('button', { name: 'Stop generating' }).waitFor();
    await page.locator('[data-testid="streaming-answer"]').filter({ hasText: /Echo/ }).waitFor();
    await screenshot(page, 'member-chat-streaming');
    await page.waitForURL(/\/chat\/[^/]+$/);
    await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: 60_000 });
    answerText = 'Echo (12 words): Please explain in a few words how streaming answers reach this browser';
    const answered = page.locator('article.message-assistant').filter({ hasText: answerText });
    await answered.waitFor();
    expect(await answered.locator('strong').textContent()).toBe('streaming');
    expect(await answered.locator('code').textContent()).toBe('this browser');
    const parts = (await page.evaluate('window.__parts')) as string[];
    expect(parts.length).toBeGreaterThanOrEqual(2); // seen in parts before it finished
    expect(parts[0]!.length).toBeLessThan(answerText.length);
    await expectAccessible(member, 'member-chat-answered');
    conversationPath = new URL(page.url()).pathname;

    await page.reload();
    await page.locator('article.message-assistant').filter({ hasText: answerText }).waitFor();
    await page.locator('article.message-user').filter({ hasText: question }).waitFor();
    await page.getByRole('link', { name: question.slice(0, 60) }).waitFor();
    history = await page.locator('article.message').allTextContents();

    // Stop generating, in a new conversation: the answer stops and the composer is back.
    member.expect({ method: 'POST', path: /^\/v1\/conversations\/[^/]+\/messages$/, status: 'aborted' });
    await page.getByRole('link', { name: 'New chat' }).click();
    await page.waitForURL('**/chat');
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    await page.getByRole('textbox', { name: 'Message' }).fill(`A long one: ${long}`);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('[data-testid="streaming-answer"]').filter({ hasText: /Echo/ }).waitFor();
    await page.getByRole('button', { name: 'Stop generating' }).click();
    await page.getByText('Generation stopped.').waitFor();
    // What had arrived stays on screen, short of the whole answer.
    const kept = await page.locator('article.message-assistant').last().textContent();
    expect(kept).toMatch(/Echo/); // at least the first part arrived before the stop
    expect(kept).not.toContain('word199');
    await page.getByRole('button', { name: 'Send' }).waitFor();
    await screenshot(page, 'member-chat-stopped');
  });

  it('a second browser signed in through a newly requested link shows the same history', async () => {
    const second = await open();
    const before = (await smtp.list(email('member'))).map((m) => m.id);
    await second.page.goto(`/signin?tenant=${encodeURIComponent(tenantId)}`);
    await second.page.getByLabel('Email address').fill(email('member'));
    await expectAccessible(second, 'request-link');
    await second.page.getByRole('button', { name: 'Mail me a link' }).click();
    await second.page.getByText(/sign-in link is on its way/).waitFor();
    const mail = await smtp.waitForMail(email('member'), { timeoutMs: 120_000, match: (m) => !before.includes(m.id) });
    await signInFromMail(second, mail);
    await second.page.waitForURL('**/chat');
    await second.page.getByRole('link', { name: question.slice(0, 60) }).click();
    await second.page.waitForURL(`**${conversationPath}`);
    await second.page.locator('article.message-assistant').filter({ hasText: answerText }).waitFor();
    expect(await second.page.locator('article.message').allTextContents()).toEqual(history);

    await second.page.getByRole('link', { name: 'Account' }).click();
    await second.page.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(await second.page.locator('dd code').textContent()).toBe(tenantId);
    await expectAccessible(second, 'member-account');
    await second.page.getByRole('button', { name: 'Sign out' }).click();
    await second.page.waitForURL('**/signin');
    await second.page.getByRole('heading', { name: 'Get a sign-in link' }).waitFor();

    // A used link is refused, and the page offers a new one.
    await second.page.goto(linkOf(mail));
    second.expect({ method: 'POST', path: /^\/v1\/auth\/sessions$/, status: 401 });
    await second.page.getByRole('button', { name: 'Sign in' }).click();
    await second.page.getByRole('heading', { name: 'This sign-in link no longer works' }).waitFor();
    await expectAccessible(second, 'link-used');
  });
});
