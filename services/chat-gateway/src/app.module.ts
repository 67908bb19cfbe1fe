import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule, type Logger } from '@enclave/platform';
import { SessionModule, type SessionModuleOptions } from '@enclave/session';
import { SendMessage } from './chat/application/send-message';
import { CHAT_LOGGER, MessagesController } from './chat/interface/messages.controller';
import { ChatGatewayLifecycle, ON_SHUTDOWN } from './composition/chat-gateway-lifecycle';
import { ChatGatewayRuntime } from './composition/chat-gateway-runtime';
import { CreateConversation } from './conversations/application/create-conversation';
import { ReadConversations } from './conversations/application/read-conversations';
import { ConversationsController } from './conversations/interface/conversations.controller';
import { OPENAI_BODY_LIMIT, OPENAI_ROUTES, OpenAiRoutesRegistrar } from './openai-api/interface/openai-routes.registrar';
import { VIRTUAL_KEYS, VirtualKeysController } from './virtual-keys/interface/virtual-keys.controller';
import { ReadMemberChats } from './privacy/application/read-member-chats';
import { MemberConversationsController } from './privacy/interface/member-conversations.controller';

export interface AppModuleOptions {
  runtime: ChatGatewayRuntime;
  /** Sessions are verified locally against auth's JWKS (fetched and cached, not per request). */
  session: SessionModuleOptions;
  logger: Logger;
  /** Runs last on shutdown, after the runtime stopped. */
  onShutdown?: () => Promise<void>;
}

/**
 * chat-gateway's HTTP app: conversations, streamed chat, virtual keys, the OpenAI-compatible
 * API (raw Fastify routes, see OpenAiRoutesRegistrar), admins' reads of members' chats, health.
 * The SubjectDataService gRPC server is started by the runtime (see PrivacyWiring).
 */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { runtime } = options;
    return {
      module: AppModule,
      imports: [HealthModule.forRoot(), SessionModule.forRoot(options.session)],
      controllers: [ConversationsController, MessagesController, VirtualKeysController, MemberConversationsController],
      providers: [
        { provide: ChatGatewayRuntime, useValue: runtime },
        { provide: CreateConversation, useValue: runtime.createConversation },
        { provide: ReadConversations, useValue: runtime.readConversations },
        { provide: SendMessage, useValue: runtime.sendMessage },
        { provide: ReadMemberChats, useValue: runtime.privacy.readMemberChats },
        { provide: CHAT_LOGGER, useValue: options.logger.child({ component: 'http-chat' }) },
        { provide: ON_SHUTDOWN, useValue: options.onShutdown ?? (async () => undefined) },
        { provide: VIRTUAL_KEYS, useValue: runtime.virtualKeyUseCases },
        { provide: OPENAI_ROUTES, useValue: runtime.openAiRoutes },
        { provide: OPENAI_BODY_LIMIT, useValue: runtime.openAiBodyLimitBytes },
        OpenAiRoutesRegistrar,
        ChatGatewayLifecycle,
      ],
    };
  }
}
