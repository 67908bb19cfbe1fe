// Opens the personal fields sealed in a logged payload for the person's export. A value is
// bound to its field name: the JSON key it is stored under (e.g. "sealedChanges"). Once the
// person's key is shredded the value cannot be opened and becomes null.
import { isSealedField, type PersonalFields } from '@enclave/privacy';
import type { TenantId } from '@enclave/eventing';
import type { PayloadOpener } from '../application/export-subject';

export class SealedPayloadOpener implements PayloadOpener {
  constructor(private readonly fields: Pick<PersonalFields, 'open'>) {}

  open(tenant: TenantId, subjectId: string, payload: unknown): Promise<unknown> {
    return this.walk(tenant, subjectId, payload, '');
  }

  private async walk(tenant: TenantId, subjectId: string, value: unknown, field: string): Promise<unknown> {
    if (isSealedField(value)) return this.fields.open({ tenantId: tenant, subjectId, field }, value);
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const item of value) out.push(await this.walk(tenant, subjectId, item, field));
      return out;
    }
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value)) out[key] = await this.walk(tenant, subjectId, inner, key);
      return out;
    }
    return value;
  }
}
