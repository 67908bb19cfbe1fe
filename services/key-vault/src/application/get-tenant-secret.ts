import type { TenantId } from '@enclave/eventing';
import { NotFoundError } from '@enclave/platform';
import { zero } from '../domain/crypto/sealed-box';
import type { TenantSecretKind } from '../domain/secret/secret-kind';
import { decryptAudited, type DecryptDeps } from './decrypt-audited';
import type { SecretViews } from './ports';

/** auth's read of an SMTP password or OIDC client secret: audited (TenantSecretDecrypted) first. */
export class GetTenantSecret {
  constructor(private readonly deps: DecryptDeps & { views: SecretViews }) {}

  async execute(input: {
    tenantId: TenantId;
    kind: TenantSecretKind;
    /** Empty: the newest of the kind. */
    secretId: string;
    version: number;
    caller: string;
  }): Promise<{ secretId: string; version: number; value: string }> {
    const latest = input.secretId ? undefined : await this.deps.views.latest(input.tenantId, input.kind);
    const secretId = input.secretId || latest?.secretId;
    if (!secretId) throw new NotFoundError('the tenant has no secret of this kind');
    const ref = { tenantId: input.tenantId, kind: input.kind, secretId };
    const { version, plaintext } = await decryptAudited(this.deps, ref, input.version, input.caller, latest ?? undefined);
    try {
      return { secretId, version, value: plaintext.toString('utf8') };
    } finally {
      zero(plaintext);
    }
  }
}
