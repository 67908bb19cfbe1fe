// Refusals of the secret aggregate. Messages are safe to show (ids and versions only).

export class SecretNotFound extends Error {
  override readonly name = 'SecretNotFound';
  constructor(what = 'secret') {
    super(`${what} not found`);
  }
}

export class SecretAlreadyExists extends Error {
  override readonly name = 'SecretAlreadyExists';
  constructor() {
    super('a secret with this id already exists');
  }
}

/** The version's grace period is over (or it was retired): it is never decrypted again. */
export class SecretVersionRetiredError extends Error {
  override readonly name = 'SecretVersionRetiredError';
  constructor(readonly version: number) {
    super(`version ${version} is retired`);
  }
}

/** Another rotation got there first with a version at least as new. */
export class StaleRotation extends Error {
  override readonly name = 'StaleRotation';
  constructor() {
    super('the secret was rotated concurrently; retry');
  }
}
