import { isSealedField, openField, sealField, SealedFieldError, type FieldBinding, type SubjectKey } from './field-cipher';

/** Where subject keys come from (key-vault's SubjectKeyService in production). */
export interface SubjectKeySource {
  /** The person's key; `'shredded'` once erased; undefined when none exists and `create` is false. */
  fetch(tenantId: string, subjectId: string, create: boolean): Promise<SubjectKey | 'shredded' | undefined>;
}

/** Sealing for a person whose key was shredded: their data must not be written again. */
export class SubjectErasedError extends Error {
  constructor() {
    super('this person was erased; their personal data cannot be stored');
    this.name = 'SubjectErasedError';
  }
}

export interface PersonalFieldsOptions {
  /** How long a key stays in memory (default 10 minutes). Shredded answers are kept for good. */
  ttlMs?: number;
  /** Most keys held at once (default 10,000; the oldest go first). */
  maxEntries?: number;
  now?: () => number;
}

type Entry = { value: SubjectKey | 'shredded'; expiresAt: number };

/**
 * Seals and opens a person's personal fields with their subject key, keeping keys briefly in
 * memory so a hot path pays one key-vault call per person per TTL. Values stored before sealing
 * existed (no `pf1.` prefix) are returned as they are.
 */
export class PersonalFields {
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<SubjectKey | 'shredded' | undefined>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly source: SubjectKeySource,
    options: PersonalFieldsOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async seal(binding: FieldBinding, plaintext: string): Promise<string> {
    const key = await this.key(binding.tenantId, binding.subjectId, true);
    if (key === 'shredded' || key === undefined) throw new SubjectErasedError();
    return sealField(key, binding, plaintext);
  }

  /** The plaintext; null when the person's key was shredded (or never existed). */
  async open(binding: FieldBinding, value: string): Promise<string | null> {
    if (!isSealedField(value)) return value;
    const key = await this.key(binding.tenantId, binding.subjectId, false);
    if (key === 'shredded' || key === undefined) return null;
    try {
      return openField(key, binding, value);
    } catch (error) {
      if (error instanceof SealedFieldError) return null;
      throw error;
    }
  }

  /** Drops a person's cached key (on SubjectKeyShredded, or when their data was purged). */
  forget(tenantId: string, subjectId: string): void {
    this.cache.delete(cacheKey(tenantId, subjectId));
  }

  /** Marks a person as erased without asking key-vault again. */
  markShredded(tenantId: string, subjectId: string): void {
    this.put(cacheKey(tenantId, subjectId), { value: 'shredded', expiresAt: Number.POSITIVE_INFINITY });
  }

  private async key(tenantId: string, subjectId: string, create: boolean): Promise<SubjectKey | 'shredded' | undefined> {
    const id = cacheKey(tenantId, subjectId);
    const hit = this.cache.get(id);
    if (hit && hit.expiresAt > this.now()) return hit.value;
    if (hit) this.cache.delete(id);
    const flightId = `${id}\u0000${create}`;
    let pending = this.inflight.get(flightId);
    if (!pending) {
      pending = this.source.fetch(tenantId, subjectId, create).finally(() => this.inflight.delete(flightId));
      this.inflight.set(flightId, pending);
    }
    const value = await pending;
    if (value === 'shredded') this.markShredded(tenantId, subjectId);
    else if (value) this.put(id, { value, expiresAt: this.now() + this.ttlMs });
    return value;
  }

  private put(id: string, entry: Entry): void {
    this.cache.delete(id);
    this.cache.set(id, entry);
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
  }
}

function cacheKey(tenantId: string, subjectId: string): string {
  return `${tenantId}\u0000${subjectId}`;
}
