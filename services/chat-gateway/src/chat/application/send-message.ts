import { tenantId, type TenantId } from '@enclave/eventing';
import { SubjectErasedError } from '@enclave/privacy';
import { NotFoundError, UnavailableError, ValidationError, type Logger } from '@enclave/platform';
import type { ConversationRepository } from '../../conversations/infrastructure/conversation.repository';
import type { MessageRepository } from '../../conversations/infrastructure/message.repository';
import { NoProviderKeyError, type CredentialCache, type ProviderHandle } from '../../credentials/application/credential-cache';
import type { Clock } from '../../shared/clock';
import type { Caller } from '../../shared/roles';
import type { TenantSettingsCache } from '../../tenant-settings/application/tenant-settings-cache';
import type { HistoryCipher } from '../../conversations/application/history-cipher';
import { PrivacyRefusedError } from '../../privacy/application/privacy-errors';
import type { PrivacyRegistry } from '../../privacy/application/privacy-registry';
import { decideSelfAccess } from '../../privacy/domain/privacy-state';
import { chooseModel } from '../domain/model-choice';
import { decideQuota, type QuotaProbe } from '../domain/quota-decision';
import { FactsUnavailableError, type FactSink } from '../../metering/application/ports';
import type { RefusalReason } from '../../metering/domain/metering-fact';
import { usageFor, type UsageOutcome } from '../../metering/domain/usage';
import { ChatRefusedError } from './chat-errors';
import type { ChatResponder } from './chat-responder';
import type { UpstreamMessage } from './provider-client';
import { relayCompletion } from './relay-completion';

export interface SendMessageConfig {
  ratePerMinute: number;
  /** DEFAULT_MODEL: used when the tenant set no default model. */
  fallbackModel: string;
  /** UPSTREAM_TIMEOUT_MS: longest silence from the provider (head or between chunks). */
  upstreamTimeoutMs: number;
  /** Earlier messages of the conversation sent upstream as context. */
  contextMessages: number;
}

export interface SendMessageDeps {
  conversations: ConversationRepository;
  messages: MessageRepository;
  settings: TenantSettingsCache;
  credentials: CredentialCache;
  /** In memory: frozen / restricted people (no network call). */
  privacy: PrivacyRegistry;
  /** Seals what is stored; its key comes from memory after the person's first call per ttl. */
  cipher: HistoryCipher;
  quota: { probe(tenantId: string, subjectId: string, nowMs: number): Promise<QuotaProbe> };
  /** Usage and refusals: durable (acknowledged) before the member is told the outcome. */
  facts: FactSink;
  clock: Clock;
  newId: () => string;
  logger: Logger;
  config: SendMessageConfig;
}

/** Everything checked and stored; what remains is talking to the provider. */
export interface PreparedChat {
  caller: Caller;
  tenant: TenantId;
  conversationId: string;
  model: string;
  provider: ProviderHandle;
  upstreamMessages: UpstreamMessage[];
}

/**
 * A member's message and its streamed answer. prepare() does every check that can refuse the
 * chat with a plain HTTP error, reading conversation, context, quota and settings in parallel
 * (settings and credentials come from memory when warm: no network call but Mongo and one Redis
 * script); stream() then relays the provider's answer and records usage and history after it.
 * The member's privacy state is checked first, from memory; their words are sealed with their
 * subject key, fetched in parallel with the other reads (cached: one key-vault call per person
 * per key ttl), and the answer is sealed only after its last byte reached the client.
 */
export class SendMessage {
  constructor(private readonly deps: SendMessageDeps) {}

  async prepare(caller: Caller, input: { conversationId: string; content: string; model?: string }): Promise<PreparedChat> {
    const { deps } = this;
    const tenant = tenantId(caller.tenantId);
    const refusal = decideSelfAccess(deps.privacy.get(caller.tenantId, caller.subjectId), 'chat');
    if (refusal) throw PrivacyRefusedError.of(refusal);
    // Shed load before any work when usage could not be recorded (FactsUnavailableError: 503).
    const busy = deps.facts.refusal();
    if (busy) throw busy;
    const nowMs = deps.clock();
    const sealed = deps.cipher.sealContent(caller.tenantId, caller.subjectId, input.content);
    const conversation = deps.conversations.findOwned(tenant, caller.subjectId, input.conversationId);
    const context = deps.messages.recent(tenant, caller.subjectId, input.conversationId, deps.config.contextMessages);
    const probe = deps.quota.probe(caller.tenantId, caller.subjectId, nowMs);
    const settings = deps.settings.get(caller.tenantId);
    for (const pending of [sealed, conversation, context, probe, settings]) pending.catch(() => undefined);

    if (!(await conversation)) throw new NotFoundError('conversation not found');
    const decision = decideQuota(await this.orUnavailable(probe, 'usage limits cannot be checked right now'), {
      ratePerMinute: deps.config.ratePerMinute,
      nowMs,
    });
    if (!decision.allowed) {
      const message = decision.reason === 'quota_exhausted'
        ? 'this instance has used its monthly token quota'
        : 'too many messages; slow down';
      throw await this.refused(caller, decision.reason, message, decision.retryAfterSec);
    }
    const tenantSettings = await this.orUnavailable(settings, 'tenant settings are unavailable right now');
    const choice = chooseModel(input.model, tenantSettings, deps.config.fallbackModel);
    if (!choice.ok) throw new ValidationError(`model is not allowed here; allowed: ${choice.allowed.join(', ')}`);

    // After the checks, so a refused chat never causes a key decryption.
    let provider: ProviderHandle;
    try {
      provider = await deps.credentials.get(caller.tenantId);
    } catch (error) {
      if (error instanceof NoProviderKeyError) throw await this.refused(caller, 'no_provider_key', error.message);
      deps.logger.warn({ err: error, tenantId: caller.tenantId }, 'provider credential unavailable');
      throw new UnavailableError('the provider key cannot be read right now');
    }

    // Stored before the provider is called: the member's words are in their history even if
    // the answer fails.
    const sealedContent = await this.sealedOrRefused(sealed);
    const stored = await this.orUnavailable(context, 'history is unavailable right now');
    // The key is in memory now (the seal above fetched it): opening costs no network call.
    const history = await this.orUnavailable(this.openAll(caller, stored), 'history is unavailable right now');
    await deps.messages.add(tenant, {
      _id: deps.newId(), subjectId: caller.subjectId, conversationId: input.conversationId,
      role: 'user', content: sealedContent, createdAt: new Date(nowMs), complete: true,
    });
    const upstreamMessages: UpstreamMessage[] = [
      ...(tenantSettings.systemInstruction ? [{ role: 'system' as const, content: tenantSettings.systemInstruction }] : []),
      ...history,
      { role: 'user', content: input.content },
    ];
    return { caller, tenant, conversationId: input.conversationId, model: choice.model, provider, upstreamMessages };
  }

  async stream(chat: PreparedChat, responder: ChatResponder): Promise<void> {
    const { deps } = this;
    const requestId = deps.newId();
    const messageId = deps.newId();
    const result = await relayCompletion(
      chat.provider.client,
      { model: chat.model, messages: chat.upstreamMessages },
      responder,
      deps.config.upstreamTimeoutMs,
    );
    if (result.failure?.credentialRejected) deps.credentials.invalidate(chat.caller.tenantId);
    const outcome: UsageOutcome = result.outcome === 'failed' ? 'upstream_error' : result.outcome;
    const usage = usageFor({
      providerAnswered: result.providerAnswered,
      reported: result.reported,
      promptTexts: chat.upstreamMessages.map((m) => m.content),
      deliveredText: result.deliveredText,
      outcome,
    });
    // The usage fact and the history write run side by side; the member hears "done" only once
    // the fact is acknowledged, and the response ends once history holds the answer.
    const recorded = deps.facts.publish({
      type: 'UsageRecorded', payer: { kind: 'member', caller: chat.caller, conversationId: chat.conversationId },
      requestId, model: chat.model, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, estimated: usage.estimated, outcome,
    }).then(() => undefined, (error: unknown) => error);
    const saved = this.saveAnswer(chat, messageId, result.deliveredText, result.outcome === 'ok');
    const unrecorded = await recorded;

    if (result.failure) {
      if (result.failure.kind !== 'aborted') responder.fail({ kind: result.failure.kind, message: result.failure.message });
    } else if (result.outcome === 'ok' && unrecorded) {
      // Never a success the books do not hold: the member sees an error instead of done.
      deps.logger.error({ err: unrecorded, tenantId: chat.caller.tenantId }, 'chat answered but its usage was not recorded');
      const retryAfterSec = unrecorded instanceof FactsUnavailableError ? unrecorded.retryAfterSec : 1;
      responder.fail({ kind: 'usage_unrecorded', message: 'the answer could not be accounted for, so it is not complete; retry shortly', retryAfterSec });
    } else if (result.outcome === 'ok') {
      responder.finish({ messageId, usage: { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens } });
    }
    await saved;
    responder.end();
  }

  private async saveAnswer(chat: PreparedChat, messageId: string, text: string, complete: boolean): Promise<void> {
    const now = new Date(this.deps.clock());
    const writes: Array<Promise<unknown>> = [this.deps.conversations.touch(chat.tenant, chat.caller.subjectId, chat.conversationId, now)];
    if (text !== '') {
      writes.push(this.deps.cipher.sealContent(chat.caller.tenantId, chat.caller.subjectId, text).then((content) =>
        this.deps.messages.add(chat.tenant, {
          _id: messageId, subjectId: chat.caller.subjectId, conversationId: chat.conversationId,
          role: 'assistant', content, createdAt: now, model: chat.model, complete,
        })));
    }
    for (const outcome of await Promise.allSettled(writes)) {
      if (outcome.status === 'rejected') this.deps.logger.error({ err: outcome.reason }, 'history write failed after a chat');
    }
  }

  private async openAll(caller: Caller, stored: ReadonlyArray<{ role: 'user' | 'assistant'; content: string }>): Promise<UpstreamMessage[]> {
    const opened = await Promise.all(stored.map(async (m): Promise<UpstreamMessage | null> => {
      const content = await this.deps.cipher.openContent(caller.tenantId, caller.subjectId, m.content);
      return content === null ? null : { role: m.role, content };
    }));
    return opened.filter((m): m is UpstreamMessage => m !== null);
  }

  /** SubjectErasedError (the person's key is shredded) stays as is: the HTTP layer answers 403. */
  private async sealedOrRefused(pending: Promise<string>): Promise<string> {
    try {
      return await pending;
    } catch (error) {
      if (error instanceof SubjectErasedError) throw error;
      return this.orUnavailable(Promise.reject(error), 'history cannot be stored right now');
    }
  }

  /** The refusal, once its fact is durable (FactsUnavailableError, a 503, if it cannot be). */
  private async refused(caller: Caller, reason: RefusalReason, message: string, retryAfterSec?: number): Promise<ChatRefusedError> {
    await this.deps.facts.publish({ type: 'ChatRefused', payer: { kind: 'member', caller, conversationId: '' }, reason });
    return new ChatRefusedError(reason, message, retryAfterSec);
  }

  private async orUnavailable<T>(pending: Promise<T>, message: string): Promise<T> {
    try {
      return await pending;
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof UnavailableError) throw error;
      this.deps.logger.warn({ err: error }, message);
      throw new UnavailableError(message);
    }
  }
}
