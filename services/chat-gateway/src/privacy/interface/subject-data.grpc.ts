import { tenantId as toTenantId } from '@enclave/eventing';
import { ValidationError, type UnaryHandlers } from '@enclave/platform';
import type { privacyV1 } from '@enclave/proto';
import { EXPORT_SERVICE_NAME, type ExportSubjectData } from '../application/export-subject-data';

/** Only audit assembles a person's export. */
export const SUBJECT_DATA_CALLERS = ['audit'] as const;

const SUBJECT_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** privacyV1.SubjectDataService: ExportSubjectData → {service, documentJson}. */
export function subjectDataGrpcHandlers(exporter: ExportSubjectData): UnaryHandlers<typeof privacyV1.SubjectDataServiceService> {
  return {
    exportSubjectData: async (request) => {
      let tenant;
      try {
        tenant = toTenantId(request.tenantId);
      } catch {
        throw new ValidationError('tenantId is not a valid tenant id');
      }
      if (!SUBJECT_ID.test(request.subjectId)) throw new ValidationError('subjectId is not a valid subject id');
      const document = await exporter.execute(tenant, request.subjectId);
      return { service: EXPORT_SERVICE_NAME, documentJson: JSON.stringify(document) };
    },
  };
}
