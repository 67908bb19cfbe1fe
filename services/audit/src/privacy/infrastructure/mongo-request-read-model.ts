import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import type { TenantId } from '@enclave/eventing';
import type { RequestListFilter, RequestReadModel, RequestView } from '../application/ports';

// One document per request (_id = request id), rewritten from its stream; `version` is the
// stream version it reflects, so an older projection never overwrites a newer one.
const requestSchema = new Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    subjectId: { type: String, required: true },
    kind: { type: String, required: true },
    status: { type: String, required: true },
    version: { type: Number, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: true, strict: false, collection: 'privacy_requests' },
);
requestSchema.index({ tenantId: 1, status: 1, _id: 1 });
requestSchema.index({ tenantId: 1, subjectId: 1 });

export class MongoRequestReadModel implements RequestReadModel {
  private readonly model: Model<unknown>;

  constructor(connection: Connection) {
    this.model = connection.models.PrivacyRequest ?? connection.model('PrivacyRequest', requestSchema);
  }

  async init(): Promise<void> {
    await this.model.init();
    await this.model.createIndexes();
  }

  async project(view: RequestView): Promise<void> {
    const { requestId, ...rest } = view;
    const doc = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    try {
      // Matches only an older version (or nothing: then inserts); a newer stored view makes the
      // upsert collide on _id, which means there is nothing to do.
      await this.collection.updateOne({ _id: requestId, version: { $lt: view.version } } as never, { $set: doc }, { upsert: true });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 11000) throw error;
    }
  }

  async get(tenant: TenantId, requestId: string): Promise<RequestView | undefined> {
    const doc = await this.collection.findOne({ _id: requestId, tenantId: tenant } as never);
    return doc ? toView(doc) : undefined;
  }

  async list(tenant: TenantId, filter: RequestListFilter): Promise<RequestView[]> {
    const query: Record<string, unknown> = { tenantId: tenant };
    if (filter.subjectId) query.subjectId = filter.subjectId;
    if (filter.after) query._id = { $gt: filter.after };
    if (filter.status === 'completed') query.status = 'completed';
    if (filter.status === 'open') query.status = 'open';
    if (filter.status === 'overdue') Object.assign(query, { status: 'open', dueAtMs: { $lt: filter.nowMs } });
    const docs = await this.collection.find(query as never).sort({ _id: 1 }).limit(filter.limit).toArray();
    return docs.map(toView);
  }

  async openOf(tenant: TenantId, subjectId: string): Promise<RequestView[]> {
    return (await this.collection.find({ tenantId: tenant, subjectId, status: 'open' }).toArray()).map(toView);
  }

  async pending(nowMs: number): Promise<Array<{ tenantId: TenantId; requestId: string }>> {
    const docs = await this.collection
      .find(
        {
          status: 'open',
          $or: [{ kind: 'erasure', erasure: 'grace', graceEndsAtMs: { $lte: nowMs } }, { kind: 'erasure', erasure: 'purging' }, { kind: 'rectification' }],
        },
        { projection: { tenantId: 1 } },
      )
      .toArray();
    return docs.map((d) => ({ tenantId: String(d.tenantId) as TenantId, requestId: String(d._id) }));
  }

  async erased(tenant: TenantId, after: string | undefined, limit: number): Promise<RequestView[]> {
    const query: Record<string, unknown> = { tenantId: tenant, erasure: 'erased', ...(after && { _id: { $gt: after } }) };
    return (await this.collection.find(query as never).sort({ _id: 1 }).limit(limit).toArray()).map(toView);
  }

  private get collection(): mongo.Collection {
    return this.model.collection as unknown as mongo.Collection;
  }
}

function toView(doc: mongo.Document): RequestView {
  const { _id, ...rest } = doc;
  return { ...(rest as Omit<RequestView, 'requestId'>), requestId: String(_id) };
}
