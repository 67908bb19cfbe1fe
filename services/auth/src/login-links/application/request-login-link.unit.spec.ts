// With its stores faked: does a login-link request answer the same for everyone, mail only active members, and refuse when unmetered?
import { RateLimitedError, UnavailableError } from '@enclave/platform';
import { hashEmail } from '../../shared/keyed-hash';
import { Clock } from '../../shared/clock';
import { BackgroundTasks } from '../../shared/application/background-tasks';
import type { ActorRef } from '../../shared/application/actor';
import { AuthEventLog, type AuthEvent } from '../../shared/application/auth-event-log';
import { IdGenerator } from '../../shared/application/id-generator';
import { AccountStore, type AccountContact, type NewAccount } from '../../accounts/application/account-store';
import { MembershipStore, TenantDirectory, type TenantProfile } from '../../memberships/application/membership-store';
import type { MemberSnapshot } from '../domain/login-link';
import { hashLoginToken } from '../domain/login-token';
import { LinkMailer } from './link-mailer';
import { LoginLinkStore, type LoginLinkRecord } from './login-link-store';
import { Mailer, type OutgoingMail } from './mailer';
import { RateLimiter, type RateBucket, type RateDecision } from './rate-limiter';
import { RequestLoginLink } from './request-login-link';

const key = Buffer.alloc(32, 3);
const NOW = 1_800_000_000_000;

class Accounts extends AccountStore {
  readonly contacts = new Map<string, AccountContact & { emailHash: string }>();
  add(subjectId: string, email: string) {
    this.contacts.set(subjectId, { subjectId, email, displayName: subjectId, emailHash: hashEmail(key, email) });
  }
  async findOrCreate(_: NewAccount): Promise<{ subjectId: string; created: boolean }> {
    throw new Error('not used');
  }
  async findSubjectId(_tenantId: string, emailHash: string) {
    return [...this.contacts.values()].find((c) => c.emailHash === emailHash)?.subjectId ?? null;
  }
  async findContact(_tenantId: string, subjectId: string) {
    return this.contacts.get(subjectId) ?? null;
  }
  async findAccount(): Promise<never> {
    throw new Error('not used');
  }
  async rectify(): Promise<never> {
    throw new Error('not used');
  }
  async deleteAccount(): Promise<never> {
    throw new Error('not used');
  }
}
class Members extends MembershipStore {
  readonly members = new Map<string, MemberSnapshot>();
  async findMember(_tenantId: string, subjectId: string) {
    return this.members.get(subjectId) ?? null;
  }
  async apply(): Promise<void> {}
}
class Tenants extends TenantDirectory {
  async findProfile(): Promise<TenantProfile> {
    return { instanceName: 'Acme', ownerSubjectId: 'owner' };
  }
  async apply(): Promise<void> {}
}
class Links extends LoginLinkStore {
  readonly saved: Array<Omit<LoginLinkRecord, 'usedAtMs'>> = [];
  async save(link: Omit<LoginLinkRecord, 'usedAtMs'>) {
    this.saved.push(link);
    return true;
  }
  async findByTokenHash() {
    return null;
  }
  async claim() {
    return null;
  }
}
class Outbox extends Mailer {
  readonly sent: OutgoingMail[] = [];
  async send(mail: OutgoingMail) {
    this.sent.push(mail);
  }
}
class Events extends AuthEventLog {
  readonly appended: Array<{ streamId: string; events: AuthEvent[]; actor: ActorRef }> = [];
  async read() {
    return { events: [], version: 0 };
  }
  async append(_tenantId: string, streamId: string, _v: number, events: AuthEvent[], actor: ActorRef) {
    this.appended.push({ streamId, events, actor });
  }
}
class Limiter extends RateLimiter {
  constructor(private readonly answer: RateDecision | Error) {
    super();
  }
  readonly seen: RateBucket[][] = [];
  async consume(buckets: readonly RateBucket[]) {
    this.seen.push([...buckets]);
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }
}

function setup(limiter = new Limiter({ allowed: true, retryAfterMs: 0 })) {
  const accounts = new Accounts();
  accounts.add('owner', 'owner@acme.example');
  accounts.add('s1', 'ada@acme.example');
  accounts.add('gone', 'gone@acme.example');
  const members = new Members();
  members.members.set('s1', { subjectId: 's1', role: 'admin', active: true });
  members.members.set('gone', { subjectId: 'gone', role: 'member', active: false });
  const links = new Links();
  const outbox = new Outbox();
  const events = new Events();
  const tasks = new BackgroundTasks((e) => {
    throw e;
  });
  const handler = new RequestLoginLink({
    emailHashKey: key,
    ipHashKey: key,
    limits: { perIp: { limit: 10, windowMs: 1000 }, perEmail: { limit: 5, windowMs: 1000 } },
    linkTtlMs: 900_000,
    limiter,
    accounts,
    memberships: members,
    links,
    linkMailer: new LinkMailer('https://chat.example', accounts, new Tenants(), outbox),
    events,
    ids: new (class extends IdGenerator {
      next = () => 'link-1';
    })(),
    clock: new (class extends Clock {
      nowMs = () => NOW;
    })(),
    tasks,
  });
  return { handler, links, outbox, events, tasks, limiter };
}

describe('RequestLoginLink', () => {
  it('mails an active member a link stored only as its hash, and records LoginLinkIssued', async () => {
    const { handler, links, outbox, events, tasks } = setup();
    await handler.execute({ tenantId: 't1', email: 'ADA@acme.example', clientIp: '10.0.0.1' });
    await tasks.drain();
    expect(outbox.sent).toHaveLength(1);
    expect(outbox.sent[0]).toMatchObject({ to: 'ada@acme.example', replyTo: 'owner@acme.example', subject: 'Your Enclave sign-in link' });
    const token = /token=([A-Za-z0-9_-]{43})/.exec(outbox.sent[0]!.text)![1]!;
    expect(links.saved).toEqual([{ linkId: 'link-1', tenantId: 't1', subjectId: 's1', tokenHash: hashLoginToken(token), expiresAtMs: NOW + 900_000, purpose: 'login' }]);
    expect(events.appended).toEqual([
      {
        streamId: 'login-link-link-1',
        events: [{ type: 'LoginLinkIssued', tenantId: 't1', subjectId: 's1', expiresAtMs: NOW + 900_000 }],
        actor: { kind: 'person', subjectId: 's1', role: 'admin' },
      },
    ]);
  });

  it.each([
    ['an unknown email', 'nobody@acme.example'],
    ['a removed member', 'gone@acme.example'],
  ])('resolves the same way for %s and leaves no trace', async (_case, email) => {
    const { handler, links, outbox, events, tasks } = setup();
    await expect(handler.execute({ tenantId: 't1', email, clientIp: '10.0.0.1' })).resolves.toBeUndefined();
    await tasks.drain();
    expect([outbox.sent, links.saved, events.appended]).toEqual([[], [], []]);
  });

  it('counts every request, known or not, before looking anything up', async () => {
    const { handler, limiter } = setup();
    await handler.execute({ tenantId: 't1', email: 'nobody@acme.example', clientIp: '10.0.0.1' });
    expect(limiter.seen).toHaveLength(1);
    expect(limiter.seen[0]!.map((b) => b.limit)).toEqual([10, 5]);
  });

  it('refuses past the limit with RateLimitedError and the wait in seconds, sending nothing', async () => {
    const { handler, outbox, tasks } = setup(new Limiter({ allowed: false, retryAfterMs: 61_001 }));
    const error = await handler.execute({ tenantId: 't1', email: 'ada@acme.example', clientIp: '10.0.0.1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ message: 'rate_limited', retryAfterSec: 62 });
    await tasks.drain();
    expect(outbox.sent).toEqual([]);
  });

  it('refuses with UnavailableError when the counters cannot be reached', async () => {
    const { handler, tasks, outbox } = setup(new Limiter(new Error('ECONNREFUSED 127.0.0.1:6379')));
    const error = await handler.execute({ tenantId: 't1', email: 'ada@acme.example', clientIp: '10.0.0.1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).not.toContain('6379');
    await tasks.drain();
    expect(outbox.sent).toEqual([]);
  });
});
