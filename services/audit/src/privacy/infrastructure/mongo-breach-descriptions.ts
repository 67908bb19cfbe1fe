import type { Connection, mongo } from 'mongoose';
import type { TenantId } from '@enclave/eventing';
import type { BreachDescriptions } from '../application/ports';

/**
 * `privacy_breach_descriptions`: the free text of each incident (it may name people), one
 * document per incident, read only with its tenant. Never copied into an event, a log line or
 * the list API.
 */
export class MongoBreachDescriptions implements BreachDescriptions {
  private readonly docs: mongo.Collection;

  constructor(connection: Connection) {
    this.docs = connection.collection('privacy_breach_descriptions') as unknown as mongo.Collection;
  }

  async init(): Promise<void> {
    await this.docs.createIndex({ tenantId: 1, _id: 1 });
  }

  async put(tenant: TenantId, incidentId: string, description: string): Promise<void> {
    await this.docs.insertOne({ _id: incidentId, tenantId: tenant, description } as never);
  }

  async get(tenant: TenantId, incidentId: string): Promise<string | undefined> {
    const doc = await this.docs.findOne({ _id: incidentId, tenantId: tenant } as never);
    return typeof doc?.description === 'string' ? doc.description : undefined;
  }
}
