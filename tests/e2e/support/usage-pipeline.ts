// Helpers of the usage-pipeline end-to-end test: bursts of OpenAI-compatible completions with a
// virtual key (each answer sorted into acknowledged / failed / unknown by its status), what billing
// and audit hold for a tenant (read straight from their databases), and consumer-group lag.
import { Kafka, logLevel } from 'kafkajs';
import type { Connection } from 'mongoose';
import { waitFor } from '@enclave/testing';

export interface BurstOutcome {
  /** 2xx: the client was told the completion happened. */
  acked: Set<string>;
  /** 5xx with a request id: the client was told it failed. */
  failed: Set<string>;
  /** Statuses other than 2xx (with or without a request id), and errors without an answer. */
  other: Array<{ status: number | 'error'; requestId?: string }>;
}

export function emptyOutcome(): BurstOutcome {
  return { acked: new Set(), failed: new Set(), other: [] };
}

/** Adds a burst's answers to a running tally. */
export function absorb(into: BurstOutcome, from: BurstOutcome): void {
  for (const id of from.acked) into.acked.add(id);
  for (const id of from.failed) into.failed.add(id);
  into.other.push(...from.other);
}

/** POSTs n completions, `concurrency` at a time; `onProgress(done)` after each answer. */
export async function burst(
  gatewayUrl: string,
  virtualKey: string,
  n: number,
  concurrency: number,
  onProgress: (done: number) => void | Promise<void> = () => undefined,
): Promise<BurstOutcome> {
  const outcome = emptyOutcome();
  let next = 0;
  let done = 0;
  const one = async (i: number) => {
    try {
      const res = await fetch(`${gatewayUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${virtualKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: false, messages: [{ role: 'user', content: `burst message ${i}` }] }),
        signal: AbortSignal.timeout(90_000),
      });
      await res.text();
      const requestId = res.headers.get('x-request-id') ?? undefined;
      if (res.status >= 200 && res.status < 300 && requestId) outcome.acked.add(requestId);
      else if (res.status >= 500 && requestId) outcome.failed.add(requestId);
      else outcome.other.push({ status: res.status, ...(requestId && { requestId }) });
    } catch {
      outcome.other.push({ status: 'error' });
    }
    done += 1;
    await onProgress(done);
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await one(next++);
    }),
  );
  return outcome;
}

export interface UsageFacts {
  /** Request ids of the tenant's rows, with how many rows each has, by outcome. */
  byRequest: Map<string, { rows: number; outcomes: string[] }>;
  rows: number;
}

function factsOf(list: Array<{ requestId: string; outcome: string }>): UsageFacts {
  const byRequest = new Map<string, { rows: number; outcomes: string[] }>();
  for (const { requestId, outcome } of list) {
    const seen = byRequest.get(requestId) ?? { rows: 0, outcomes: [] };
    seen.rows += 1;
    seen.outcomes.push(outcome);
    byRequest.set(requestId, seen);
  }
  return { byRequest, rows: list.length };
}

/** Billing's usage ledger rows of the tenant. */
export async function billed(billingDb: Connection, tenantId: string): Promise<UsageFacts> {
  const rows = await billingDb.collection('usage_ledger').find({ tenantId }, { projection: { requestId: 1, outcome: 1 } }).toArray();
  return factsOf(rows.map((r) => ({ requestId: String(r.requestId), outcome: String(r.outcome) })));
}

/** Audit's UsageRecorded entries of the tenant. */
export async function audited(auditDb: Connection, tenantId: string): Promise<UsageFacts> {
  const rows = await auditDb
    .collection('audit_entries')
    .find({ tenantId, type: 'chat-gateway.UsageRecorded' }, { projection: { payload: 1 } })
    .toArray();
  return factsOf(
    rows.map((r) => {
      const usage = JSON.parse(String(r.payload)).usageRecorded ?? {};
      return { requestId: String(usage.requestId ?? ''), outcome: String(usage.outcome ?? '') };
    }),
  );
}

/** Messages not yet committed by a consumer group on a topic (0 when the group is caught up). */
export async function groupLag(brokers: string[], groupId: string, topic: string): Promise<number> {
  const kafka = new Kafka({ clientId: 'e2e-lag', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return ends.reduce((lag, p) => {
      const at = committed?.partitions.find((c) => c.partition === p.partition)?.offset ?? '-1';
      return lag + Number(p.high) - Math.max(Number(at), Number(p.low));
    }, 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until `count()` reaches `atLeast`, then until every group has no lag on the topic (all
 * delivered events handled and committed): the count read after that is final.
 */
export async function settle(
  count: () => Promise<number>,
  atLeast: number,
  lag: { brokers: string[]; groupIds: string[]; topic: string },
  description: string,
): Promise<void> {
  await waitFor(async () => (await count()) >= atLeast, { timeoutMs: 120_000, intervalMs: 500, description });
  await waitFor(
    async () => {
      for (const groupId of lag.groupIds) if ((await groupLag(lag.brokers, groupId, lag.topic)) !== 0) return false;
      return true;
    },
    { timeoutMs: 120_000, intervalMs: 500, description: `${lag.groupIds.join(', ')} caught up on ${lag.topic}` },
  );
}
