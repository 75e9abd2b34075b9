/** Connects mongoose and creates every model's indexes (unique ones included) before the server listens. */
import mongoose from 'mongoose';

export interface Database {
  connection: mongoose.Connection;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export async function connectDatabase(uri: string, options: { dbName?: string } = {}): Promise<Database> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 10_000,
    ...(options.dbName ? { dbName: options.dbName } : {}),
  });
  await connection.asPromise();
  return {
    connection,
    async ping() {
      try {
        const db = connection.db;
        if (!db) return false;
        await db.admin().command({ ping: 1 });
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await connection.close();
    },
  };
}

/** Creates the indexes declared on every model of this connection. */
export async function syncIndexes(connection: mongoose.Connection): Promise<void> {
  for (const model of Object.values(connection.models)) {
    await model.createIndexes();
  }
}
