// Do the tenant use cases append the decided events once, retry a lost optimistic-concurrency race, and keep refusals typed?
import { ConcurrencyError } from '@enclave/eventing';
import {
  fold,
  initialTenantState,
  InvalidSettingsError,
  MemberAlreadyAddedError,
  UnknownTenantError,
  type TenantEvent,
} from '../domain';
import { AddMember } from './add-member';
import { ChangeSettings } from './change-settings';
import { CreateInstance } from './create-instance';
import type { AccountRegistry, Actor, RecordedTenantEvent, TenantEventStore, TenantProjections } from './ports';
import { MAX_ATTEMPTS } from './run-tenant-command';

/** In-memory stand-in for the event store port; `interleave` lets a rival writer append first. */
class MemoryStore implements TenantEventStore {
  readonly streams = new Map<string, TenantEvent[]>();
  appendCalls = 0;
  interleave: Array<(tenantId: string) => void> = [];

  async load(tenantId: string) {
    const events = this.streams.get(tenantId) ?? [];
    return { state: fold(initialTenantState, events), version: events.length };
  }

  async append(tenantId: string, expectedVersion: number, events: TenantEvent[], _actor: Actor): Promise<RecordedTenantEvent[]> {
    this.appendCalls++;
    this.interleave.shift()?.(tenantId);
    const stream = this.streams.get(tenantId) ?? [];
    if (stream.length !== expectedVersion) throw new ConcurrencyError(`tenant-${tenantId}`, expectedVersion);
    stream.push(...events);
    this.streams.set(tenantId, stream);
    return events.map((event, i) => ({ tenantId, version: expectedVersion + i + 1, occurredAt: new Date(0), event }));
  }
}

const projections: TenantProjections = {
  apply: async () => undefined,
  settings: async () => null,
  members: async () => [],
  membership: async () => null,
  purgeSubject: async () => 0,
};
const accounts: AccountRegistry & { calls: number } = {
  calls: 0,
  async registerAccount({ email }) {
    this.calls++;
    return { subjectId: `subj-${email.split('@')[0]}` };
  },
};
const owner: Actor = { kind: 'person', subjectId: 'subj-owner', role: 'owner' };

function setup() {
  const store = new MemoryStore();
  let nudges = 0;
  const deps = { store, projections, publisher: { nudge: () => void nudges++ } };
  accounts.calls = 0;
  const create = new CreateInstance({ ...deps, accounts, newTenantId: () => 't1', defaultModel: 'gpt-4o-mini' });
  return { store, deps, create, nudges: () => nudges };
}

it('creates an instance with one append of three events and nudges the relay', async () => {
  const { store, create, nudges } = setup();
  await expect(create.execute({ instanceName: 'Acme', adminEmail: 'owner@acme.example', adminName: 'O' })).resolves.toEqual({
    tenantId: 't1',
    instanceName: 'Acme',
  });
  expect(store.appendCalls).toBe(1);
  expect(store.streams.get('t1')!.map((e) => e.type)).toEqual(['InstanceCreated', 'MemberAdded', 'SettingsChanged']);
  expect(nudges()).toBe(1);
});

it('refuses an invalid instance before creating an account in auth', async () => {
  const { create } = setup();
  await expect(create.execute({ instanceName: 'x'.repeat(101), adminEmail: 'a@b.example', adminName: 'A' })).rejects.toThrow(InvalidSettingsError);
  expect(accounts.calls).toBe(0);
});

it('retries a command whose append lost the race, deciding again on the new state', async () => {
  const { store, deps, create } = setup();
  await create.execute({ instanceName: 'Acme', adminEmail: 'owner@acme.example', adminName: 'O' });
  // A rival admin switches logging on between our load and our append.
  store.interleave.push((id) => store.streams.get(id)!.push({ type: 'SettingsChanged', settings: { ...fold(initialTenantState, store.streams.get(id)!).settings, messageLogging: true } }));
  const view = await new ChangeSettings(deps).execute({ tenantId: 't1', changes: { systemInstruction: 'Be brief.' }, actor: owner });
  expect(view.settings).toMatchObject({ messageLogging: true, systemInstruction: 'Be brief.' });
  expect(view.version).toBe(5);
});

it(`gives up after ${MAX_ATTEMPTS} lost races with the ConcurrencyError`, async () => {
  const { store, deps, create } = setup();
  await create.execute({ instanceName: 'Acme', adminEmail: 'owner@acme.example', adminName: 'O' });
  const before = store.appendCalls;
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    store.interleave.push((id) => store.streams.get(id)!.push({ type: 'MemberAdded', subjectId: `rival-${i}`, role: 'member' }));
  }
  await expect(new ChangeSettings(deps).execute({ tenantId: 't1', changes: { messageLogging: true }, actor: owner })).rejects.toThrow(ConcurrencyError);
  expect(store.appendCalls - before).toBe(MAX_ATTEMPTS);
});

it('adds a member idempotently and refuses another role; an unknown tenant never reaches auth', async () => {
  const { store, deps, create } = setup();
  await create.execute({ instanceName: 'Acme', adminEmail: 'owner@acme.example', adminName: 'O' });
  const add = new AddMember({ ...deps, accounts });
  const input = { tenantId: 't1', email: 'alice@acme.example', name: 'Alice', role: 'member' as const, actor: owner };
  await expect(add.execute(input)).resolves.toEqual({ subjectId: 'subj-alice', role: 'member', added: true });
  await expect(add.execute(input)).resolves.toEqual({ subjectId: 'subj-alice', role: 'member', added: false });
  expect(store.streams.get('t1')).toHaveLength(4);
  await expect(add.execute({ ...input, role: 'admin' })).rejects.toThrow(MemberAlreadyAddedError);
  accounts.calls = 0;
  await expect(add.execute({ ...input, tenantId: 'nope' })).rejects.toThrow(UnknownTenantError);
  expect(accounts.calls).toBe(0);
});
