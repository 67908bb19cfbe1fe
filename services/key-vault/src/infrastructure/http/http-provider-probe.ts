import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { ValidationError } from '@enclave/platform';
import type { BaseUrlGuard } from '../../application/base-url-guard';
import type { ProviderProbe } from '../../application/test-provider-key';
import { judgeModelsResponse, verdict, type ConnectionVerdict } from '../../domain/provider-key/connection-test';
import type { ProviderCredential } from '../../domain/provider-key/provider-credential';
import { publicBaseUrl } from '../../domain/provider-key/providers';

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * GET <baseUrl>/models with the tenant's key. The base URL (the tenant's, or the provider's
 * public one) goes through the SSRF guard again right here, and the socket may connect only to
 * the addresses the guard just approved (no second DNS answer can sneak in). No redirects are
 * followed, the whole exchange has a deadline, the body is capped, and nothing of the key or
 * the body is returned or logged except model ids.
 */
export class HttpProviderProbe implements ProviderProbe {
  constructor(
    private readonly guard: BaseUrlGuard,
    private readonly timeoutMs: number,
  ) {}

  async listModels(credential: ProviderCredential): Promise<ConnectionVerdict & { reason?: string }> {
    let endpoint;
    try {
      endpoint = await this.guard.resolve(credential.baseUrl || publicBaseUrl(credential.provider));
    } catch (error) {
      if (error instanceof ValidationError) return { ...verdict('blocked'), reason: error.message };
      throw error;
    }
    const url = new URL(`${endpoint.url}/models`);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (credential.provider === 'anthropic') {
      headers['x-api-key'] = credential.apiKey;
      headers['anthropic-version'] = '2023-06-01';
    } else {
      headers.authorization = `Bearer ${credential.apiKey}`;
    }
    try {
      const { status, body } = await get(url, headers, pinnedLookup(endpoint.addresses), this.timeoutMs);
      return judgeModelsResponse(status, body, credential.apiKey);
    } catch (error) {
      if (error instanceof ProbeTimeout) return verdict('timeout');
      if (error instanceof BodyTooLarge) return verdict('bad_response');
      return verdict('unreachable');
    }
  }
}

class ProbeTimeout extends Error {}
class BodyTooLarge extends Error {}

function get(url: URL, headers: Record<string, string>, lookup: LookupFunction, timeoutMs: number): Promise<{ status: number; body: string }> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, { method: 'GET', headers, lookup, agent: false }, (response) => {
      const parts: Buffer[] = [];
      let size = 0;
      response.on('data', (part: Buffer) => {
        size += part.length;
        if (size > MAX_BODY_BYTES) request.destroy(new BodyTooLarge());
        else parts.push(part);
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') });
      });
      response.on('error', reject);
    });
    const timer = setTimeout(() => request.destroy(new ProbeTimeout()), timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end();
  });
}

/** A DNS lookup that can only answer with the addresses the guard approved. */
function pinnedLookup(addresses: string[]): LookupFunction {
  const entries = addresses.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
  return (_host, options, callback) => {
    if (options.all) (callback as (e: null, a: typeof entries) => void)(null, entries);
    else callback(null, entries[0]!.address, entries[0]!.family);
  };
}
