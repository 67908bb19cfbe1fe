import { tenantId as toTenantId } from '@enclave/eventing';
import { ValidationError, type UnaryHandlers } from '@enclave/platform';
import type { privacyV1 } from '@enclave/proto';
import { isAdminReadReason } from '@enclave/privacy';
import { EXPORT_SERVICE_NAME, type AdminReader, type ExportSubjectData } from '../application/export-subject-data';

/** Only audit assembles a person's export. */
export const SUBJECT_DATA_CALLERS = ['audit'] as const;

const SUBJECT_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** An export pulled on the person's behalf names its reader; anything but an owner or admin with a known reason is refused. */
function adminReaderOf(reader: privacyV1.AdminReader | undefined): AdminReader | undefined {
  if (!reader) return undefined;
  if (!SUBJECT_ID.test(reader.subjectId)) throw new ValidationError('adminReader.subjectId is not a valid subject id');
  if (reader.role !== 'owner' && reader.role !== 'admin') throw new ValidationError('adminReader.role must be owner or admin');
  if (!isAdminReadReason(reader.reason)) throw new ValidationError('adminReader.reason is not a known reason');
  return { subjectId: reader.subjectId, role: reader.role, reason: reader.reason };
}

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
      const document = await exporter.execute(tenant, request.subjectId, adminReaderOf(request.adminReader));
      return { service: EXPORT_SERVICE_NAME, documentJson: JSON.stringify(document) };
    },
  };
}
