import { uuidv7 } from '@enclave/platform';

/** New ids (UUIDv7): subject ids, link ids, session ids. Injected so tests can predict them. */
export abstract class IdGenerator {
  abstract next(): string;
}

export class UuidV7Generator extends IdGenerator {
  next(): string {
    return uuidv7();
  }
}
