import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { OpenAiRoutes } from './openai-routes';

export const OPENAI_ROUTES = Symbol('OPENAI_ROUTES');
export const OPENAI_BODY_LIMIT = Symbol('OPENAI_BODY_LIMIT');

/** Adds the raw OpenAI-compatible routes to Nest's Fastify instance while the app initializes. */
@Injectable()
export class OpenAiRoutesRegistrar implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(OPENAI_ROUTES) private readonly routes: OpenAiRoutes,
    @Inject(OPENAI_BODY_LIMIT) private readonly bodyLimit: number,
  ) {}

  onModuleInit(): void {
    this.routes.register(this.adapterHost.httpAdapter.getInstance<FastifyInstance>(), this.bodyLimit);
  }
}
