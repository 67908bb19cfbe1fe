// Real Chromium (Debian's `chromium` package, pinned in scripts/tools.sh) driven by
// playwright-core, with the guards every console test shares: any console error, page error or
// failed request that the test did not declare expected fails it; screenshots and the axe-core
// accessibility scan go to .enclave/test-results/web-console/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ARTIFACTS = path.join(__dirname, '../../../.enclave/test-results/web-console');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A request the test expects to fail, e.g. the session probe answering 401 before sign-in. */
export interface ExpectedFailure {
  method: string;
  path: RegExp;
  /** The HTTP status, or 'aborted' for a request the page cancels (e.g. "stop generating"). */
  status: number | 'aborted';
}

export interface GuardedPage {
  page: Page;
  context: BrowserContext;
  /** Everything unexpected so far (console errors, page errors, failed requests). */
  problems: string[];
  expect(failure: ExpectedFailure): void;
}

export async function openGuardedPage(browser: Browser, baseURL: string): Promise<GuardedPage> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.setDefaultNavigationTimeout(60_000);
  const problems: string[] = [];
  const expected: ExpectedFailure[] = [];
  const isExpected = (method: string, url: string, status: number | 'aborted') => {
    const { pathname } = new URL(url);
    return expected.some((e) => e.method === method && e.path.test(pathname) && e.status === status);
  };
  page.on('response', (res) => {
    if (res.status() < 400) return;
    const req = res.request();
    if (!isExpected(req.method(), res.url(), res.status())) problems.push(`${req.method()} ${new URL(res.url()).pathname} answered ${res.status()}`);
  });
  page.on('requestfailed', (req) => {
    if (/ERR_ABORTED/.test(req.failure()?.errorText ?? '') && isExpected(req.method(), req.url(), 'aborted')) return;
    problems.push(`${req.method()} ${new URL(req.url()).pathname} failed: ${req.failure()?.errorText ?? 'unknown'}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium logs every 4xx/5xx resource as a console error; the declared ones are expected.
    const source = msg.location().url;
    const status = /Failed to load resource: the server responded with a status of (\d+)/.exec(msg.text());
    if (source && status && expected.some((e) => e.path.test(new URL(source).pathname) && e.status === Number(status[1]))) return;
    problems.push(`console error: ${msg.text()}`);
  });
  return { page, context, problems, expect: (failure) => expected.push(failure) };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Serious and critical axe-core violations of the page as it is now (saved as JSON too). */
export async function accessibilityProblems(page: Page, name: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS, `${name}.axe.json`), JSON.stringify(results.violations, null, 2));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
