import { z } from 'zod';
import type { privacyV1 } from '@enclave/proto';
import type { UnaryHandlers } from '@enclave/platform';
import { tenantIdSchema } from '../../shared/interface/input-schemas';
import type { ExportSubjectData } from '../application/export-subject-data';

/** Only audit assembles a person's export. */
export const SUBJECT_DATA_CALLERS = ['audit'] as const;

const exportRequest = z.object({
  tenantId: tenantIdSchema,
  subjectId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'expected a subject id'),
});

export function subjectDataGrpcHandlers(exporter: ExportSubjectData): UnaryHandlers<typeof privacyV1.SubjectDataServiceService> {
  return {
    exportSubjectData: async (request) => {
      // A ZodError becomes INVALID_ARGUMENT naming the fields, never their values.
      const { tenantId, subjectId } = exportRequest.parse(request);
      return { service: 'auth', documentJson: JSON.stringify(await exporter.execute(tenantId, subjectId)) };
    },
  };
}
