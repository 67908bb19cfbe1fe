import type { Collection, Connection, Schema } from 'mongoose';

/** What the eventing classes need of a mongoose model: index setup and the raw collection. */
export interface ModelHandle {
  init(): Promise<unknown>;
  createIndexes(): Promise<unknown>;
  readonly collection: Collection;
}

/** The connection's model for this collection, compiled once per connection. */
export function modelFor(connection: Connection, name: string, schema: Schema, collection: string): ModelHandle {
  return connection.models[name] ?? connection.model(name, schema, collection);
}

/** Creates the collection and its indexes once; a failed attempt is retried on the next call. */
export function onceReady(model: ModelHandle): () => Promise<void> {
  let ready: Promise<void> | undefined;
  return () => {
    ready ??= (async () => {
      await model.init();
      await model.createIndexes();
    })();
    ready.catch(() => (ready = undefined));
    return ready;
  };
}
