// Through a real Fastify-based Nest app: do errors come back as {error, message} with the right status, and do health endpoints and cookies work?
import { Controller, Get, Module, NotFoundException, Post, Req, Res, type OnModuleInit } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { NotFoundError } from '../errors/app-errors';
import { HealthRegistry } from '../health/health-registry';
import { HealthModule } from '../health/health.module';
import { createLogger } from '../logging/create-logger';
import { clearCookie, setCookie } from './cookies';
import { createHttpApp } from './create-http-app';
import { ZodBody } from './parse-or-throw';

const CreateChat = z.object({ title: z.string().min(1), model: z.enum(['gpt-4o', 'gpt-4o-mini']) });

@Controller('chats')
class ChatsController {
  @Post()
  create(@ZodBody(CreateChat) body: z.output<typeof CreateChat>) {
    return { created: body.title };
  }

  @Get('missing')
  missing() {
    throw new NotFoundError('chat not found');
  }

  @Get('nest-missing')
  nestMissing() {
    throw new NotFoundException('no such route data');
  }

  @Get('zod')
  zod() {
    return z.object({ n: z.number() }).parse({ n: 'one' });
  }

  @Get('crash')
  crash() {
    throw new Error('db password is hunter2 for ops@example.com');
  }

  @Get('cookie')
  cookie(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    setCookie(reply, 'session', 'v 1', { maxAgeSec: 60 });
    clearCookie(reply, 'old');
    return { sid: req.cookies.sid ?? null };
  }
}

let redisUp = true;
class RedisCheck implements OnModuleInit {
  constructor(private readonly health: HealthRegistry) {}
  onModuleInit() {
    this.health.register('redis', () => redisUp);
  }
}

@Module({ imports: [HealthModule.forRoot()], controllers: [ChatsController], providers: [{ provide: RedisCheck, useFactory: (h: HealthRegistry) => new RedisCheck(h), inject: [HealthRegistry] }] })
class TestAppModule {}

let logged = '';
let app: NestFastifyApplication;
let base: string;

beforeAll(async () => {
  const logger = createLogger({ service: 'test', level: 'info', destination: new Writable({ write: (c, _e, done) => ((logged += c.toString()), done()) }) });
  app = await createHttpApp(TestAppModule, { logger, handleSignals: false });
  await app.listen(0, '127.0.0.1');
  base = await app.getUrl();
  base = base.replace('[::1]', '127.0.0.1');
});

afterAll(() => app.close());

async function send(path: string, init?: RequestInit) {
  const res = await fetch(`${base}${path}`, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const post = (body: string, type = 'application/json') => ({ method: 'POST', body, headers: { 'content-type': type } });

describe('createHttpApp', () => {
  it('validates bodies with zod: 201 when valid, 400 naming the bad fields otherwise', async () => {
    expect(await send('/chats', post(JSON.stringify({ title: 'Hello', model: 'gpt-4o' })))).toEqual({ status: 201, body: { created: 'Hello' } });
    const bad = await send('/chats', post(JSON.stringify({ title: '', model: 'llama-secret' })));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'bad_request', message: expect.stringMatching(/^invalid body: title: .*; model: /) });
    expect((bad.body.issues as { path: string }[]).map((i) => i.path)).toEqual(['title', 'model']);
    expect(JSON.stringify(bad.body)).not.toContain('llama-secret');
  });

  it('answers malformed JSON with 400 bad_request', async () => {
    const res = await send('/chats', post('{"title": "my-private-title", oops'));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect(JSON.stringify(res.body)).not.toContain('my-private-title');
  });

  it('maps domain, Nest and zod errors to their status', async () => {
    expect(await send('/chats/missing')).toEqual({ status: 404, body: { error: 'not_found', message: 'chat not found' } });
    expect(await send('/chats/nest-missing')).toEqual({ status: 404, body: { error: 'not_found', message: 'no such route data' } });
    expect((await send('/chats/zod')).body).toMatchObject({ error: 'bad_request', message: expect.stringContaining('n:') });
    expect((await send('/nowhere')).status).toBe(404);
  });

  it('answers 500 {error:internal} for anything else and logs it redacted', async () => {
    expect(await send('/chats/crash')).toEqual({ status: 500, body: { error: 'internal', message: 'internal error' } });
    expect(logged).toContain('request failed');
    expect(logged).toContain('db password is');
    expect(logged).not.toContain('ops@example.com');
  });

  it('parses request cookies and sets response cookies', async () => {
    const res = await fetch(`${base}/chats/cookie`, { headers: { cookie: 'sid=abc; other=1' } });
    expect(await res.json()).toEqual({ sid: 'abc' });
    expect(res.headers.getSetCookie()).toEqual([
      'session=v%201; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax',
      'old=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax',
    ]);
  });

  it('serves liveness and readiness, 503 naming the failed check, then 503 once draining', async () => {
    expect(await send('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await send('/readyz')).toEqual({ status: 200, body: { status: 'ok', checks: { redis: 'ok' } } });
    redisUp = false;
    expect(await send('/readyz')).toEqual({ status: 503, body: { status: 'unavailable', checks: { redis: 'failing' } } });
    redisUp = true;
    app.get(HealthRegistry).setDraining();
    expect(await send('/readyz')).toEqual({ status: 503, body: { status: 'draining', checks: { redis: 'ok' } } });
    expect((await send('/healthz')).status).toBe(200);
  });
});
