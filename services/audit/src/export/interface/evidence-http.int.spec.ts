// Over HTTP, in process against real FerretDB: do the checkpoint, proof, export, range-verify and public-key endpoints answer 200/201, 400, 401, 403 and 404 as specified, with proofs and bundles that verify?
import { createPublicKey, verify } from 'node:crypto';
import type { Role } from '@enclave/session';
import { draftOf } from '../../test-support/chains.helper.spec';
import { newTenantId } from '../../test-support/audit-test-kit.helper.spec';
import { startAuditHttp } from '../../test-support/audit-http-kit.helper.spec';
import { checkpointText } from '../../checkpoints/domain/checkpoint';
import { fromHex } from '../../merkle/domain/merkle-hash';
import { verifyConsistency, verifyInclusion } from '../../merkle/domain/verify-proofs';
import { parseBundle } from '../domain/parse-bundle';
import { verifyBundle } from '../domain/verify-bundle';

jest.setTimeout(60_000);

let kit: Awaited<ReturnType<typeof startAuditHttp>>;
const tenant = newTenantId();
const base = `/v1/tenants/${tenant}/audit`;
const auditorToken = () => kit.tokenFor(tenant, 'auditor', 'sub-the-auditor');
const events = (type: string) => kit.connection.collection('events').find({ tenantId: tenant, type }).toArray();

beforeAll(async () => {
  kit = await startAuditHttp('audit-evidence-http');
  await kit.runtime.append.executeBatch(Array.from({ length: 9 }, (_, i) => draftOf(tenant, i + 1)));
});

afterAll(async () => {
  await kit?.close();
});

describe('GET /v1/audit/public-key', () => {
  it('200 without a session: the key as JWK, PEM and SPKI with its id', async () => {
    const res = await kit.call('GET', '/v1/audit/public-key');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ algorithm: 'Ed25519', keyId: kit.runtime.key.keyId, jwk: { kty: 'OKP', crv: 'Ed25519', kid: kit.runtime.key.keyId } });
    const fromPem = createPublicKey(res.body.pem as string).export({ format: 'der', type: 'spki' }).toString('base64');
    expect(fromPem).toBe(res.body.spki);
    expect(res.raw).not.toMatch(/PRIVATE/);
  });
});

describe('POST and GET .../audit/checkpoints', () => {
  it.each<Role>(['auditor', 'owner'])('the %s signs one when the tree grew (201), then gets the latest back (200)', async (role) => {
    const token = kit.tokenFor(tenant, role);
    const first = await kit.call('POST', `${base}/checkpoints`, token);
    const size = (await kit.runtime.log.head(tenant)).seq;
    if (role === 'auditor') {
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ created: true, checkpoint: { tenantId: tenant, treeSize: size, keyId: kit.runtime.key.keyId } });
      const c = first.body.checkpoint;
      const text = checkpointText({ tenantId: c.tenantId, treeSize: c.treeSize, rootHash: c.rootHash, issuedAt: new Date(c.issuedAt) });
      expect(verify(null, Buffer.from(text), kit.runtime.key.verification.publicKey, Buffer.from(c.signature, 'base64'))).toBe(true);
      expect(await events('audit.AuditCheckpointSigned')).toHaveLength(1);
    }
    const again = await kit.call('POST', `${base}/checkpoints`, token);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, reason: 'not_grown', checkpoint: { treeSize: size } });
  });

  it('lists newest first, paging with before', async () => {
    await kit.runtime.append.execute(draftOf(tenant, 10));
    expect((await kit.call('POST', `${base}/checkpoints`, auditorToken())).status).toBe(201);
    const page = await kit.call('GET', `${base}/checkpoints?limit=1`, auditorToken());
    expect(page.status).toBe(200);
    expect(page.body.checkpoints.map((c: { treeSize: number }) => c.treeSize)).toEqual([10]);
    expect(page.body.nextBefore).toBe(10);
    const next = await kit.call('GET', `${base}/checkpoints?limit=1&before=10`, auditorToken());
    expect(next.body).toMatchObject({ checkpoints: [{ treeSize: 9 }], nextBefore: null });
  });

  it.each(['limit=0', 'limit=101', 'before=0', 'before=x', 'after=3'])('400 for %s', async (query) => {
    expect((await kit.call('GET', `${base}/checkpoints?${query}`, auditorToken())).body).toMatchObject({ error: 'bad_request' });
  });
});

describe('GET .../audit/proofs', () => {
  it('inclusion: a path that verifies against the checkpoint root', async () => {
    const res = await kit.call('GET', `${base}/proofs/inclusion?seq=4&treeSize=10`, auditorToken());
    expect(res.status).toBe(200);
    const a = res.body;
    expect(a).toMatchObject({ seq: 4, treeSize: 10, leafIndex: 3, checkpoint: { treeSize: 10, rootHash: a.rootHash } });
    expect(verifyInclusion(3, 10, fromHex(a.leafHash), a.path.map(fromHex), fromHex(a.rootHash))).toBe(true);
  });

  it('consistency: the earlier checkpoint is a prefix of the later', async () => {
    const res = await kit.call('GET', `${base}/proofs/consistency?from=9`, auditorToken());
    expect(res.status).toBe(200);
    const a = res.body;
    expect(a).toMatchObject({ from: 9, to: 10, fromCheckpoint: { treeSize: 9 }, toCheckpoint: { treeSize: 10 } });
    expect(verifyConsistency(9, 10, a.path.map(fromHex), fromHex(a.fromRoot), fromHex(a.toRoot))).toBe(true);
  });

  it.each([
    'inclusion',
    'inclusion?seq=0',
    'inclusion?seq=5&treeSize=4',
    'inclusion?seq=2&treeSize=999',
    'inclusion?seq=1&extra=1',
    'consistency?from=x',
    'consistency?from=5&to=3',
    'consistency?from=1&to=999',
  ])('400 for %s', async (path) => {
    const res = await kit.call('GET', `${base}/proofs/${path}`, auditorToken());
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
  });
});

describe('GET .../audit/export', () => {
  it('a bundle that verifies offline, as an attachment, recorded as AuditExported', async () => {
    const res = await kit.call('GET', `${base}/export?fromSeq=3&toSeq=8`, auditorToken());
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="audit-${tenant}-3-8.json"`);
    expect(verifyBundle(parseBundle(res.body))).toMatchObject({ intact: true, entriesChecked: 6, inclusionProofsVerified: 6 });
    expect((await events('audit.AuditExported')).at(-1)).toMatchObject({ actor: { id: 'sub-the-auditor', role: 'auditor' } });
  });

  it.each(['fromSeq=0', 'fromSeq=5&toSeq=4', 'toSeq=abc', 'fromSeq=999', 'fromSeq=1&toSeq=999', 'format=zip'])('400 for %s', async (query) => {
    const res = await kit.call('GET', `${base}/export?${query}`, auditorToken());
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
  });
});

describe('POST .../audit/verify with a range', () => {
  it('checks the range against the latest checkpoint', async () => {
    const res = await kit.call('POST', `${base}/verify`, auditorToken(), { fromSeq: 2, toSeq: 7 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ intact: true, entriesChecked: 6, checkpointsChecked: 1, range: { fromSeq: 2, toSeq: 7 }, entriesCovered: 6, latestCheckpoint: { treeSize: 10 } });
  });

  it.each([
    ['a negative seq', { fromSeq: -1 }],
    ['a string seq', { fromSeq: '2' }],
    ['from after to', { fromSeq: 5, toSeq: 2 }],
    ['an unknown field', { fromSeq: 1, all: true }],
    ['a range beyond the log', { fromSeq: 1, toSeq: 5000 }],
    ['not an object', [1, 2]],
  ])('400 for %s', async (_label, body) => {
    const res = await kit.call('POST', `${base}/verify`, auditorToken(), body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
  });

  it('400 for a body that is not JSON', async () => {
    expect((await kit.call('POST', `${base}/verify`, auditorToken(), '{"fromSeq":')).status).toBe(400);
  });
});

describe.each([
  ['POST', 'checkpoints'],
  ['GET', 'checkpoints'],
  ['GET', 'proofs/inclusion?seq=1'],
  ['GET', 'proofs/consistency?from=1'],
  ['GET', 'export'],
] as const)('%s .../audit/%s access', (method, path) => {
  it('401 without a session', async () => {
    expect((await kit.call(method, `${base}/${path}`)).status).toBe(401);
  });

  it.each<Role>(['admin', 'member'])('403 for a %s', async (role) => {
    expect((await kit.call(method, `${base}/${path}`, kit.tokenFor(tenant, role))).status).toBe(403);
  });

  it("404 for another tenant's log", async () => {
    const res = await kit.call(method, `${base}/${path}`, kit.tokenFor(newTenantId(), 'auditor'));
    expect(res.status).toBe(404);
    expect(res.raw).not.toContain(tenant + '-e');
  });
});
