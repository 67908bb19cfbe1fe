// Kafka handlers: decode what billing needs from each consumed topic and hand it to a use case.
// Content that can never be applied is a PoisonError (parked on the topic's DLQ at once);
// anything else that throws is retried by the IdempotentConsumer with backoff. Usage from the
// chat-gateway topic is not here: it is consumed in batches (usage/interface/usage-batch-handler).
import { PoisonError, type IdempotentConsumer } from '@enclave/eventing';
import type { ApplyDefaultQuota } from '../quota/application/apply-default-quota';
import type { ProjectQuotaEvent } from '../quota/application/project-quota-event';
import { fromProto, QuotaEventDecodeError } from '../quota/infrastructure/quota-event-codec';
import type { BillingTopics } from '../shared/billing-topics';
import { isQuotaEvent } from '../privacy/domain/privacy-events';
import type { PurgeSubjectUsage } from '../privacy/application/purge-subject-usage';
import type { TenantRetentionStore } from '../privacy/application/ports';

export interface BillingHandlerDeps {
  applyDefaultQuota: ApplyDefaultQuota;
  projectQuotaEvent: ProjectQuotaEvent;
  purgeSubjectUsage: PurgeSubjectUsage;
  tenantRetention: TenantRetentionStore;
}

export function registerBillingHandlers(consumer: IdempotentConsumer, topics: BillingTopics, deps: BillingHandlerDeps): IdempotentConsumer {
  return consumer
    .on(topics.tenant, async (event) => {
      const tenantEvent = event.payload.event;
      if (tenantEvent?.$case === 'instanceCreated') await deps.applyDefaultQuota.execute(event.tenantId);
      if (tenantEvent?.$case === 'settingsChanged') {
        // Only the usage-detail period matters here; unset retention means the default.
        const days = tenantEvent.value.settings?.retention?.usageDetailDays;
        await deps.tenantRetention.put(event.tenantId, event.streamVersion, days && days > 0 ? days : null);
      }
    })
    .on(topics.audit, async (event) => {
      if (event.payload.event?.$case !== 'subjectPurgeRequested') return;
      const { requestId, subjectId } = event.payload.event.value;
      if (!requestId || !subjectId) throw new PoisonError('SubjectPurgeRequested without request id or subject id');
      await deps.purgeSubjectUsage.execute({ tenantId: event.tenantId, requestId, subjectId });
    })
    .on(topics.billing, async (event) => {
      let quotaEvent;
      try {
        quotaEvent = fromProto(event.payload);
      } catch (error) {
        if (error instanceof QuotaEventDecodeError) throw new PoisonError(error.message);
        throw error;
      }
      if (!isQuotaEvent(quotaEvent)) return; // billing's own privacy records: nothing to project
      await deps.projectQuotaEvent.execute(event.tenantId, event.streamVersion, quotaEvent);
    });
}
