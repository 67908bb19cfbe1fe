// The privacy slice wired once: audit's event store for its events, the request read model, the
// log reader, the use cases, the coordinator and its interval.
import type { Connection } from 'mongoose';
import { UnavailableError, uuidv7Timestamp, type Logger } from '@enclave/platform';
import type { PersonalFields } from '@enclave/privacy';
import { ActingFor } from './application/acting-for';
import { BreachIncidents } from './application/breach-incidents';
import { Consents } from './application/consents';
import { ErasureCoordinator } from './application/erasure-coordinator';
import { ExportSubject, type SubjectExporter } from './application/export-subject';
import { PrivacyReceipts } from './application/receipts';
import { PrivacyRequests } from './application/privacy-requests';
import type { MemberRoles } from './application/ports';
import { EventStorePrivacyStreams } from './infrastructure/event-store-privacy-streams';
import { MongoBreachDescriptions } from './infrastructure/mongo-breach-descriptions';
import { MongoBreachReadModel } from './infrastructure/mongo-breach-read-model';
import { MongoPrivacyLogReader } from './infrastructure/mongo-privacy-log-reader';
import { MongoRequestReadModel } from './infrastructure/mongo-request-read-model';
import { PrivacyClock } from './infrastructure/privacy-clock';
import { SealedPayloadOpener } from './infrastructure/sealed-payload-opener';

export const DEFAULT_ERASURE_GRACE_DAYS = 30;
export const DEFAULT_PRIVACY_JOBS_INTERVAL_MS = 60_000;

export interface PrivacyOptions {
  clock?: PrivacyClock;
  /** Days between ErasureRequested and the purge (default 30). */
  graceDays?: number;
  /** Interval of the due-jobs runner; 0 leaves runs to runOnce() (default 60000). */
  jobsIntervalMs?: number;
  /** SubjectDataService of auth, tenant, key-vault, chat-gateway and billing. */
  exporters?: readonly SubjectExporter[];
  /** Current roles in a tenant (tenant's MemberDirectoryService), for acting on someone else's behalf. */
  memberRoles?: MemberRoles;
  /** Opens sealed personal fields (key-vault's SubjectKeyService behind it). */
  personalFields?: Pick<PersonalFields, 'open'>;
  /** Whether PUT /v1/test/clock is served (test stacks only; config refuses it in production). */
  testClockEnabled?: boolean;
  /** Called on stop, after the coordinator (closes the gRPC clients). */
  close?: () => void;
}

const NO_DIRECTORY: MemberRoles = {
  rolesOf: () => Promise.reject(new UnavailableError('roles cannot be checked: no member directory is configured')),
};

const NO_KEYS: Pick<PersonalFields, 'open'> = {
  open: () => Promise.reject(new UnavailableError('personal fields cannot be opened: no subject key service is configured')),
};

export class PrivacyRuntime {
  readonly clock: PrivacyClock;
  readonly testClockEnabled: boolean;
  readonly streams: EventStorePrivacyStreams;
  readonly readModel: MongoRequestReadModel;
  readonly log: MongoPrivacyLogReader;
  readonly requests: PrivacyRequests;
  readonly consents: Consents;
  readonly exportSubject: ExportSubject;
  readonly receipts: PrivacyReceipts;
  readonly actingFor: ActingFor;
  readonly coordinator: ErasureCoordinator;
  readonly breachReadModel: MongoBreachReadModel;
  readonly breachDescriptions: MongoBreachDescriptions;
  readonly breaches: BreachIncidents;

  constructor(
    connection: Connection,
    logger: Logger,
    private readonly options: PrivacyOptions,
    onAppended: () => void,
  ) {
    this.clock = options.clock ?? new PrivacyClock();
    this.testClockEnabled = options.testClockEnabled ?? false;
    const now = this.clock.now;
    this.streams = new EventStorePrivacyStreams(connection, now);
    this.readModel = new MongoRequestReadModel(connection);
    this.log = new MongoPrivacyLogReader(connection);
    const graceDays = options.graceDays ?? DEFAULT_ERASURE_GRACE_DAYS;
    this.requests = new PrivacyRequests({ streams: this.streams, readModel: this.readModel, now, graceDays, onAppended });
    this.consents = new Consents(this.streams, this.log, onAppended);
    this.exportSubject = new ExportSubject({
      exporters: options.exporters ?? [],
      consents: this.consents,
      requests: this.requests,
      readModel: this.readModel,
      log: this.log,
      opener: new SealedPayloadOpener(options.personalFields ?? NO_KEYS),
      now,
    });
    this.receipts = new PrivacyReceipts(this.log);
    this.actingFor = new ActingFor(options.memberRoles ?? NO_DIRECTORY);
    this.breachReadModel = new MongoBreachReadModel(connection);
    this.breachDescriptions = new MongoBreachDescriptions(connection);
    this.breaches = new BreachIncidents({
      streams: this.streams,
      readModel: this.breachReadModel,
      descriptions: this.breachDescriptions,
      log: this.log,
      now,
      idTimestamp: uuidTimestampOf,
      onAppended,
    });
    this.coordinator = new ErasureCoordinator({
      requests: this.requests,
      streams: this.streams,
      readModel: this.readModel,
      log: this.log,
      now,
      logger: logger.child({ component: 'privacy-jobs' }),
      intervalMs: options.jobsIntervalMs ?? DEFAULT_PRIVACY_JOBS_INTERVAL_MS,
      watchers: [this.breaches],
    });
  }

  /** Indexes, then the read model rebuilt from the request streams (idempotent), then the jobs. */
  async start(): Promise<void> {
    await this.readModel.init();
    await this.requests.rebuild();
    await this.breachReadModel.init();
    await this.breachDescriptions.init();
    await this.breaches.rebuild();
    this.coordinator.start();
  }

  async stop(): Promise<void> {
    await this.coordinator.stop();
    this.options.close?.();
  }
}

/** The creation time in a UUIDv7 tenant id; undefined for other ids. */
function uuidTimestampOf(id: string): number | undefined {
  try {
    return uuidv7Timestamp(id);
  } catch {
    return undefined;
  }
}
