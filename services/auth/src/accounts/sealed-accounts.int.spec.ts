// With auth's real key-vault client (GrpcSubjectKeySource over gRPC with auth's service identity, against an in-process SubjectKeyService speaking the real proto): are accounts sealed, do they open for mail and rectification, and does an unreachable key-vault fail cleanly instead of storing plaintext?
import { randomBytes } from 'node:crypto';
import { keyVaultV1 } from '@enclave/proto';
import { GrpcSubjectKeySource } from '@enclave/privacy';
import { createGrpcClient, generateServiceKeypair, GrpcError, GrpcServerHost, GrpcStatus, loadServiceIdentity, ServiceTrust, UnavailableError } from '@enclave/platform';
import { uniqueName } from '@enclave/testing';
import { quietLogger, startAuth, uniqueEmail, type AuthHarness } from '../test-support/auth-test-kit.helper.spec';

jest.setTimeout(60_000);

const authIdentity = generateServiceKeypair();
const keys = new Map<string, { keyId: string; key: Buffer } | 'shredded'>();
const calls: Array<{ caller: string; create: boolean }> = [];
let keyVault: GrpcServerHost;
let auth: AuthHarness;
const tenantId = uniqueName('tenant');
const clientTo = (port: number) =>
  createGrpcClient(keyVaultV1.SubjectKeyServiceClient, `127.0.0.1:${port}`, {
    identity: loadServiceIdentity('auth', authIdentity.privateKey),
    audience: 'key-vault',
    defaultDeadlineMs: 2000,
    maxAttempts: 1,
  });

beforeAll(async () => {
  keyVault = new GrpcServerHost({ serviceName: 'key-vault', trust: new ServiceTrust({ auth: authIdentity.publicKey }), logger: quietLogger() }).addService(
    keyVaultV1.SubjectKeyServiceService,
    {
      getSubjectKey: async (request, ctx) => {
        calls.push({ caller: ctx.caller, create: request.create });
        const id = `${request.tenantId}/${request.subjectId}`;
        const existing = keys.get(id);
        if (existing === 'shredded') throw new GrpcError(GrpcStatus.FAILED_PRECONDITION, 'subject key shredded');
        if (existing) return existing;
        if (!request.create) throw new GrpcError(GrpcStatus.NOT_FOUND, 'no subject key');
        const made = { keyId: `kv${keys.size + 1}`, key: randomBytes(32) };
        keys.set(id, made);
        return made;
      },
    },
    { callers: ['auth'] },
  );
  const port = await keyVault.start('127.0.0.1', 0);
  auth = await startAuth({ subjectKeySource: new GrpcSubjectKeySource(clientTo(port)) });
});

afterAll(async () => {
  await auth?.stop();
  await keyVault?.stop();
});

describe('accounts sealed with keys from key-vault over gRPC', () => {
  it('registers with a key created for the new person, stores only ciphertext, and rectifies through it', async () => {
    const email = uniqueEmail('grace');
    const { subjectId } = await auth.runtime.registerAccount.execute({ tenantId, email, displayName: 'Grace Hopper' }, { kind: 'service', name: 'tenant' });
    expect(calls).toContainEqual({ caller: 'auth', create: true });
    const row = (await auth.connection.collection('accounts').findOne({ subjectId }))!;
    expect(row.email).toMatch(/^pf1\.kv\d+\./);
    expect(JSON.stringify(row)).not.toContain('Grace');
    expect(JSON.stringify(row)).not.toContain(email);
    const view = await auth.runtime.rectifyAccount.execute({ tenantId, subjectId, changes: { displayName: 'Rear Admiral Hopper' } }, { kind: 'person', subjectId, role: 'member' });
    expect(view).toMatchObject({ email, displayName: 'Rear Admiral Hopper' });
  });

  it('refuses to register (UNAVAILABLE-class error, nothing stored) while key-vault is unreachable', async () => {
    const unreachable = await startAuth({ subjectKeySource: new GrpcSubjectKeySource(clientTo(1)) });
    try {
      const email = uniqueEmail('nokey');
      const attempt = unreachable.runtime.registerAccount.execute({ tenantId, email, displayName: 'No Key' }, { kind: 'service', name: 'tenant' });
      await expect(attempt).rejects.toBeInstanceOf(UnavailableError);
      expect(await unreachable.connection.collection('accounts').countDocuments({})).toBe(0);
    } finally {
      await unreachable.stop();
    }
  });
});
