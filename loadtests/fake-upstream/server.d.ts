// Types for TypeScript callers (integration tests, benchmarks) of the plain-JS fake upstream.
import type { Server } from 'node:http';

export interface RecordedRequest {
  seq: number;
  receivedAt: string;
  /** Last four characters of the bearer key (null without one). */
  keyLastFour: string | null;
  authorized: boolean;
  /** pending | completed | unauthorized | invalid | client_closed | client_closed_while_hanging | fault:<name> */
  outcome: string;
  body: {
    model: string;
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
    messages: Array<{ role: string; content: unknown }>;
    [key: string]: unknown;
  };
}

export interface FakeUpstream {
  server: Server;
  port: number;
  /** Base URL for an OpenAI client, e.g. http://127.0.0.1:7190/v1 */
  url: string;
  requests(): RecordedRequest[];
  clearRequests(): void;
  close(): Promise<void>;
}

export interface StartOptions {
  port?: number;
  host?: string;
  /** Accepted API keys; empty = any non-empty bearer. */
  keys?: string[];
  /** Delay between content chunks of a stream. */
  chunkDelayMs?: number;
}

export function start(options?: StartOptions): Promise<FakeUpstream>;
export const MODELS: string[];
