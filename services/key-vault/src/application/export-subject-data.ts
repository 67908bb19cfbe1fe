import type { TenantId } from '@enclave/eventing';
import type { SecretState } from '../domain/secret/secret.state';
import { subjectKeyExport } from '../domain/subject-key/subject-key';
import type { SecretsStoredBy, SubjectKeyRepository } from './subject-key-ports';

export interface SubjectDataDocument {
  subjectId: string;
  tenantId: string;
  /** The person's data key: metadata only (never the key). null: no key was ever created. */
  subjectKey: { keyId: string | null; createdAt: string | null; shreddedAt: string | null } | null;
  /** Provider keys and tenant secrets the person stored: metadata only (no key, no masked form, no ciphertext). */
  secretsStored: Array<{
    secretId: string;
    kind: string;
    provider: string | null;
    label: string;
    createdAt: string;
    rotatedAt: string | null;
    deletedAt: string | null;
  }>;
}

/** Everything key-vault holds about a person, for audit's access and portability export. */
export class ExportSubjectData {
  constructor(private readonly deps: { keys: SubjectKeyRepository; secrets: SecretsStoredBy }) {}

  async execute(tenant: TenantId, subjectId: string): Promise<SubjectDataDocument> {
    const [key, secrets] = await Promise.all([this.deps.keys.lookup(tenant, subjectId), this.deps.secrets.storedBy(tenant, subjectId)]);
    return {
      subjectId,
      tenantId: tenant,
      subjectKey: subjectKeyExport(key?.state ?? { status: 'absent' }),
      secretsStored: secrets.map(secretMetadata),
    };
  }
}

export function secretMetadata(s: SecretState): SubjectDataDocument['secretsStored'][number] {
  return {
    secretId: s.secretId,
    kind: s.kind,
    provider: s.provider,
    label: s.label,
    createdAt: s.createdAt.toISOString(),
    rotatedAt: s.rotatedAt?.toISOString() ?? null,
    deletedAt: s.deletedAt?.toISOString() ?? null,
  };
}
