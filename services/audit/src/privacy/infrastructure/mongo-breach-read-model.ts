import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import type { TenantId } from '@enclave/eventing';
import type { BreachListFilter, BreachNotification, BreachReadModel, BreachView } from '../application/ports';

// One document per incident (_id = incident id), rewritten from its stream; `version` is the
// stream version it reflects. The notification fields come from the log, are written once and
// are never touched by a projection.
const breachSchema = new Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    status: { type: String, required: true },
    notifyByMs: { type: Number, required: true },
    version: { type: Number, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true, strict: false, collection: 'privacy_breaches' },
);
breachSchema.index({ tenantId: 1, _id: 1 });
breachSchema.index({ notified: 1 });

export class MongoBreachReadModel implements BreachReadModel {
  private readonly model: Model<unknown>;

  constructor(connection: Connection) {
    this.model = connection.models.PrivacyBreach ?? connection.model('PrivacyBreach', breachSchema);
  }

  async init(): Promise<void> {
    await this.model.init();
    await this.model.createIndexes();
  }

  async project(view: Omit<BreachView, 'notifiedAtMs' | 'recipients'>): Promise<void> {
    const { incidentId, ...rest } = view;
    const doc = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    try {
      // Matches only an older version (or nothing: then inserts, not yet notified); a newer
      // stored view makes the upsert collide on _id, which means there is nothing to do.
      await this.collection.updateOne({ _id: incidentId, version: { $lt: view.version } } as never, { $set: doc, $setOnInsert: { notified: false } }, { upsert: true });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 11000) throw error;
    }
  }

  async markNotified(tenant: TenantId, incidentId: string, notification: BreachNotification): Promise<void> {
    await this.collection.updateOne({ _id: incidentId, tenantId: tenant, notified: false } as never, { $set: { notified: true, ...notification } });
  }

  async get(tenant: TenantId, incidentId: string): Promise<BreachView | undefined> {
    const doc = await this.collection.findOne({ _id: incidentId, tenantId: tenant } as never);
    return doc ? toView(doc) : undefined;
  }

  async list(tenant: TenantId, filter: BreachListFilter): Promise<BreachView[]> {
    const query: Record<string, unknown> = { tenantId: tenant };
    if (filter.after) query._id = { $gt: filter.after };
    if (filter.status === 'open') query.status = 'open';
    if (filter.status === 'resolved') query.status = 'resolved';
    if (filter.status === 'overdue') Object.assign(query, { notified: false, notifyByMs: { $lt: filter.nowMs } });
    const docs = await this.collection.find(query as never).sort({ _id: 1 }).limit(filter.limit).toArray();
    return docs.map(toView);
  }

  async unnotified(): Promise<Array<{ tenantId: TenantId; incidentId: string }>> {
    const docs = await this.collection.find({ notified: false }, { projection: { tenantId: 1 } }).toArray();
    return docs.map((d) => ({ tenantId: String(d.tenantId) as TenantId, incidentId: String(d._id) }));
  }

  private get collection(): mongo.Collection {
    return this.model.collection as unknown as mongo.Collection;
  }
}

function toView(doc: mongo.Document): BreachView {
  const { _id, notified: _n, ...rest } = doc;
  return { ...(rest as Omit<BreachView, 'incidentId'>), incidentId: String(_id) };
}
