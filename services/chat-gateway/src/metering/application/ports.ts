import type { AdmissionLimits, AdmissionRefusal, RequestSize } from '../domain/admission';
import type { MeteringFact, Payer, RefusalReason, UsageRecorded } from '../domain/metering-fact';
import type { ProviderFailure } from '../domain/provider-failure';

/**
 * Where metering facts go. publish() resolves only once the fact is durable (acknowledged by the
 * broker, or stored): a front door tells its client "complete" or "refused" only after that.
 */
export interface FactSink {
  /** Rejects with FactsUnavailableError when the fact is not durable (saturated, broker down). */
  publish(fact: MeteringFact): Promise<void>;
  /** Set while new metered work should be shed (503 + Retry-After) rather than started. */
  refusal(): FactsUnavailableError | undefined;
}

/** Facts cannot be made durable right now: the caller answers 503 with Retry-After, never drops. */
export class FactsUnavailableError extends Error {
  override readonly name = 'FactsUnavailableError';
  constructor(
    readonly retryAfterSec: number,
    message = 'the gateway cannot record usage right now; retry shortly',
  ) {
    super(message);
  }
}

/** Whose counters a metered completion is admitted against. */
export type Meterable =
  | { kind: 'member'; tenantId: string; subjectId: string; ratePerMinute: number }
  | { kind: 'key'; tenantId: string; keyId: string; ratePerMinute: number; monthlyTokens: number | null };

/** Tokens taken from the counters before the provider is called; settled to the real usage after. */
export interface Reservation {
  readonly reserved: number;
  /** Where it was taken (the gate's own handles: the month is fixed at admission). */
  readonly counters: readonly string[];
}

export type GateVerdict = { admitted: true; reservation: Reservation } | { admitted: false; reason: AdmissionRefusal };

/** One atomic step before the provider (rate, quota, budget, reservation), one settle after. */
export interface AdmissionGate {
  admit(who: Meterable, wantedTokens: number, nowMs: number): Promise<GateVerdict>;
  /** Moves the counters by (used - reserved); a reservation never settled stays counted. */
  settle(reservation: Reservation, usedTokens: number): Promise<void>;
}

/** What a front door asks the meter to admit: who pays, their limits, how big the request may get. */
export interface MeterRequest {
  payer: Payer;
  limits: AdmissionLimits;
  size: RequestSize;
}

/** An admitted completion: its reservation, to be recorded (or released) exactly once. */
export interface Admitted {
  readonly payer: Payer;
  readonly reservation: Reservation;
}

/** What a completion used, once its answer ended (however it ended). */
export type MeteredUsage = Omit<UsageRecorded, 'type' | 'payer'>;

/**
 * The one usage meter both front doors call: admission (reserve) before the provider, record
 * (settle + durable UsageRecorded) after it. Refusals are recorded as ChatRefused before they are
 * thrown.
 */
export interface Meter {
  /** FactsUnavailableError (503 + Retry-After) while usage could not be recorded. */
  assertCanRecord(): void;
  /** MeteringRefusedError (429) once its ChatRefused is durable; UnavailableError (503) if limits cannot be checked. */
  admit(request: MeterRequest): Promise<Admitted>;
  /** Returns the refusal to throw, once its ChatRefused is durable (e.g. no provider key). */
  refusal(payer: Payer, reason: RefusalReason, retryAfterSec?: number): Promise<MeteringRefusedError>;
  /** Settles the reservation and resolves once UsageRecorded is durable; FactsUnavailableError otherwise. */
  record(admitted: Admitted, usage: MeteredUsage): Promise<void>;
  /** Gives the reservation back when the provider was never called. */
  release(admitted: Admitted): Promise<void>;
}

/** Refused before the provider (quota, key budget, rate, no provider key); its ChatRefused is recorded. */
export class MeteringRefusedError extends Error {
  override readonly name = 'MeteringRefusedError';
  constructor(
    readonly reason: RefusalReason,
    readonly retryAfterSec: number | undefined,
  ) {
    super(`refused: ${reason}`);
  }
}

/** Where a relayed answer goes: the member's SSE re-framing, or the API's byte-for-byte passthrough. */
export interface RelaySink {
  /** Aborts when the client went away: the provider request is aborted too. */
  readonly clientGone: AbortSignal;
  /** The provider answered with a success status. */
  head(answer: { contentType: string | undefined; contentLength: string | undefined }): void;
  /** One piece of the answer, as it arrived. A promise: the client is full; the provider waits (untimed) until it resolves. */
  chunk(bytes: Buffer): Promise<void> | undefined;
}

export interface RelayOutcome {
  /** The provider accepted the request (success head), whatever happened after. */
  providerAnswered: boolean;
  outcome: 'ok' | 'upstream_error' | 'client_aborted';
  /** Why it failed (before or after the head); undefined when ok or when the client went away. */
  failure: ProviderFailure | undefined;
}

/** The tenant's provider, as the credential cache keeps it (one per tenant and key version). */
export interface ProviderEndpoint {
  /** POSTs the chat-completions body and relays the answer into the sink; never rejects. */
  relay(body: Buffer, stream: boolean, sink: RelaySink, timeoutMs: number): Promise<RelayOutcome>;
}
