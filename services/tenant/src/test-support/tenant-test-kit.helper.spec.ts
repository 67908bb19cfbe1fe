// Shared set-up for the tenant int and HTTP tests (no tests here): real Mongo, real Kafka, real
// Redis, a real gRPC server standing in for auth at the network boundary, and service identities.
import { createHash, randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { authV1 } from '@enclave/proto';
import {
  createLogger,
  generateServiceKeypair,
  GrpcServerHost,
  loadServiceIdentity,
  ServiceTrust,
  createGrpcClient,
  GrpcError,
  GrpcStatus,
  RedisFixedWindowLimiter,
  type GeneratedKeypair,
} from '@enclave/platform';
import { loadInfraEnv, uniqueName } from '@enclave/testing';
import { SignUpGate, type SignUpPolicy } from '../application';
import { AuthAccountRegistry } from '../infrastructure/auth-account-registry';

export const quietLogger = () => createLogger({ service: 'tenant-test', level: 'silent' });

export interface ServiceKeys {
  tenant: GeneratedKeypair;
  auth: GeneratedKeypair;
  chatGateway: GeneratedKeypair;
  billing: GeneratedKeypair;
}

export function serviceKeys(): ServiceKeys {
  return {
    tenant: generateServiceKeypair(),
    auth: generateServiceKeypair(),
    chatGateway: generateServiceKeypair(),
    billing: generateServiceKeypair(),
  };
}

/** What tenant trusts for incoming gRPC: chat-gateway and auth are allowed, billing is not. */
export function tenantTrust(keys: ServiceKeys): ServiceTrust {
  return new ServiceTrust({ 'chat-gateway': keys.chatGateway.publicKey, auth: keys.auth.publicKey, billing: keys.billing.publicKey });
}

export interface RegisterCall {
  caller: string;
  tenantId: string;
  email: string;
  displayName: string;
}

/**
 * A real gRPC AuthService on a free port implementing RegisterAccount as auth promises it: the
 * same (tenant, email) always yields the same subject id. It accepts only tenant's identity.
 */
export async function startAuthDouble(keys: ServiceKeys) {
  const calls: RegisterCall[] = [];
  let failNext: 'unavailable' | undefined;
  const host = new GrpcServerHost({ serviceName: 'auth', trust: new ServiceTrust({ tenant: keys.tenant.publicKey }), logger: quietLogger() });
  host.addService(
    authV1.AuthServiceService,
    {
      registerAccount: async (request, ctx) => {
        if (failNext) {
          failNext = undefined;
          throw new GrpcError(GrpcStatus.UNAVAILABLE, 'auth down');
        }
        calls.push({ caller: ctx.caller, tenantId: request.tenantId, email: request.email, displayName: request.displayName });
        const digest = createHash('sha256').update(`${request.tenantId}\n${request.email}`).digest('hex');
        return { subjectId: `sub-${digest.slice(0, 24)}`, created: true };
      },
      getSigningKeys: async () => ({ jwksJson: '{"keys":[]}' }),
    },
    { callers: ['tenant'] },
  );
  const port = await host.start('127.0.0.1', 0);
  const identity = loadServiceIdentity('tenant', keys.tenant.privateKey);
  const client = createGrpcClient(authV1.AuthServiceClient, `127.0.0.1:${port}`, { identity, audience: 'auth', defaultDeadlineMs: 3000, maxAttempts: 1 });
  return {
    address: `127.0.0.1:${port}`,
    calls,
    /** The next RegisterAccount answers UNAVAILABLE. */
    failNextCall: () => void (failNext = 'unavailable'),
    registry: new AuthAccountRegistry(client, 3000),
    stop: async () => {
      client.close();
      await host.stop(100);
    },
  };
}

export async function connectTestDb(prefix: string): Promise<Connection> {
  const env = loadInfraEnv();
  return mongoose.createConnection(env.mongoUrl, { dbName: uniqueName(prefix).replace(/-/g, '_').slice(0, 63) }).asPromise();
}

export function testKafka(): Kafka {
  return new Kafka({ clientId: uniqueName('tenant-test'), brokers: loadInfraEnv().kafkaBrokers, logLevel: logLevel.NOTHING });
}

/**
 * A sign-up gate on the real local Redis under a key prefix of its own, so runs never share
 * counters. Open mode with limits no test reaches unless it overrides them.
 */
export function testSignUpGate(redis: Redis, overrides: Partial<SignUpPolicy> = {}): SignUpGate {
  const policy: SignUpPolicy = {
    mode: 'open',
    operatorToken: undefined,
    hashKey: randomBytes(32),
    perIp: { limit: 10_000, windowMs: 3_600_000 },
    perEmail: { limit: 10_000, windowMs: 3_600_000 },
    ...overrides,
  };
  return new SignUpGate(policy, new RedisFixedWindowLimiter(redis, `${uniqueName('tenant-sign-up')}:`));
}

export function testRedis(): Redis {
  return new Redis(loadInfraEnv().redisUrl, { maxRetriesPerRequest: 2 });
}
