// Access / portability: everything held about a person in one JSON document — each data
// service's part (all five must answer: no partial export) plus audit's own (consents,
// requests, log entries about the person with sealed personal fields opened). The export is
// recorded as SubjectDataExported with the document's SHA-256, on the person's open access
// request (or a new one, opened and completed at once). An export an owner or admin pulls on the
// person's behalf names them and their reason to every service: chat-gateway then applies the
// admin-read policy to the person's messages (see its ExportSubjectData), and the export is
// recorded with the reason and the number of messages it carried, onto the person's receipts.
import { createHash } from 'node:crypto';
import { UnavailableError } from '@enclave/platform';
import type { Actor, TenantId } from '@enclave/eventing';
import type { AdminReadReason } from '@enclave/privacy';
import { DATA_SERVICES } from '../domain/privacy-events';
import type { Consents } from './consents';
import type { PrivacyLogReader, RequestReadModel } from './ports';
import type { PrivacyRequests } from './privacy-requests';

/** Who pulls an export on the person's behalf, as what, and why. */
export interface AdminReader {
  subjectId: string;
  role: 'owner' | 'admin';
  reason: AdminReadReason;
}

/** One data service's SubjectDataService.ExportSubjectData, its document parsed. */
export interface SubjectExporter {
  readonly service: string;
  export(tenant: TenantId, subjectId: string, adminReader?: AdminReader): Promise<unknown>;
}

/** Opens the sealed personal fields (`pf1.` values) of a logged payload; unreadable ones become null. */
export interface PayloadOpener {
  open(tenant: TenantId, subjectId: string, payload: unknown): Promise<unknown>;
}

export const MAX_EXPORTED_ENTRIES = 10_000;

export interface ExportSubjectDeps {
  exporters: readonly SubjectExporter[];
  consents: Consents;
  requests: PrivacyRequests;
  readModel: RequestReadModel;
  log: PrivacyLogReader;
  opener: PayloadOpener;
  now: () => number;
}

export interface SubjectExport {
  requestId: string;
  documentSha256: string;
  /** The document exactly as hashed. */
  text: string;
}

export class ExportSubject {
  constructor(private readonly deps: ExportSubjectDeps) {}

  async execute(tenant: TenantId, actor: Actor, subjectId: string, adminReader?: AdminReader): Promise<SubjectExport> {
    const services = await this.fanOut(tenant, subjectId, adminReader);
    const audit = await this.auditPart(tenant, subjectId);
    const document = { subjectId, tenantId: tenant, generatedAt: new Date(this.deps.now()).toISOString(), services, audit };
    const text = JSON.stringify(document);
    const documentSha256 = createHash('sha256').update(text).digest('hex');
    const open = (await this.deps.readModel.openOf(tenant, subjectId)).find((r) => r.kind === 'access');
    const request = open ?? (await this.deps.requests.open(tenant, actor, subjectId, 'access'));
    const onBehalf = adminReader && { reason: adminReader.reason, messagesReturned: messagesIn(services['chat-gateway']) };
    await this.deps.requests.apply(tenant, request.requestId, actor, { type: 'RecordExport', services: Object.keys(services), documentSha256, ...(onBehalf && { onBehalf }) });
    return { requestId: request.requestId, documentSha256, text };
  }

  private async fanOut(tenant: TenantId, subjectId: string, adminReader: AdminReader | undefined): Promise<Record<string, unknown>> {
    const results = await Promise.allSettled(this.deps.exporters.map((e) => e.export(tenant, subjectId, adminReader)));
    const answered = new Map<string, unknown>();
    results.forEach((r, i) => r.status === 'fulfilled' && answered.set(this.deps.exporters[i]!.service, r.value));
    const missing = DATA_SERVICES.filter((s) => !answered.has(s));
    if (missing.length > 0) throw new UnavailableError(`the export cannot be produced now: ${missing.join(', ')} did not answer`);
    return Object.fromEntries(DATA_SERVICES.map((s) => [s, answered.get(s)]));
  }

  private async auditPart(tenant: TenantId, subjectId: string) {
    const consents = await this.deps.consents.view(tenant, subjectId);
    const requests = (await this.deps.readModel.list(tenant, { subjectId, limit: 1000, nowMs: this.deps.now() })).map(({ version: _v, ...r }) => r);
    const entries = [];
    for (const entry of await this.deps.log.entriesAbout(tenant, subjectId, MAX_EXPORTED_ENTRIES)) {
      entries.push({
        seq: entry.seq,
        eventId: entry.eventId,
        service: entry.service,
        type: entry.type,
        actor: entry.actor,
        occurredAt: entry.occurredAt.toISOString(),
        payload: await this.deps.opener.open(tenant, subjectId, parseJson(entry.payload)),
      });
    }
    return { consents, requests, entries };
  }
}

/** The messages chat-gateway's part carried under the admin-read policy. */
function messagesIn(part: unknown): number {
  const adminRead = (part as { adminRead?: { messagesReturned?: unknown } } | undefined)?.adminRead;
  return typeof adminRead?.messagesReturned === 'number' ? adminRead.messagesReturned : 0;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
