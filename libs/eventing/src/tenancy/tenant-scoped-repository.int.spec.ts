// Against a real MongoDB-wire database: does a tenant-scoped repository only ever see and change
// its tenant's documents, and refuse at run time a query that carries no tenant id?
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { loadInfraEnv, uniqueName } from '@enclave/testing';
import { tenantId, type TenantId } from './tenant-id';
import { TenantScopeError } from './tenant-scope-error';
import { TenantScopedRepository } from './tenant-scoped-repository';

interface NoteDoc {
  tenantId: string;
  noteId: string;
  title: string;
}

class NoteRepository extends TenantScopedRepository<NoteDoc> {
  constructor(model: Model<NoteDoc>) {
    super(model);
  }
  byNoteId(tenant: TenantId, noteId: string): Promise<NoteDoc | null> {
    return this.findOne(tenant, { noteId });
  }
}

jest.setTimeout(30_000);

describe('TenantScopedRepository (FerretDB)', () => {
  const a = tenantId('tenant-a');
  const b = tenantId('tenant-b');
  let connection: Connection;
  let repo: NoteRepository;

  beforeAll(async () => {
    connection = await mongoose.createConnection(loadInfraEnv().mongoUrl, { dbName: uniqueName('evtenancy') }).asPromise();
    const schema = new Schema<NoteDoc>({ tenantId: String, noteId: String, title: String }, { versionKey: false });
    repo = new NoteRepository(connection.model<NoteDoc>('Note', schema, 'notes'));
    await repo.insertOne(a, { noteId: 'n1', title: 'A one' });
    await repo.insertOne(a, { noteId: 'n2', title: 'A two' });
    await repo.insertOne(b, { noteId: 'n1', title: 'B one' });
  });
  afterAll(async () => {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  });

  it('reads only the given tenant', async () => {
    expect((await repo.find(a, {}, { sort: { noteId: 1 } })).map((n) => n.title)).toEqual(['A one', 'A two']);
    expect((await repo.byNoteId(b, 'n1'))?.title).toBe('B one');
    expect(await repo.byNoteId(b, 'n2')).toBeNull();
    expect(await repo.count(b)).toBe(1);
  });

  it('changes only the given tenant, and upserts into it', async () => {
    expect(await repo.updateMany(b, { noteId: 'n1' }, { $set: { title: 'B renamed' } })).toBe(1);
    expect((await repo.byNoteId(a, 'n1'))?.title).toBe('A one');
    await repo.updateOne(b, { noteId: 'n9' }, { $set: { title: 'B new' } }, { upsert: true });
    expect(await connection.collection('notes').findOne({ noteId: 'n9' })).toMatchObject({ tenantId: 'tenant-b', title: 'B new' });
    expect(await repo.deleteMany(a, { noteId: 'n9' })).toBe(0);
  });

  it('refuses at run time a query without tenant id, before it reaches the database', async () => {
    const untyped = repo as unknown as { find(filter: object): Promise<unknown>; deleteMany(filter: object): Promise<unknown> };
    await expect(untyped.find({ noteId: 'n1' })).rejects.toBeInstanceOf(TenantScopeError);
    await expect(untyped.deleteMany({})).rejects.toBeInstanceOf(TenantScopeError);
    await expect(repo.find('tenant-a' as TenantId, { tenantId: 'tenant-b' } as never)).rejects.toBeInstanceOf(TenantScopeError);
    expect(await connection.collection('notes').countDocuments()).toBe(4);
  });
});
