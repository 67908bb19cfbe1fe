// The audit HTTP app in process against real FerretDB, with sessions minted by a test key, for
// the HTTP edge tests (no tests here).
import type { Connection } from 'mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@enclave/platform';
import { testSessions, type Role } from '@enclave/session';
import { AppModule } from '../app.module';
import { AuditRuntime } from '../composition/audit-runtime';
import { connectTestDb, quietLogger, testSigningKey } from './audit-test-kit.helper.spec';

export interface Reply {
  status: number;
  // Bodies are read loosely in assertions; their shape is what the tests check.
  body: Record<string, any>;
  raw: string;
  headers: Record<string, unknown>;
}

export async function startAuditHttp(prefix: string) {
  const sessions = testSessions();
  const connection: Connection = await connectTestDb(prefix);
  const runtime = new AuditRuntime({ connection, logger: quietLogger(), checkpoints: { signingKey: testSigningKey() } });
  const app: NestFastifyApplication = await createHttpApp(AppModule.forRoot({ runtime, session: { verifier: sessions.verifier } }), {
    logger: quietLogger(),
    handleSignals: false,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  async function call(method: 'GET' | 'POST', url: string, token?: string, body?: unknown): Promise<Reply> {
    const res = await app.getHttpAdapter().getInstance().inject({
      method,
      url,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {}, raw: res.body, headers: res.headers };
  }

  const tokenFor = (tenantId: string, role: Role, subjectId?: string) => sessions.mint({ tenantId, role, ...(subjectId && { subjectId }) }).token;

  async function close(): Promise<void> {
    await app.close();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }

  return { app, runtime, connection, call, tokenFor, close };
}
