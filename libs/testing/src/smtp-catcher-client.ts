import { loadInfraEnv } from './infra-env';
import { waitFor } from './wait-for';

/** A mail captured by scripts/smtp-catcher.js. Addresses are lower-case. */
export interface CaughtMail {
  id: string;
  from: string | null;
  to: string[];
  cc: string[];
  replyTo: string | null;
  subject: string | null;
  text: string | null;
  html: string | null;
  /** ISO time from the Date header (or the time received). */
  date: string;
  receivedAt: string;
  messageId: string | null;
  envelope: { from: string | null; to: string[] };
}

export interface WaitForMailOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Only a mail for which this returns true counts. */
  match?: (mail: CaughtMail) => boolean;
}

/** Reads the mail captured by the local SMTP catcher through its HTTP API. */
export class SmtpCatcherClient {
  private readonly baseUrl: string;

  constructor(baseUrl: string = loadInfraEnv().smtpApiUrl) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** All captured mail, oldest first; only mail to (To, Cc or envelope) `to` when given. */
  async list(to?: string): Promise<CaughtMail[]> {
    const query = to ? `?to=${encodeURIComponent(to.trim().toLowerCase())}` : '';
    return (await this.request('GET', `/messages${query}`)) as CaughtMail[];
  }

  /** One captured mail, or undefined when there is none with that id. */
  async get(id: string): Promise<CaughtMail | undefined> {
    const res = await this.fetch('GET', `/messages/${encodeURIComponent(id)}`);
    if (res.status === 404) return undefined;
    return (await this.read(res, 'GET /messages/:id')) as CaughtMail;
  }

  /** Deletes all captured mail; resolves with how many were deleted. */
  async clear(): Promise<number> {
    const body = (await this.request('DELETE', '/messages')) as { deleted: number };
    return body.deleted;
  }

  /** Polls until a mail to `to` (matching `options.match`, if given) arrives; the newest wins. */
  async waitForMail(to: string, options: WaitForMailOptions = {}): Promise<CaughtMail> {
    const { timeoutMs = 10_000, intervalMs = 100, match } = options;
    let seen = 0;
    try {
      return await waitFor(
        async () => {
          const mails = await this.list(to);
          seen = mails.length;
          const hits = match ? mails.filter(match) : mails;
          return hits[hits.length - 1];
        },
        { timeoutMs, intervalMs, description: 'a mail to the requested address' },
      );
    } catch (err) {
      // The address itself stays out of the message: addresses are personal data.
      const cause = (err as Error).cause;
      const detail =
        cause instanceof Error
          ? cause.message
          : match
            ? `${seen} mail(s) to that address arrived but none matched`
            : 'none arrived';
      throw new Error(`No mail to the requested address within ${timeoutMs} ms: ${detail}`, { cause: err });
    }
  }

  private async request(method: string, path: string): Promise<unknown> {
    return this.read(await this.fetch(method, path), `${method} ${path.split('?')[0]}`);
  }

  private async fetch(method: string, path: string): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, { method, signal: AbortSignal.timeout(5_000) });
    } catch (err) {
      throw new Error(
        `The SMTP catcher at ${this.baseUrl} did not answer (${(err as Error).message}); is \`bash scripts/infra.sh up\` running?`,
        { cause: err },
      );
    }
  }

  private async read(res: Response, what: string): Promise<unknown> {
    if (!res.ok) throw new Error(`SMTP catcher ${what} answered ${res.status}`);
    return res.json();
  }
}
