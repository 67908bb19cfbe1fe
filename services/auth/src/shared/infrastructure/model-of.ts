import type { Connection, Model, Schema } from 'mongoose';

/** The connection's model for a collection, compiled once per connection. */
export function modelOf<T>(connection: Connection, name: string, schema: Schema<T>, collection: string): Model<T> {
  return (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema, collection);
}
