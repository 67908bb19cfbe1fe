import { tenantId, type TenantId } from '@enclave/eventing';
import { SubjectErasedError } from '@enclave/privacy';
import { NotFoundError, UnavailableError, ValidationError, type Logger } from '@enclave/platform';
import type { ConversationStore, HistorySealer, MessageStore } from '../../conversations/application/ports';
import { NoProviderKeyError, type ProviderCredentials, type ProviderHandle } from '../../credentials/application/ports';
import type { Clock } from '../../shared/clock';
import type { Caller } from '../../shared/roles';
import type { TenantSettingsReader } from '../../tenant-settings/application/ports';
import { PrivacyRefusedError, type PrivacyStates } from '../../privacy/application/ports';
import { decideSelfAccess } from '../../privacy/domain/privacy-state';
import { chooseModel } from '../../metering/domain/model-policy';
import { FactsUnavailableError, type Admitted, type Meter, type RelayOutcome } from '../../metering/application/ports';
import { estimateTokens, usageFor, type UsageOutcome } from '../../metering/domain/usage';
import type { ChatResponder } from './chat-responder';
import { failureMessage } from '../domain/failure-message';
import { DeltaSink } from './delta-sink';

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
  conversations: ConversationStore;
  messages: MessageStore;
  settings: TenantSettingsReader;
  credentials: ProviderCredentials;
  /** In memory: frozen / restricted people (no network call). */
  privacy: PrivacyStates;
  /** Seals what is stored; its key comes from memory after the person's first call per ttl. */
  cipher: HistorySealer;
  /** Admission (one Redis script) before the provider; usage settled and durable after it. */
  meter: Meter;
  clock: Clock;
  newId: () => string;
  logger: Logger;
  config: SendMessageConfig;
}

/** One message of the conversation as the provider gets it. */
export interface UpstreamMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Everything checked and stored; what remains is talking to the provider. */
export interface PreparedChat {
  caller: Caller;
  tenant: TenantId;
  conversationId: string;
  model: string;
  provider: ProviderHandle;
  upstreamMessages: UpstreamMessage[];
  /** The tokens reserved for this chat: recorded (or released) exactly once. */
  admitted: Admitted;
  /** The member's message being stored: undefined once it is, the error if it could not be. */
  questionSaved: Promise<unknown>;
}

/**
 * A member's message and its streamed answer. prepare() does every check that can refuse the
 * chat with a plain HTTP error: conversation, context and settings are read in parallel (settings
 * and credentials come from memory when warm), then one Redis script admits the chat and reserves
 * its worst case (prompt + default completion cap) against the tenant's quota and the member's
 * rate; stream() then relays the provider's answer while the member's message is stored, and
 * records usage (settled, durable) and the answer after it. The member's privacy state is checked first, from memory; their words are
 * sealed with their subject key, fetched in parallel with the other reads (cached: one key-vault
 * call per person per key ttl), and the answer is sealed only after its last byte reached the
 * client.
 */
export class SendMessage {
  constructor(private readonly deps: SendMessageDeps) {}

  async prepare(caller: Caller, input: { conversationId: string; content: string; model?: string }): Promise<PreparedChat> {
    const { deps } = this;
    const tenant = tenantId(caller.tenantId);
    const refusal = decideSelfAccess(deps.privacy.get(caller.tenantId, caller.subjectId), 'chat');
    if (refusal) throw PrivacyRefusedError.of(refusal);
    deps.meter.assertCanRecord(); // shed load before any work while usage cannot be recorded (503)
    const nowMs = deps.clock();
    const sealed = deps.cipher.sealContent(caller.tenantId, caller.subjectId, input.content);
    const conversation = deps.conversations.findOwned(tenant, caller.subjectId, input.conversationId);
    const context = deps.messages.recent(tenant, caller.subjectId, input.conversationId, deps.config.contextMessages);
    const settings = deps.settings.get(caller.tenantId);
    for (const pending of [sealed, conversation, context, settings]) pending.catch(() => undefined);

    if (!(await conversation)) throw new NotFoundError('conversation not found');
    const tenantSettings = await this.orUnavailable(settings, 'tenant settings are unavailable right now');
    const choice = chooseModel(input.model, tenantSettings, deps.config.fallbackModel);
    if (!choice.ok) throw new ValidationError(`model is not allowed here; allowed: ${choice.allowed.join(', ')}`);
    const sealedContent = await this.sealedOrRefused(sealed);
    const stored = await this.orUnavailable(context, 'history is unavailable right now');
    // The key is in memory now (the seal above fetched it): opening costs no network call.
    const history = await this.orUnavailable(this.openAll(caller, stored), 'history is unavailable right now');
    const upstreamMessages: UpstreamMessage[] = [
      ...(tenantSettings.systemInstruction ? [{ role: 'system' as const, content: tenantSettings.systemInstruction }] : []),
      ...history,
      { role: 'user', content: input.content },
    ];

    // Admitted and reserved before anything is stored or decrypted: a refused chat leaves no
    // message and causes no key decryption (MeteringRefusedError: 429, after its ChatRefused).
    const payer = { kind: 'member' as const, caller, conversationId: input.conversationId };
    const admitted = await deps.meter.admit({
      payer,
      limits: { ratePerMinute: deps.config.ratePerMinute, keyMonthlyTokens: null },
      size: { promptTokens: upstreamMessages.reduce((sum, m) => sum + estimateTokens(m.content), 0), maxCompletionTokens: undefined },
    });
    try {
      let provider: ProviderHandle;
      try {
        provider = await deps.credentials.get(caller.tenantId);
      } catch (error) {
        if (error instanceof NoProviderKeyError) throw await deps.meter.refusal(payer, 'no_provider_key');
        deps.logger.warn({ err: error, tenantId: caller.tenantId }, 'provider credential unavailable');
        throw new UnavailableError('the provider key cannot be read right now');
      }
      // Written while the provider is called, not before: the member's words are in their
      // history even if the answer fails, and the answer is only "done" once they are.
      const questionSaved = deps.messages.add(tenant, {
        _id: deps.newId(), subjectId: caller.subjectId, conversationId: input.conversationId,
        role: 'user', content: sealedContent, createdAt: new Date(nowMs), complete: true,
      }).then(() => undefined, (error: unknown) => error ?? new Error('the message was not stored'));
      return { caller, tenant, conversationId: input.conversationId, model: choice.model, provider, upstreamMessages, admitted, questionSaved };
    } catch (error) {
      await deps.meter.release(admitted);
      throw error;
    }
  }

  async stream(chat: PreparedChat, responder: ChatResponder): Promise<void> {
    const { deps } = this;
    const requestId = deps.newId();
    const messageId = deps.newId();
    const sink = new DeltaSink(responder);
    const body = Buffer.from(JSON.stringify({ model: chat.model, messages: chat.upstreamMessages, stream: true, stream_options: { include_usage: true } }));
    let result: RelayOutcome;
    try {
      result = await chat.provider.client.relay(body, true, sink, deps.config.upstreamTimeoutMs);
    } catch (error) {
      await deps.meter.release(chat.admitted);
      await chat.questionSaved;
      throw error;
    }
    if (result.failure?.credentialRejected) deps.credentials.invalidate(chat.caller.tenantId);
    const outcome: UsageOutcome = result.outcome;
    const usage = usageFor({
      providerAnswered: result.providerAnswered,
      reported: sink.reported,
      promptTexts: chat.upstreamMessages.map((m) => m.content),
      deliveredText: sink.delivered,
      outcome,
    });
    // Usage (settled and made durable) and the history write run side by side; the member hears
    // "done" only once the usage is acknowledged, and the response ends once history holds the answer.
    const recorded = deps.meter.record(chat.admitted, {
      requestId, model: chat.model, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, estimated: usage.estimated, outcome,
    }).then(() => undefined, (error: unknown) => error);
    const saved = this.saveAnswer(chat, messageId, sink.delivered, result.outcome === 'ok');
    const unrecorded = await recorded;
    const unsaved = await chat.questionSaved;

    if (result.failure) {
      responder.fail({ kind: result.failure.kind, message: failureMessage(result.failure, sink.delivered !== '') });
    } else if (result.outcome === 'ok' && unrecorded) {
      // Never a success the books do not hold: the member sees an error instead of done.
      deps.logger.error({ err: unrecorded, tenantId: chat.caller.tenantId }, 'chat answered but its usage was not recorded');
      const retryAfterSec = unrecorded instanceof FactsUnavailableError ? unrecorded.retryAfterSec : 1;
      responder.fail({ kind: 'usage_unrecorded', message: 'the answer could not be accounted for, so it is not complete; retry shortly', retryAfterSec });
    } else if (result.outcome === 'ok' && unsaved) {
      // Never "done" for an exchange the member's history does not hold.
      deps.logger.error({ err: unsaved, tenantId: chat.caller.tenantId }, 'chat answered but the member\'s message was not stored');
      responder.fail({ kind: 'history_unavailable', message: 'your message could not be stored, so the answer is not complete; retry shortly', retryAfterSec: 1 });
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
