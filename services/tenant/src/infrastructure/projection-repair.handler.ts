import type { tenantV1 } from '@enclave/proto';
import { PoisonError, type EventHandler } from '@enclave/eventing';
import type { TenantProjections } from '../application';
import { fromProto, TenantEventDecodeError } from './tenant-event-codec';

/**
 * Our own topic, consumed back: the projections are also written right after each append, so
 * this only matters when the process died in between (or a read model was dropped). Writes are
 * guarded by stream version, so replaying events already applied changes nothing.
 */
export function projectionRepairHandler(projections: TenantProjections): EventHandler<tenantV1.TenantEvent> {
  return async (consumed) => {
    let event;
    try {
      event = fromProto(consumed.payload);
    } catch (error) {
      if (error instanceof TenantEventDecodeError) throw new PoisonError(error.message);
      throw error;
    }
    await projections.apply([
      { tenantId: consumed.tenantId, version: consumed.streamVersion, occurredAt: consumed.occurredAt, event },
    ]);
  };
}
