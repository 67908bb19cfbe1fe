import type { TenantId } from '@enclave/eventing';
import { totalTokens } from '../../usage/domain/usage-increment';
import type { MemberUsageDay, UsageDetailStore } from './ports';

export interface BillingSubjectDocument {
  tenantId: string;
  subjectId: string;
  /** Token counts per UTC day and model, as kept for the tenant's usage reports. */
  usageByDay: Array<MemberUsageDay & { totalTokens: number }>;
  /** The same summed per UTC month. */
  usageByMonth: Array<{ month: string; promptTokens: number; completionTokens: number; messages: number; totalTokens: number }>;
}

/** What billing holds about a person, for audit's access / portability export. */
export class ExportSubjectUsage {
  constructor(private readonly detail: UsageDetailStore) {}

  async execute(tenantId: TenantId, subjectId: string): Promise<BillingSubjectDocument> {
    const days = await this.detail.ofMember(tenantId, subjectId);
    const months = new Map<string, { promptTokens: number; completionTokens: number; messages: number }>();
    for (const day of days) {
      const month = day.day.slice(0, 7);
      const sum = months.get(month) ?? { promptTokens: 0, completionTokens: 0, messages: 0 };
      months.set(month, {
        promptTokens: sum.promptTokens + day.promptTokens,
        completionTokens: sum.completionTokens + day.completionTokens,
        messages: sum.messages + day.messages,
      });
    }
    return {
      tenantId,
      subjectId,
      usageByDay: days.map((day) => ({ ...day, totalTokens: totalTokens(day) })),
      usageByMonth: [...months].sort(([a], [b]) => (a < b ? -1 : 1)).map(([month, t]) => ({ month, ...t, totalTokens: totalTokens(t) })),
    };
  }
}
