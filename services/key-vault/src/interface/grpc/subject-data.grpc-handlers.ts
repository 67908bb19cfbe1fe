import { GrpcError, GrpcStatus, type UnaryHandlers } from '@enclave/platform';
import type { privacyV1 } from '@enclave/proto';
import type { ExportSubjectData } from '../../application/export-subject-data';
import { isSubjectId } from '../../domain/subject-key/subject-key';
import { checkTenant } from './key-vault.grpc-handlers';

type Definition = typeof privacyV1.SubjectDataServiceService;

/** SubjectDataService: audit's identity only (enforced by the server host). Metadata only, as JSON. */
export function subjectDataGrpcHandlers(exportData: ExportSubjectData, serviceName: string): UnaryHandlers<Definition> {
  return {
    async exportSubjectData(request) {
      const tenant = checkTenant(request.tenantId);
      if (!request.subjectId) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'subject_id is required');
      if (!isSubjectId(request.subjectId)) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, 'subject_id is malformed');
      const document = await exportData.execute(tenant, request.subjectId);
      return { service: serviceName, documentJson: JSON.stringify(document) };
    },
  };
}
