import { privacyV1 } from '@enclave/proto';
import { isTenantId, type TenantId } from '@enclave/eventing';
import { GrpcError, GrpcStatus, type UnaryHandlers } from '@enclave/platform';
import type { ExportSubjectUsage } from '../application/export-subject-usage';

/** Only audit assembles a person's export. */
export const SUBJECT_DATA_CALLERS = ['audit'] as const;

const SUBJECT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** SubjectDataService over gRPC: the person's usage detail, as JSON. */
export function subjectDataGrpcHandlers(exporter: ExportSubjectUsage): UnaryHandlers<typeof privacyV1.SubjectDataServiceService> {
  return {
    exportSubjectData: async (request) => {
      if (!isTenantId(request.tenantId)) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'tenant_id is missing or malformed');
      if (!SUBJECT_ID.test(request.subjectId)) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'subject_id is missing or malformed');
      const document = await exporter.execute(request.tenantId as TenantId, request.subjectId);
      return { service: 'billing', documentJson: JSON.stringify(document) };
    },
  };
}
