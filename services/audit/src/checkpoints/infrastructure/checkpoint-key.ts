// The log's Ed25519 signing key (CHECKPOINT_SIGNING_KEY, parsed by @enclave/platform) and the
// forms its public half is published in: JWK, PEM, and base64 SPKI DER for evidence bundles.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { keyIdOf, publicJwk, type Ed25519Jwk } from '@enclave/platform';
import { signCheckpoint, type Checkpoint, type UnsignedCheckpoint } from '../domain/checkpoint';
import type { VerificationKey } from '../domain/verify-with-checkpoints';
import type { CheckpointSigner } from '../application/ports';

export interface PublishedKey {
  algorithm: 'Ed25519';
  keyId: string;
  jwk: Ed25519Jwk;
  pem: string;
  /** SPKI DER, base64. */
  spki: string;
}

export class CheckpointKey implements CheckpointSigner {
  readonly keyId: string;
  readonly verification: VerificationKey;
  readonly published: PublishedKey;

  constructor(private readonly privateKey: KeyObject) {
    if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') throw new TypeError('the checkpoint signing key must be an Ed25519 private key');
    const publicKey = createPublicKey(privateKey);
    this.keyId = keyIdOf(publicKey);
    this.verification = { publicKey, keyId: this.keyId };
    this.published = {
      algorithm: 'Ed25519',
      keyId: this.keyId,
      jwk: publicJwk(publicKey, this.keyId),
      pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      spki: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    };
  }

  sign(unsigned: UnsignedCheckpoint): Checkpoint {
    return signCheckpoint(unsigned, this.privateKey, this.keyId);
  }
}
