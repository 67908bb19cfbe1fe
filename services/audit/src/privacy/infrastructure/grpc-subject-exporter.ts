import { createGrpcClient, type GrpcClient, type ServiceIdentity } from '@enclave/platform';
import type { TenantId } from '@enclave/eventing';
import { privacyV1 } from '@enclave/proto';
import type { AdminReader, SubjectExporter } from '../application/export-subject';

type Client = GrpcClient<typeof privacyV1.SubjectDataServiceService>;

/** One data service's SubjectDataService, called with audit's service identity and a deadline. */
export class GrpcSubjectExporter implements SubjectExporter {
  constructor(
    readonly service: string,
    private readonly client: Client,
    private readonly deadlineMs: number,
  ) {}

  async export(tenant: TenantId, subjectId: string, adminReader?: AdminReader): Promise<unknown> {
    const request = { tenantId: tenant, subjectId, ...(adminReader && { adminReader: { ...adminReader } }) };
    const response = await this.client.call('exportSubjectData', request, { idempotent: true, deadlineMs: this.deadlineMs });
    if (response.service !== this.service) throw new Error(`${this.service} answered as ${response.service}`);
    const document = JSON.parse(response.documentJson) as unknown;
    if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new Error(`${this.service} sent no JSON object`);
    return document;
  }

  close(): void {
    this.client.close();
  }
}

export function grpcSubjectExporters(
  identity: ServiceIdentity,
  addresses: Readonly<Record<string, string>>,
  deadlineMs: number,
): GrpcSubjectExporter[] {
  return Object.entries(addresses).map(
    ([service, address]) =>
      new GrpcSubjectExporter(
        service,
        createGrpcClient(privacyV1.SubjectDataServiceClient, address, { identity, audience: service, defaultDeadlineMs: deadlineMs, maxAttempts: 2 }),
        deadlineMs,
      ),
  );
}
