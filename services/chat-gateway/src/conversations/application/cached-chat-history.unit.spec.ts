import { tenantId } from '@enclave/eventing';
import { CachedChatHistory } from './cached-chat-history';
import type { ContextVersions } from './context-versions';

// The question: does a replica answer a chat's context from memory exactly while no one else
// changed the conversation, and read the database again as soon as someone did?

const T = tenantId('t-1');
type Msg = { _id: string; tenantId: string; subjectId: string; conversationId: string; role: 'user' | 'assistant'; content: string; createdAt: Date; complete: boolean };

function world() {
  const rows: Msg[] = [];
  const reads = { conversations: 0, messages: 0 };
  const counters = new Map<string, number>();
  const versions: ContextVersions = {
    current: async (t, c) => String(counters.get(`${t}/${c}`) ?? 0),
    bump: async (t, c) => {
      const next = (counters.get(`${t}/${c}`) ?? 0) + 1;
      counters.set(`${t}/${c}`, next);
      return next;
    },
    bumpAll: async (t, ids) => {
      for (const id of ids) counters.set(`${t}/${id}`, (counters.get(`${t}/${id}`) ?? 0) + 1);
    },
  };
  const conversations = {
    findOwned: async (_t: unknown, subjectId: string, id: string) => {
      reads.conversations += 1;
      return id.startsWith('c-') && subjectId === 's-1' ? ({ _id: id, subjectId } as never) : null;
    },
    touch: async () => undefined,
  };
  const messages = {
    recent: async (_t: unknown, subjectId: string, conversationId: string, count: number) => {
      reads.messages += 1;
      return rows.filter((r) => r.subjectId === subjectId && r.conversationId === conversationId).slice(-count) as never;
    },
    add: async (_t: unknown, doc: Omit<Msg, 'tenantId'>) => {
      rows.push({ ...doc, tenantId: 't-1' });
    },
  };
  let now = 1_000;
  const options = { ttlMs: 60_000, maxBytes: 10_000, clock: () => now };
  const replica = () => new CachedChatHistory(conversations as never, messages as never, versions, options);
  const message = (id: string, content = `text ${id}`, conversationId = 'c-1') =>
    ({ _id: id, subjectId: 's-1', conversationId, role: 'user' as const, content, createdAt: new Date(Number(id.slice(2))), complete: true });
  return { rows, reads, counters, replica, message, advance: (ms: number) => (now += ms), versions };
}

describe('CachedChatHistory', () => {
  it('reads the database once, then serves the same context from memory', async () => {
    const w = world();
    const a = w.replica();
    await a.add(T, w.message('m-1'));
    expect(await a.findOwned(T, 's-1', 'c-1')).toMatchObject({ _id: 'c-1' });
    expect((await a.recent(T, 's-1', 'c-1', 20)).map((m) => m._id)).toEqual(['m-1']);
    await a.findOwned(T, 's-1', 'c-1');
    await a.recent(T, 's-1', 'c-1', 20);
    expect(w.reads).toEqual({ conversations: 1, messages: 1 });
  });

  it('appends its own writes in place, in time order, keeping only the window', async () => {
    const w = world();
    const a = w.replica();
    await a.recent(T, 's-1', 'c-1', 2);
    await a.add(T, w.message('m-3'));
    await a.add(T, w.message('m-2'));
    await a.add(T, w.message('m-4'));
    expect((await a.recent(T, 's-1', 'c-1', 2)).map((m) => m._id)).toEqual(['m-3', 'm-4']);
    expect(w.reads.messages).toBe(1);
  });

  it('reads again once another replica wrote to the conversation', async () => {
    const w = world();
    const [a, b] = [w.replica(), w.replica()];
    await a.recent(T, 's-1', 'c-1', 20);
    await b.add(T, w.message('m-1'));
    expect((await a.recent(T, 's-1', 'c-1', 20)).map((m) => m._id)).toEqual(['m-1']);
    expect(w.reads.messages).toBe(2);
  });

  it('drops its entry when a write of its own raced another replica\'s', async () => {
    const w = world();
    const [a, b] = [w.replica(), w.replica()];
    await a.recent(T, 's-1', 'c-1', 20);
    await b.add(T, w.message('m-1')); // a does not know
    await a.add(T, w.message('m-2')); // a's counter jumps by two: its entry is stale
    expect((await a.recent(T, 's-1', 'c-1', 20)).map((m) => m._id)).toEqual(['m-1', 'm-2']);
    expect(w.reads.messages).toBe(2);
  });

  it('never keeps a miss: a conversation not owned is asked each time', async () => {
    const w = world();
    const a = w.replica();
    expect(await a.findOwned(T, 's-2', 'c-1')).toBeNull();
    expect(await a.findOwned(T, 's-2', 'c-1')).toBeNull();
    expect(w.reads.conversations).toBe(2);
  });

  it('keeps people and tenants apart: the same conversation id under another owner is not served', async () => {
    const w = world();
    const a = w.replica();
    await a.findOwned(T, 's-1', 'c-1');
    expect(await a.findOwned(T, 's-2', 'c-1')).toBeNull();
    expect(await a.findOwned(tenantId('t-2'), 's-2', 'c-1')).toBeNull();
  });

  it('forgets deleted conversations on every replica', async () => {
    const w = world();
    const [a, b] = [w.replica(), w.replica()];
    await a.findOwned(T, 's-1', 'c-1');
    await b.findOwned(T, 's-1', 'c-1');
    await a.forget(T, ['c-1']);
    await a.findOwned(T, 's-1', 'c-1');
    await b.findOwned(T, 's-1', 'c-1');
    expect(w.reads.conversations).toBe(4);
  });

  it('expires entries after the ttl', async () => {
    const w = world();
    const a = w.replica();
    await a.recent(T, 's-1', 'c-1', 20);
    w.advance(60_001);
    await a.recent(T, 's-1', 'c-1', 20);
    expect(w.reads.messages).toBe(2);
  });

  it('holds at most maxBytes of stored text, evicting the least recently used conversations', async () => {
    const w = world();
    const a = w.replica();
    for (const c of ['c-1', 'c-2', 'c-3']) {
      await w.versions.bump(T, c);
      w.rows.push({ ...w.message(`m-${c.length}`, 'x'.repeat(4_000), c), tenantId: 't-1' });
      await a.recent(T, 's-1', c, 20);
    }
    expect(a.stats()).toEqual({ entries: 2, bytes: 8_000 });
    await a.recent(T, 's-1', 'c-1', 20);
    expect(w.reads.messages).toBe(4);
  });

  it('shares one version read between the two reads of one chat', async () => {
    const w = world();
    let gets = 0;
    const current = w.versions.current;
    w.versions.current = (t, c) => {
      gets += 1;
      return current(t, c);
    };
    const a = w.replica();
    await Promise.all([a.findOwned(T, 's-1', 'c-1'), a.recent(T, 's-1', 'c-1', 20)]);
    expect(gets).toBe(1);
  });
});
