import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@enclave/platform';
import { usageFor } from '../../metering/domain/usage';
import type { VerifiedKey } from '../../virtual-keys/application/ports';
import type { ApiAccess } from '../application/api-access';
import { FactsUnavailableError, type Admitted, type ProviderEndpoint, type RelayOutcome } from '../../metering/application/ports';
import { ApiError, frameworkError, modelNotAllowed, modelNotFound, overloaded, unavailable, usageUnrecorded } from '../domain/api-errors';
import type { ResponseRecorder } from '../domain/response-usage';
import { apiErrorOfFailure } from '../domain/upstream-errors';
import { parseCompletionRequest, promptTexts, requestSize, upstreamBody, type CompletionRequest } from '../domain/completion-request';
import { chooseModel, modelsFor } from '../../metering/domain/model-policy';
import { sendApiError, sendJson } from './api-responses';
import { PassthroughSink } from './passthrough-sink';

export interface OpenAiRoutesDeps {
  access: ApiAccess;
  /** DEFAULT_MODEL, for tenants without a default model. */
  fallbackModel: string;
  upstreamTimeoutMs: number;
  newId: () => string;
  logger: Logger;
}

/**
 * /v1/chat/completions and /v1/models as plain Fastify routes on Nest's Fastify instance: no
 * Nest guard, pipe or interceptor between the socket and the provider. The reply is hijacked
 * and answered on the raw response. Everything a request waits for before the provider is
 * called is in memory when warm, except one Redis script (quota and rate limit).
 */
export class OpenAiRoutes {
  constructor(private readonly deps: OpenAiRoutesDeps | null) {}

  register(fastify: FastifyInstance, bodyLimit: number): void {
    const errorHandler = (error: { statusCode?: number }, _request: FastifyRequest, reply: FastifyReply) => {
      const mapped = frameworkError(error.statusCode);
      if (mapped.status >= 500) this.deps?.logger.error({ err: error }, 'openai api route failed');
      void reply.status(mapped.status).header('content-type', 'application/json').send(mapped.body());
    };
    fastify.route({ method: 'POST', url: '/v1/chat/completions', bodyLimit, errorHandler, handler: (req, reply) => this.completions(req, reply) });
    fastify.route({ method: 'GET', url: '/v1/models', errorHandler, handler: (req, reply) => this.models(req, reply) });
    fastify.route({ method: 'GET', url: '/v1/models/:model', errorHandler, handler: (req, reply) => this.model(req, reply) });
  }

  private async completions(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    reply.hijack();
    const res = reply.raw;
    const deps = this.deps;
    if (!deps) return sendApiError(res, notConfigured());
    let key: VerifiedKey;
    let completion: CompletionRequest;
    let model: string;
    let instruction: string;
    let admitted: Admitted;
    let upstream: ProviderEndpoint;
    try {
      key = await deps.access.authenticate(request.headers.authorization);
      completion = parseCompletionRequest(request.body);
      const settings = await deps.access.settingsFor(key);
      const choice = chooseModel(completion.model, settings, deps.fallbackModel, key);
      if (!choice.ok) throw modelNotAllowed(choice.model);
      model = choice.model;
      instruction = settings.systemInstruction;
      admitted = await deps.access.admit(key, requestSize(completion, instruction));
      upstream = await deps.access.providerFor(key, admitted);
    } catch (error) {
      return this.fail(res, error);
    }

    const requestId = deps.newId();
    const sink = new PassthroughSink(res, completion.stream, requestId);
    const result = await upstream.relay(Buffer.from(upstreamBody(completion, model, instruction)), completion.stream, sink, deps.upstreamTimeoutMs);
    if (result.failure?.credentialRejected) deps.access.credentialRejected(key);
    let unrecorded: unknown;
    try {
      await deps.access.completed(key, admitted, { requestId, model, ...usageOf(result, sink.recorder, completion, instruction) });
    } catch (error) {
      deps.logger.error({ err: error, tenantId: key.tenantId }, 'completion relayed but its usage was not recorded');
      unrecorded = error;
    }
    // Every ending waits for the usage: never an answer that ends complete while its usage is not recorded.
    if (result.outcome === 'client_aborted') return;
    if (result.failure && !sink.answering) return sendApiError(res, apiErrorOfFailure(result.failure));
    if (result.failure) return sink.cut(apiErrorOfFailure(result.failure));
    if (unrecorded) return sink.cut(usageUnrecorded(unrecorded instanceof FactsUnavailableError ? unrecorded.retryAfterSec : 1));
    sink.release();
  }

  private async models(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    reply.hijack();
    try {
      const ids = await this.listFor(request);
      const data = ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'enclave' }));
      sendJson(reply.raw, 200, JSON.stringify({ object: 'list', data }));
    } catch (error) {
      this.fail(reply.raw, error);
    }
  }

  private async model(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    reply.hijack();
    try {
      const ids = await this.listFor(request);
      const wanted = String((request.params as { model?: unknown } | undefined)?.model ?? '');
      if (!ids.includes(wanted)) throw modelNotFound(wanted.slice(0, 200));
      sendJson(reply.raw, 200, JSON.stringify({ id: wanted, object: 'model', created: 0, owned_by: 'enclave' }));
    } catch (error) {
      this.fail(reply.raw, error);
    }
  }

  private async listFor(request: FastifyRequest): Promise<string[]> {
    const deps = this.deps;
    if (!deps) throw notConfigured();
    const key = await deps.access.authenticate(request.headers.authorization);
    const settings = await deps.access.settingsFor(key);
    return modelsFor(settings, deps.fallbackModel, key);
  }

  private fail(res: FastifyReply['raw'], error: unknown): void {
    if (error instanceof ApiError) return sendApiError(res, error);
    if (error instanceof FactsUnavailableError) return sendApiError(res, overloaded(error.retryAfterSec));
    this.deps?.logger.error({ err: error }, 'openai api request failed');
    sendApiError(res, new ApiError(500, 'server_error', null, 'The gateway failed to process the request.'));
  }
}

/** Tokens of one call: the provider's count when the whole answer was delivered, else an estimate. */
function usageOf(result: RelayOutcome, recorder: ResponseRecorder, completion: CompletionRequest, instruction: string) {
  const reported = result.providerAnswered ? recorder.usage() : undefined;
  if (result.outcome === 'ok' && reported) return { ...reported, estimated: false, outcome: 'ok' as const };
  const usage = usageFor({
    providerAnswered: result.providerAnswered,
    reported,
    promptTexts: result.providerAnswered ? promptTexts(completion, instruction) : [],
    deliveredText: result.providerAnswered ? recorder.deliveredText() : '',
    outcome: result.outcome,
  });
  return { ...usage, outcome: result.outcome };
}

function notConfigured(): ApiError {
  return unavailable('The OpenAI-compatible API is not configured on this gateway (VIRTUAL_KEY_PEPPER).');
}
