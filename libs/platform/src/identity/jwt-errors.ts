/** Base of every token rejection; messages are safe to return to the caller. */
export abstract class TokenError extends Error {
  abstract readonly reason: string;
}

export class TokenExpired extends TokenError {
  readonly reason = 'expired' as const;
  constructor() {
    super('token has expired');
    this.name = 'TokenExpired';
  }
}

export type TokenInvalidReason =
  | 'malformed'
  | 'unsupported_alg'
  | 'unknown_key'
  | 'bad_signature'
  | 'missing_exp'
  | 'not_yet_valid'
  | 'issued_in_future'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'wrong_use';

const MESSAGES: Record<TokenInvalidReason, string> = {
  malformed: 'token is malformed',
  unsupported_alg: 'token algorithm is not EdDSA',
  unknown_key: 'token key id is not trusted',
  bad_signature: 'token signature is invalid',
  missing_exp: 'token has no expiry',
  not_yet_valid: 'token is not valid yet',
  issued_in_future: 'token was issued in the future',
  wrong_audience: 'token audience does not match',
  wrong_issuer: 'token issuer does not match',
  wrong_use: 'token is not meant for this use',
};

export class TokenInvalid extends TokenError {
  constructor(readonly reason: TokenInvalidReason) {
    super(MESSAGES[reason]);
    this.name = 'TokenInvalid';
  }
}
