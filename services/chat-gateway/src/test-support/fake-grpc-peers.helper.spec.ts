// Test support (not a test): tenant and key-vault as small real grpc-js servers implementing the
// generated service interfaces, checking chat-gateway's service token on every call. key-vault
// also serves SubjectKeyService (per-person sealing keys, shreddable), tenant MemberDirectoryService.
import { randomBytes, randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { ServiceTrust, SERVICE_TOKEN_METADATA_KEY, verifyServiceToken } from '@enclave/platform';
import { keyVaultV1, tenantV1 } from '@enclave/proto';

export interface PeerCredential {
  keyId: string;
  keyVersion: number;
  provider: string;
  baseUrl: string;
  apiKey: string;
}

export class FakeGrpcPeers {
  readonly settings = new Map<string, { settings: tenantV1.TenantSettings; version: number }>();
  readonly credentials = new Map<string, PeerCredential>();
  /** Tenant ids of GetProviderCredential calls that were answered, in order. */
  readonly keyVaultCalls: string[] = [];
  readonly tenantCalls: string[] = [];
  /** tenant/subject → key; 'shredded' once erased. */
  readonly subjectKeys = new Map<string, { keyId: string; key: Buffer } | 'shredded'>();
  /** "tenant/subject" of every answered GetSubjectKey call. */
  readonly subjectKeyCalls: string[] = [];
  /** "tenant/subject" → the role held now (tenant's member directory); absent = not an active member. */
  readonly roles = new Map<string, string>();
  /** Verified calling services. */
  readonly callers: string[] = [];
  private readonly server = new grpc.Server();
  port = 0;

  constructor(private readonly trust: ServiceTrust) {
    const tenant: tenantV1.TenantServiceServer = {
      getTenantSettings: (call, callback) => {
        if (!this.authorize(call.metadata, 'tenant', callback)) return;
        const entry = this.settings.get(call.request.tenantId);
        if (!entry) return callback({ code: grpc.status.NOT_FOUND, details: 'tenant not found' });
        this.tenantCalls.push(call.request.tenantId);
        callback(null, { tenantId: call.request.tenantId, settings: entry.settings, version: entry.version });
      },
    };
    const keyVault: keyVaultV1.KeyVaultServiceServer = {
      getProviderCredential: (call, callback) => {
        if (!this.authorize(call.metadata, 'key-vault', callback)) return;
        const credential = this.credentials.get(call.request.tenantId);
        if (!credential) return callback({ code: grpc.status.NOT_FOUND, details: 'no provider key' });
        this.keyVaultCalls.push(call.request.tenantId);
        callback(null, credential);
      },
    };
    const subjectKeys: keyVaultV1.SubjectKeyServiceServer = {
      getSubjectKey: (call, callback) => {
        if (!this.authorize(call.metadata, 'key-vault', callback)) return;
        const id = `${call.request.tenantId}/${call.request.subjectId}`;
        this.subjectKeyCalls.push(id);
        let entry = this.subjectKeys.get(id);
        if (entry === 'shredded') return callback({ code: grpc.status.FAILED_PRECONDITION, details: 'subject key shredded' });
        if (!entry) {
          if (!call.request.create) return callback({ code: grpc.status.NOT_FOUND, details: 'no subject key' });
          entry = { keyId: randomUUID().replace(/-/g, ''), key: randomBytes(32) };
          this.subjectKeys.set(id, entry);
        }
        callback(null, { keyId: entry.keyId, key: entry.key });
      },
    };
    const directory: tenantV1.MemberDirectoryServiceServer = {
      getMemberRoles: (call, callback) => {
        if (!this.authorize(call.metadata, 'tenant', callback)) return;
        const { tenantId, subjectIds } = call.request;
        const members = subjectIds.flatMap((subjectId) => {
          const role = this.roles.get(`${tenantId}/${subjectId}`);
          return role ? [{ subjectId, role }] : [];
        });
        callback(null, { members });
      },
    };
    this.server.addService(tenantV1.MemberDirectoryServiceService, directory);
    this.server.addService(keyVaultV1.SubjectKeyServiceService, subjectKeys);
    this.server.addService(tenantV1.TenantServiceService, tenant);
    this.server.addService(keyVaultV1.KeyVaultServiceService, keyVault);
  }

  async start(): Promise<string> {
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
    );
    return `127.0.0.1:${this.port}`;
  }

  stop(): void {
    this.server.forceShutdown();
  }

  private authorize(metadata: grpc.Metadata, audience: string, callback: grpc.sendUnaryData<never>): boolean {
    const token = metadata.get(SERVICE_TOKEN_METADATA_KEY)[0];
    try {
      if (typeof token !== 'string') throw new Error('no token');
      this.callers.push(verifyServiceToken(token, audience, this.trust));
      return true;
    } catch {
      callback({ code: grpc.status.UNAUTHENTICATED, details: 'service token required' });
      return false;
    }
  }
}
