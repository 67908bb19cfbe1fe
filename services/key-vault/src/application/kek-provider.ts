/**
 * The key-encryption key (KEK): the root of the envelope. Every data key is stored only as
 * `wrap(dek, aad)`; the KEK itself never enters the database. Built in: the local provider
 * (versioned 32-byte master keys from KEK_KEYS / KEK_FILE, e.g. a mounted Kubernetes secret).
 *
 * Adapter contract for a cloud KMS (AWS KMS, GCP Cloud KMS, Azure Key Vault, Vault transit).
 * An adapter implements this interface and is passed to startKeyVault({ kek }) (or selected by
 * KEK_PROVIDER in config once registered there). It must:
 *  1. Versions. Expose small positive integers: `activeVersion` (used by every wrap) and
 *     `versions` (every version it can unwrap). The adapter maps them to KMS key ids / key
 *     versions from its own configuration (e.g. {"1": "arn:aws:kms:…:key/…", "2": "…"}); the
 *     number is stored with each wrapped data key, so a mapping must never change meaning.
 *  2. Bind the AAD. Pass `aad` as the KMS's authenticated context (AWS EncryptionContext, GCP
 *     additionalAuthenticatedData, Vault transit `context`/associated_data) so a wrapped key
 *     moved to another tenant/secret/version fails to unwrap.
 *  3. Fail closed and clearly. unwrap() throws DecryptionFailed (domain/crypto/sealed-box) for a
 *     wrong/unknown version, a tampered blob or a mismatched AAD, with a message that names the
 *     version at most; transient KMS errors throw anything else (they become UNAVAILABLE/503).
 *  4. Never log, cache to disk or return key material other than the unwrapped data key; the
 *     caller zeroes that buffer after use. Never retry a wrap silently with another version.
 *  5. Be safe for concurrent calls and bound each call with a timeout (the decrypt path waits).
 *  6. Support re-wrap: unwrap(old version) + wrap(active) is how data keys move to a new KEK
 *     version (POST /v1/admin/kek/rewrap); a version may be dropped from `versions` only after
 *     a re-wrap reported 0 remaining. A KMS-native re-encrypt may be used inside wrap/unwrap.
 * test-support/kek-provider-contract.ts holds the behavioural tests every adapter must pass.
 */
export interface KekProvider {
  /** Short name for logs and reports: "local", "aws-kms", … */
  readonly name: string;
  readonly activeVersion: number;
  /** Every version this provider can unwrap with, ascending. */
  readonly versions: readonly number[];
  wrap(dek: Buffer, aad: Buffer): Promise<{ kekVersion: number; wrapped: Buffer }>;
  /** Throws DecryptionFailed for a wrong/unknown KEK version or altered data/AAD. */
  unwrap(wrapped: Buffer, kekVersion: number, aad: Buffer): Promise<Buffer>;
}
