import type { Connection } from 'mongoose';
import type { Kafka } from 'kafkajs';
import type Redis from 'ioredis';
import { authV1, privacyV1, TOPICS } from '@enclave/proto';
import { defineTopic, ensureTopics, EventStore, IdempotentConsumer, OutboxRelay } from '@enclave/eventing';
import { GrpcServerHost, PeriodicJob, type Logger, type ServiceTrust } from '@enclave/platform';
import type { AuthSettings } from '../config';
import { AccountContacts } from '../accounts/application/account-contacts';
import { AccountFields, type PersonalFieldCipher } from '../accounts/application/account-fields';
import { AccountRankGuard } from '../accounts/application/account-rank-guard';
import { ConfirmEmailChange, EmailChangeRequests } from '../accounts/application/email-change-requests';
import { EmailChangeRepository } from '../accounts/infrastructure/email-change.repository';
import { emailChangeClaimModel, emailChangeModel } from '../accounts/infrastructure/email-change.schema';
import { RectifyAccount } from '../accounts/application/rectify-account';
import { ExportSubjectData } from '../privacy/application/export-subject-data';
import { NotifyBreach } from '../privacy/application/notify-breach';
import { PurgeSubject } from '../privacy/application/purge-subject';
import { SecurityLogRetention } from '../privacy/application/security-log-retention';
import { MongoSecurityLogs } from '../privacy/infrastructure/mongo-security-logs';
import { MongoSubjectRecords } from '../privacy/infrastructure/mongo-subject-records';
import { auditEventsHandler } from '../privacy/interface/audit-events.handler';
import { SUBJECT_DATA_CALLERS, subjectDataGrpcHandlers } from '../privacy/interface/subject-data-grpc.handlers';
import { RegisterAccount } from '../accounts/application/register-account';
import { AccountRepository } from '../accounts/infrastructure/account.repository';
import { accountModel } from '../accounts/infrastructure/account.schema';
import { AUTH_METHOD_CALLERS, authGrpcHandlers } from '../accounts/interface/auth-grpc.handlers';
import { LinkMailer } from '../login-links/application/link-mailer';
import type { Mailer } from '../login-links/application/mailer';
import { RequestLoginLink } from '../login-links/application/request-login-link';
import { SendInvitation } from '../login-links/application/send-invitation';
import { LoginLinkRepository } from '../login-links/infrastructure/login-link.repository';
import { loginLinkClaimModel, loginLinkModel } from '../login-links/infrastructure/login-link.schema';
import { RedisRateLimiter } from '../login-links/infrastructure/redis-rate-limiter';
import { ApplyTenantFact } from '../memberships/application/apply-tenant-fact';
import { MembershipRepository } from '../memberships/infrastructure/membership.repository';
import { membershipModel, tenantProfileModel } from '../memberships/infrastructure/membership.schema';
import { TenantProfileRepository } from '../memberships/infrastructure/tenant-profile.repository';
import { tenantEventsHandler } from '../memberships/interface/tenant-events.handler';
import { SessionRevocationFeed, SessionRevocations, REVOCATION_RETENTION_MS } from '@enclave/session';
import { ListSessions } from '../sessions/application/list-sessions';
import { RefreshSession } from '../sessions/application/refresh-session';
import { RevokeSessions } from '../sessions/application/revoke-sessions';
import { StartSession } from '../sessions/application/start-session';
import { SessionRepository } from '../sessions/infrastructure/session.repository';
import { refreshClaimModel, sessionModel } from '../sessions/infrastructure/session.schema';
import { Ed25519SessionSigner } from '../sessions/infrastructure/ed25519-session-signer';
import { SystemClock, type Clock } from '../shared/clock';
import { BackgroundTasks } from '../shared/application/background-tasks';
import { IdGenerator, UuidV7Generator } from '../shared/application/id-generator';
import { EventStoreAuthLog } from '../shared/infrastructure/event-store-auth-log';

export interface AuthRuntimeOptions {
  settings: AuthSettings;
  connection: Connection;
  redis: Redis;
  mailer: Mailer;
  logger: Logger;
  /** Seals and opens account emails and names (PersonalFields on key-vault's SubjectKeyService). */
  personalFields: PersonalFieldCipher;
  /** Relay of our events + consumer of tenant and audit events; absent when KAFKA_ENABLED=false. */
  kafka?: { client: Kafka; groupId?: string; tenantTopic?: string; authTopic?: string; auditTopic?: string };
  /** Period of the security-log retention job (default 1 hour). */
  retentionIntervalMs?: number;
  /** AuthService gRPC server; absent when GRPC_ENABLED=false. */
  grpc?: { host: string; port: number; trust: ServiceTrust };
  clock?: Clock;
  ids?: IdGenerator;
  /** Prefix of every Redis key (tests isolate runs with it). */
  redisKeyPrefix?: string;
}

/**
 * Auth wired once, with no framework: stores, use cases, the relay, the tenant-events consumer
 * and the gRPC server. Nest calls start() on bootstrap and stop() on shutdown (auth-lifecycle.ts).
 */
export class AuthRuntime {
  readonly store: EventStore;
  readonly accounts: AccountRepository;
  readonly memberships: MembershipRepository;
  readonly tenants: TenantProfileRepository;
  readonly links: LoginLinkRepository;
  readonly signer: Ed25519SessionSigner;
  readonly tasks: BackgroundTasks;
  readonly registerAccount: RegisterAccount;
  readonly requestLoginLink: RequestLoginLink;
  readonly startSession: StartSession;
  readonly sessions: SessionRepository;
  readonly refreshSession: RefreshSession;
  readonly revokeSessions: RevokeSessions;
  readonly listSessions: ListSessions;
  /** Revoked sessions, in memory: checked on every request of this replica (fed by revocationFeed). */
  readonly revocations: SessionRevocations;
  readonly revocationFeed: SessionRevocationFeed | undefined;
  readonly applyTenantFact: ApplyTenantFact;
  readonly rectifyAccount: RectifyAccount;
  readonly emailChanges: EmailChangeRepository;
  readonly confirmEmailChange: ConfirmEmailChange;
  readonly purgeSubject: PurgeSubject;
  readonly notifyBreach: NotifyBreach;
  readonly exportSubjectData: ExportSubjectData;
  readonly retention: SecurityLogRetention;
  private readonly retentionJob: PeriodicJob;
  readonly relay: OutboxRelay | undefined;
  readonly consumer: IdempotentConsumer | undefined;
  readonly grpcServer: GrpcServerHost | undefined;
  private grpcBoundPort: number | undefined;
  private readonly topics: { tenant: string; auth: string; audit: string };

  constructor(private readonly options: AuthRuntimeOptions) {
    const { settings, connection, logger } = options;
    const clock = options.clock ?? new SystemClock();
    const ids = options.ids ?? new UuidV7Generator();
    this.store = new EventStore(connection);
    this.accounts = new AccountRepository(accountModel(connection));
    this.memberships = new MembershipRepository(membershipModel(connection));
    this.tenants = new TenantProfileRepository(tenantProfileModel(connection));
    this.links = new LoginLinkRepository(loginLinkModel(connection), loginLinkClaimModel(connection));
    this.emailChanges = new EmailChangeRepository(emailChangeModel(connection), emailChangeClaimModel(connection));
    this.sessions = new SessionRepository(sessionModel(connection), refreshClaimModel(connection));
    this.revocations = new SessionRevocations(REVOCATION_RETENTION_MS, () => clock.nowMs());
    const fields = new AccountFields(options.personalFields);
    this.signer = new Ed25519SessionSigner(settings.sessionSigningKey, settings.sessionKeyId);
    const taskLog = logger.child({ component: 'login-links' });
    this.tasks = new BackgroundTasks((err) => taskLog.error({ err }, 'issuing a requested login link failed'));

    const kafka = options.kafka;
    this.topics = {
      tenant: kafka?.tenantTopic ?? TOPICS.tenant.name,
      auth: kafka?.authTopic ?? TOPICS.auth.name,
      audit: kafka?.auditTopic ?? TOPICS.audit.name,
    };
    if (kafka) {
      this.relay = new OutboxRelay({ kafka: kafka.client, store: this.store, topic: this.topics.auth, logger: logger.child({ component: 'outbox-relay' }) });
    }
    const events = new EventStoreAuthLog(this.store, () => this.relay?.nudge());
    const contacts = new AccountContacts(this.accounts, fields);
    const linkMailer = new LinkMailer(settings.publicBaseUrl, contacts, this.tenants, options.mailer);
    const limiter = new RedisRateLimiter(options.redis, options.redisKeyPrefix);
    const base = { links: this.links, memberships: this.memberships, events, clock };

    this.registerAccount = new RegisterAccount(settings.emailHashKey, this.accounts, fields, events, ids);
    const emailChangeDeps = { store: this.emailChanges, fields, contacts, tenants: this.tenants, mailer: options.mailer, publicBaseUrl: settings.publicBaseUrl, ids, clock };
    const ranks = new AccountRankGuard(this.memberships);
    this.rectifyAccount = new RectifyAccount(settings.emailHashKey, this.accounts, fields, events, ranks, new EmailChangeRequests(emailChangeDeps));
    this.confirmEmailChange = new ConfirmEmailChange(emailChangeDeps, this.rectifyAccount);
    this.requestLoginLink = new RequestLoginLink({
      ...base,
      emailHashKey: settings.emailHashKey,
      ipHashKey: settings.ipHashKey,
      limits: settings.loginLinkLimits,
      linkTtlMs: settings.loginLinkTtlMs,
      limiter,
      accounts: this.accounts,
      linkMailer,
      ids,
      tasks: this.tasks,
    });
    const sessionTimes = { sessionTtlMs: settings.sessionTtlMs, accessTtlMs: settings.accessTtlMs };
    this.startSession = new StartSession({ ...base, ...sessionTimes, sessions: this.sessions, signer: this.signer, ids });
    this.revokeSessions = new RevokeSessions({
      sessions: this.sessions, events, ids, clock,
      onRevoked: (event, atMs) => this.revocations.apply({ ...event, atMs }),
    });
    this.refreshSession = new RefreshSession({
      accessTtlMs: settings.accessTtlMs, sessions: this.sessions, memberships: this.memberships, revoke: this.revokeSessions, signer: this.signer, clock,
    });
    this.listSessions = new ListSessions(this.sessions, clock);
    const invitations = new SendInvitation({ ...base, linkTtlMs: settings.invitationTtlMs, linkMailer });
    this.applyTenantFact = new ApplyTenantFact(this.tenants, this.memberships, invitations, this.revokeSessions);

    const claims = loginLinkClaimModel(connection);
    const records = new MongoSubjectRecords({ connection, store: this.store, links: this.links, claims, memberships: this.memberships, tenants: this.tenants, emailChanges: this.emailChanges, sessions: this.sessions });
    this.purgeSubject = new PurgeSubject({ accounts: this.accounts, records, counters: limiter, fields, events });
    this.notifyBreach = new NotifyBreach({ managers: this.memberships, contacts, tenants: this.tenants, mailer: options.mailer, events });
    this.exportSubjectData = new ExportSubjectData(this.accounts, records, fields);
    this.retention = new SecurityLogRetention(this.tenants, new MongoSecurityLogs(this.links, loginLinkModel(connection), claims, this.emailChanges, this.sessions), events, ids);
    const retentionLog = logger.child({ component: 'retention' });
    this.retentionJob = new PeriodicJob(options.retentionIntervalMs ?? 3_600_000, () => this.retention.runOnce(clock.nowMs()), (err) =>
      retentionLog.error({ err }, 'security-log retention run failed'),
    );

    if (kafka) {
      const tenantTopic = defineTopic(this.topics.tenant, TOPICS.tenant.codec);
      this.consumer = new IdempotentConsumer({
        kafka: kafka.client,
        groupId: kafka.groupId ?? 'auth',
        connection,
        fromBeginning: true,
        logger: logger.child({ component: 'tenant-events' }),
      })
        .on(tenantTopic, tenantEventsHandler(this.applyTenantFact))
        .on(defineTopic(this.topics.audit, TOPICS.audit.codec), auditEventsHandler(this.purgeSubject, this.notifyBreach));
      this.revocationFeed = new SessionRevocationFeed({
        kafka: kafka.client, revocations: this.revocations, groupPrefix: 'auth-revocations', topic: this.topics.auth,
        logger: logger.child({ component: 'revocation-feed' }), now: () => clock.nowMs(),
      });
    }
    if (options.grpc) {
      this.grpcServer = new GrpcServerHost({ serviceName: 'auth', trust: options.grpc.trust, logger: logger.child({ component: 'grpc' }) }).addService(
        authV1.AuthServiceService,
        authGrpcHandlers(this.registerAccount, this.signer),
        { methodCallers: AUTH_METHOD_CALLERS },
      ).addService(privacyV1.SubjectDataServiceService, subjectDataGrpcHandlers(this.exportSubjectData), { callers: SUBJECT_DATA_CALLERS });
    }
  }

  get grpcPort(): number | undefined {
    return this.grpcBoundPort;
  }

  async start(): Promise<void> {
    await Promise.all([this.store.init(), this.accounts.init(), this.memberships.init(), this.tenants.init(), this.links.init(), this.emailChanges.init(), this.sessions.init()]);
    if (this.options.kafka) await ensureTopics(this.options.kafka.client, [this.topics.tenant, this.topics.auth, this.topics.audit]);
    await this.relay?.start();
    await this.revocationFeed?.start();
    await this.consumer?.start();
    if (this.grpcServer && this.options.grpc) {
      this.grpcBoundPort = await this.grpcServer.start(this.options.grpc.host, this.options.grpc.port);
    }
    this.retentionJob.start();
    this.options.logger.info({ grpcPort: this.grpcBoundPort, kafka: Boolean(this.relay) }, 'auth runtime started');
  }

  /** gRPC, then the consumer, then the login links in flight, then the relay (it sends their events). */
  async stop(): Promise<void> {
    const log = this.options.logger;
    await this.retentionJob.stop();
    await this.grpcServer?.stop().catch((err: unknown) => log.warn({ err }, 'gRPC stop failed'));
    await this.consumer?.stop().catch((err: unknown) => log.warn({ err }, 'consumer stop failed'));
    await this.tasks.drain();
    await this.relay?.stop().catch((err: unknown) => log.warn({ err }, 'relay stop failed'));
    await this.revocationFeed?.stop().catch((err: unknown) => log.warn({ err }, 'revocation feed stop failed'));
  }

  /** Without Kafka only this replica's own revocations apply; with it, ready once the feed reads. */
  revocationsReady(): boolean {
    return this.revocationFeed ? this.revocationFeed.ready : true;
  }

  async databaseReady(): Promise<boolean> {
    const db = this.options.connection.db;
    if (!db || this.options.connection.readyState !== 1) return false;
    await db.admin().ping();
    return true;
  }

  async redisReady(): Promise<boolean> {
    return (await this.options.redis.ping()) === 'PONG';
  }
}
